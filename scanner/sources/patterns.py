"""Gitignore-style path patterns (rule scopes, .gitignore files), read by pathspec and matched
with one regular expression per list.

pathspec translates each pattern into a regex and decides by trying them one by one: the last
pattern that matches the path itself wins, and only when none does, the last one that matches
a parent directory (pathspec marks those matches with a named group). Here the same regexes
are joined once, in that order, into one alternation: each pattern appears first as a "file"
alternative (its directory branch removed), then, if it has one, as a "directory" alternative.
The first alternative that matches decides, found in one `re.match` instead of one per
pattern; an empty group after each alternative tells which one it was. A list whose regexes
do not have the expected form is matched by pathspec itself, with the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

_PATH_PREFIX = r"(?:/|\./)?+"  # pathspec drops one leading "/" or "./" of the path
_NEVER = "(?!)"  # an empty negative lookahead: fails everywhere
_ANYWHERE = r"[\s\S]*?"  # what `re.search` skips before a match, newlines included


class PatternError(ValueError):
    """A pattern pathspec refuses (its one-line message)."""


class PathPatterns:
    """A list of gitignore-style patterns: whether the deciding pattern includes a path."""

    __slots__ = ("_match", "_verdicts", "_spec")

    def __init__(self, patterns: Sequence[str], skip_malformed: bool = False) -> None:
        """Raises PatternError for a malformed pattern, unless `skip_malformed` (as git does
        with a line of an ignore file): then that line is left out."""
        self._match, self._verdicts, self._spec = _compile(tuple(patterns), skip_malformed)

    def decision(self, path: str) -> bool | None:
        """The deciding pattern's verdict on `path` (a relative POSIX path, with a trailing
        `/` for a directory), or None when no pattern matches it."""
        if self._match is None:
            return self._spec.check_file(path).include
        found = self._match(path)
        return None if found is None else self._verdicts[found.lastindex]

    def matches(self, path: str) -> bool:
        """Whether the deciding pattern includes `path`."""
        return self.decision(path) is True


@lru_cache(maxsize=None)  # rules often share a scope list: compiled once
def _compile(patterns: tuple[str, ...], skip_malformed: bool) -> tuple:
    """(match, verdicts, None), or (None, (), the pathspec spec) when its regexes cannot be
    joined."""
    import warnings

    import pathspec

    # The plain regex backend: with hyperscan installed (the `fast` extra) pathspec would
    # otherwise compile a database per list, which costs more than it saves here.
    build = pathspec.GitIgnoreSpec.from_lines
    with warnings.catch_warnings():  # re's FutureWarning on `[[`: not the user's business
        warnings.simplefilter("ignore")
        if skip_malformed:
            patterns = tuple(line for line in patterns if _valid(build, line))
        try:
            spec = build(patterns, backend="simple")
        except Exception as exc:  # pathspec raises several types for a malformed pattern
            raise PatternError(str(exc).splitlines()[0] if str(exc) else repr(exc)) from None
        joined = _join(spec)
        if joined is None:
            return None, (), spec
        return re.compile(joined[0]).match, joined[1], None


def _valid(build, line: str) -> bool:  # noqa: ANN001 - pathspec's from_lines
    try:
        build([line], backend="simple")
    except Exception:  # noqa: BLE001 - as git, a malformed line of an ignore file is ignored
        return False
    return True


def _join(spec) -> tuple[str, tuple[bool, ...]] | None:  # noqa: ANN001 - a GitIgnoreSpec
    """One regex for the spec's patterns in deciding order and, per capturing group, the
    verdict of the pattern it ends; None when a regex is not of the form relied on."""
    files: list[tuple[bool, str]] = []
    directories: list[tuple[bool, str]] = []
    for pattern in reversed(spec.patterns):
        if pattern.include is None:  # a blank line or a comment
            continue
        source = pattern.regex.pattern
        groups = pattern.regex.groupindex
        if pattern.regex.flags != re.UNICODE or len(groups) > 1 or (
                pattern.regex.groups != len(groups)):
            return None
        # pathspec searches: an anchored regex from the start, any other anywhere.
        source = source[1:] if source.startswith("^") else _ANYWHERE + source
        (mark,) = groups or (None,)
        if mark is None:
            files.append((pattern.include, source))
            continue
        group = f"(?P<{mark}>/)"  # the `/` after a directory the pattern names
        if source.count(group) != 1:
            return None
        files.append((pattern.include, source.replace(group, _NEVER)))
        # Reached only when no file alternative matched, so through the group's `/` (its
        # other branch, the end of the path, is its own file alternative, tried before).
        directories.append((pattern.include, source.replace(group, "/")))
    alternatives = files + directories
    if not alternatives:
        return _NEVER, (False,)
    regex = "|".join(f"(?:{source})()" for _, source in alternatives)
    return _PATH_PREFIX + f"(?:{regex})", (False, *(include for include, _ in alternatives))
