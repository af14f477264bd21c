"""Gitignore-style path patterns (rule scopes, .gitignore files), read by pathspec and matched
with one regular expression per list.

pathspec translates each pattern into a regex and decides by trying them one by one: the last
pattern that matches the path itself wins, and only when none does, the last one that matches
a parent directory (pathspec marks those matches with a named group). Here the same regexes
are joined once, in that order, into one alternation: each pattern appears first as a "file"
alternative (its directory branch removed), then, if it has one, as a "directory" alternative
(a list without `!` needs no order: each pattern appears once).
The first alternative that matches decides, found in one `re.match` instead of one per
pattern; an empty group after each alternative tells which one it was. A list whose regexes
do not have the expected form is matched by pathspec itself, with the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

_PATH_PREFIX = r"(?:/|\./)?+"  # pathspec drops one leading "/" or "./" of the path
# pathspec's named group around the `/` after a directory the pattern names: a match through
# it matched a parent directory of the path, not the path itself.
_DIRECTORY_MARK = re.compile(r"\(\?P<\w+>/\)")
_NEVER = "(?!)"  # an empty negative lookahead: fails everywhere
_DEPTHS = "(?:.+/)?"  # pathspec's start of a pattern without a slash: any parent directories
_ANYWHERE = r"[\s\S]*?"  # what `re.search` skips before a match, newlines included


class PatternError(ValueError):
    """A pattern pathspec refuses (its one-line message)."""


Translation = tuple[str, tuple[bool, ...]]  # the joined regex and its verdicts (see _join)


class PathPatterns:
    """A list of gitignore-style patterns: whether the deciding pattern includes a path."""

    __slots__ = ("_match", "_spec", "_verdicts", "translation")

    def __init__(self, patterns: Sequence[str], skip_malformed: bool = False) -> None:
        """Raises PatternError for a malformed pattern, unless `skip_malformed` (as git does
        with a line of an ignore file): then that line is left out."""
        self._match, self._verdicts, self._spec, self.translation = \
            _compile(tuple(patterns), skip_malformed)

    @classmethod
    def translated(cls, translation: Translation) -> PathPatterns:
        """The patterns whose `translation` was worked out before (a wheel's build ships the
        bundled rules' scopes so): no pathspec needed."""
        patterns = cls.__new__(cls)
        patterns._match, patterns._verdicts = re.compile(translation[0]).match, translation[1]
        patterns._spec, patterns.translation = None, translation
        return patterns

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


@cache  # rules often share a scope list: compiled once
def _compile(patterns: tuple[str, ...], skip_malformed: bool) -> tuple:
    """(match, verdicts, None, translation), or (None, (), a pathspec GitIgnoreSpec, None)
    when the regexes pathspec gives are not of the form relied on."""
    import warnings

    from pathspec.patterns.gitignore.spec import GitIgnoreSpecPattern

    translated: list[tuple[str, bool, str]] = []  # (line, include, regex)
    for line in patterns:
        try:
            regex, include = GitIgnoreSpecPattern.pattern_to_regex(line)
        except Exception as exc:  # pathspec raises several types
            if skip_malformed:
                continue
            raise _error(exc) from None
        if include is not None:  # not a blank line, a comment or a dropped pattern
            translated.append((line, include, regex))
    with warnings.catch_warnings():  # re's FutureWarning on `[[`: not the user's business
        warnings.simplefilter("ignore")
        try:
            source, verdicts = _join([(include, regex) for _, include, regex in translated])
            compiled = re.compile(source)
        except re.error as joined_error:  # a pattern's regex is bad (a set `[z-a]`)
            bad = []
            for line, _, regex in translated:
                try:
                    re.compile(regex)
                except re.error as exc:
                    if not skip_malformed:
                        raise _error(exc) from None
                    bad.append(line)
            if not bad:  # the joining itself failed: not a pattern's fault
                raise _error(joined_error) from None
            return _compile(tuple(line for line in patterns if line not in bad), True)
    if compiled.groups != len(verdicts) - 1:  # a regex with groups of its own
        import pathspec

        kept_lines = [line for line, _, _ in translated]
        return None, (), pathspec.GitIgnoreSpec.from_lines(kept_lines, backend="simple"), None
    return compiled.match, verdicts, None, (source, verdicts)


def _error(exc: Exception) -> PatternError:
    return PatternError(str(exc).splitlines()[0] if str(exc) else repr(exc))


def _join(translated: list[tuple[bool, str]]) -> tuple[str, tuple[bool, ...]]:
    """One regex for pathspec's (include, regex) pairs in deciding order and, per capturing
    group, the verdict of the run of alternatives it ends."""
    patterns = []
    for include, source in reversed(translated):  # the last pattern decides first
        # pathspec searches: an anchored regex from the start, any other anywhere.
        source = source[1:] if source.startswith("^") else _ANYWHERE + source
        mark = _DIRECTORY_MARK.search(source)
        patterns.append((include, source, "" if mark is None else mark[0]))
    if len({include for include, _, _ in patterns}) == 1:  # one verdict: the order is moot
        alternatives = [(include, source.replace(mark, "/") if mark else source)
                        for include, source, mark in patterns]
    else:
        alternatives = [(include, source.replace(mark, _NEVER) if mark else source)
                        for include, source, mark in patterns]
        # Reached only when no file alternative matched, so through the mark's `/` (its
        # other branch, the end of the path, is in the pattern's file alternative).
        alternatives += [(include, source.replace(mark, "/"))
                         for include, source, mark in patterns if mark]
    runs: list[tuple[bool, list[str]]] = []  # alternatives in order, by shared verdict
    for include, source in alternatives:
        if runs and runs[-1][0] == include:
            runs[-1][1].append(source)
        else:
            runs.append((include, [source]))
    if not runs:
        return _NEVER, (False,)
    regex = "|".join(f"(?:{_union(sources)})()" for _, sources in runs)
    return _PATH_PREFIX + f"(?:{regex})", (False, *(include for include, _ in runs))


def _union(sources: list[str]) -> str:
    """Alternatives of one verdict (their order does not matter), with pathspec's common
    "any parent directories" prefix taken out: a path is walked for it once, not once each."""
    deep = [source[len(_DEPTHS):] for source in sources if source.startswith(_DEPTHS)]
    rest = [source for source in sources if not source.startswith(_DEPTHS)]
    return "|".join([f"{_DEPTHS}(?:{'|'.join(deep)})"] * bool(deep) + rest)
