"""Gitignore-style path globs (rule scopes) compiled into one regular expression.

The answers are those of `pathspec.GitIgnoreSpec.from_lines(patterns).match_file(path)`,
without importing pathspec (tens of milliseconds on the hook path):

- `*` and `?` match within one path segment, `[...]` a character set (`[!...]` or `[^...]`
  negated; a `\\` inside it is a literal backslash, and a negated set also matches `/`),
  `\\x` the character x; a pattern whose `[` is never closed matches nothing (git drops it);
- a leading or inner `/` anchors the pattern to the root; without one it matches the name at
  any depth; a trailing `/` matches only below a directory of that name; `**` spans segments;
- `!` negates; the last pattern that matches the path itself wins over any pattern that only
  matches one of its parent directories, and among those the last one wins;
- blank lines, lines starting with `#` and a lone `/` match nothing; trailing whitespace is
  dropped unless escaped (`\\ `); a leading `/` or `./` of the path is ignored.

Paths are relative POSIX paths; names holding a newline get pathspec's answers too (its `.`
and `$` treat a newline apart), so that nothing changes silently.
Pattern syntax whose meaning is not certain (a `[` or a doubled `-&~|` inside `[...]`, which
Python's `re` flags as reserved) raises GlobError instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

_ANY_DEPTH = "**"
_DEPTHS = r"(?:.+/)?"  # leading `**/`: any parent directories, or none
_INNER_DEPTHS = r"(?:/.+)?"  # inner `/**`: any directories in between, or none
_SEGMENT = "[^/]+"  # a whole-segment `*`
_HAS_CHARACTER = r"\n*[^\n]"  # `**` and `*` alone: any path with a character that is not \n
_HAS_SLASH = "[^/]*/"  # `*/` and `**/`: any path below a directory
_PATH_PREFIX = r"(?:/|\./)?+"  # one leading "/" or "./" of the path is not part of it


class GlobError(ValueError):
    """A scope pattern whose syntax is malformed or not certain (one-line message)."""


class _Dropped(Exception):
    """A pattern git ignores (an unclosed `[`): it matches nothing."""


def _bracket(body: str, pattern: str) -> str:
    """The regex character set for a glob's `[body]` (body includes the closing `]`)."""
    negated = body[0] in "!^"
    members = body[1:] if negated else body
    if "[" in members or any(pair in members for pair in ("--", "&&", "~~", "||")):
        raise GlobError(f"{pattern!r}: '[' or a doubled '-&~|' inside [...] is not supported")
    return "[" + "^" * negated + members.replace("\\", "\\\\")


def _segment(glob: str, pattern: str) -> str:
    """The regex for one path segment of a glob: `*`, `?`, `[...]`, `\\x` and literals."""
    if "\\" not in glob and "[" not in glob:  # the common case, in one pass
        return re.escape(glob).replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
    out = []
    i = 0
    while i < len(glob):
        char = glob[i]
        i += 1
        if char == "\\":
            if i == len(glob):
                raise GlobError(f"{pattern!r}: a backslash escapes nothing "
                                "(at the end or before /)")
            out.append(re.escape(glob[i]))
            i += 1
        elif char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            start = i + (i < len(glob) and glob[i] in "!^")
            start += start < len(glob) and glob[start] == "]"
            end = glob.find("]", start)
            if end < 0:
                raise _Dropped
            out.append(_bracket(glob[i:end + 1], pattern))
            i = end + 1
        else:
            out.append(re.escape(char))
    return "".join(out)


def _segments(text: str, line: str) -> list[str]:
    """The pattern's segments, normalised: anchored at the root, `**` runs collapsed."""
    segments = text.split("/")
    if segments[0] == "":
        del segments[0]  # a leading "/" anchors to the root
    elif len(segments) == 1 or segments[1:] == [""]:
        if segments[0] != _ANY_DEPTH:
            segments.insert(0, _ANY_DEPTH)  # a bare name matches at any depth
    if not segments:
        raise GlobError(f"{line!r}: nothing to match")
    if segments[-1] == "":
        segments[-1] = _ANY_DEPTH  # "dir/" matches everything below dir
    return [segment for i, segment in enumerate(segments)
            if segment != _ANY_DEPTH or segments[i - 1 : i] != [_ANY_DEPTH]]


def _body(segments: list[str], line: str) -> str:
    """The regex for the segments, from the start of the path; raises _Dropped."""
    out = []
    for i, segment in enumerate(segments):
        if segment == _ANY_DEPTH:
            out.append(_DEPTHS if i == 0 else _INNER_DEPTHS)
            continue
        if i > 1 or (i == 1 and segments[0] != _ANY_DEPTH):
            out.append("/")
        out.append(_SEGMENT if segment == "*" else _segment(segment, line))
    return "".join(out)


def _line(line: str) -> tuple[bool, str | None, str | None] | None:
    """One scope line as (include, file regex, directory regex), or None when it matches
    nothing. The file regex matches a path the pattern names itself, the directory regex a
    path below a directory the pattern names. Raises GlobError."""
    text = line if line.endswith("\\ ") else line.rstrip()
    if not text or text.startswith("#") or text == "/":
        return None
    include = not text.startswith("!")
    text = text if include else text[1:]
    below_only = text.endswith("/")
    segments = _segments(text, line)
    if segments == [_ANY_DEPTH]:
        return (include, None, _HAS_SLASH) if below_only else (include, _HAS_CHARACTER, None)
    if segments == [_ANY_DEPTH, "*"]:
        return include, _HAS_CHARACTER, None
    if segments == [_ANY_DEPTH, "*", _ANY_DEPTH]:
        return (include, None, _HAS_SLASH) if below_only else (include, _HAS_SLASH, None)
    try:
        if segments[-1] == _ANY_DEPTH:
            body = _body(segments[:-1], line) + "/"
            regexes = (None, body) if below_only else (body, None)
        else:
            body = _body(segments, line)
            regexes = (body + "$", body + "/")
    except _Dropped:
        return None
    if "[" in line:
        try:
            re.compile(body)
        except re.error as exc:
            raise GlobError(f"{line!r}: bad character set: {exc}") from None
    return include, *regexes


def _union(regexes: list[str]) -> str:
    """Regexes that share a verdict as one alternation, shortened: `X$` and `X/` become
    `X(?:$|/)`, and the `**/` prefix is factored out, so that a path is scanned for its
    parent directories once, not once per pattern."""
    endings: dict[str, str] = {}
    for regex in regexes:
        if regex[-1] in "$/":
            endings[regex[:-1]] = endings.get(regex[:-1], "") + regex[-1]
    joined = [body + ("(?:$|/)" if len(set(end)) > 1 else end[0]) for body, end in endings.items()]
    joined += [regex for regex in regexes if regex[-1] not in "$/"]
    deep = [regex[len(_DEPTHS):] for regex in joined if regex.startswith(_DEPTHS)]
    rest = [regex for regex in joined if not regex.startswith(_DEPTHS)]
    return "|".join([_DEPTHS + "(?:" + "|".join(deep) + ")"] * bool(deep) + rest)


@lru_cache(maxsize=None)  # rules often share a scope list: translated once
def translate(patterns: tuple[str, ...]) -> tuple[str, tuple[bool, ...]]:
    """One regex for a scope list and, per capturing group, whether it includes the path.

    The deciding pattern is the first that matches in this order: every pattern that matches
    the path itself, last pattern first, then every pattern that matches one of its parent
    directories, last first. Runs of that order with the same verdict form one alternative
    (which of them matches does not matter), ended by an empty group that `lastindex` names.
    No patterns at all give a regex that never matches. Raises GlobError."""
    lines = [t for t in map(_line, patterns) if t is not None]
    ordered = [(inc, regex) for inc, regex, _ in reversed(lines) if regex is not None]
    ordered += [(inc, regex) for inc, _, regex in reversed(lines) if regex is not None]
    runs: list[tuple[bool, list[str]]] = []
    for include, regex in ordered:
        if runs and runs[-1][0] == include:
            runs[-1][1].append(regex)
        else:
            runs.append((include, [regex]))
    regex = "|".join(f"(?:{_union(regexes)})()" for _, regexes in runs) or "(?!)"
    return _PATH_PREFIX + f"(?:{regex})", (False, *(include for include, _ in runs))


class PathGlobs:
    """A scope list compiled into one regex (picklable, for worker processes)."""

    __slots__ = ("_match", "_verdicts")

    def __init__(self, patterns: Sequence[str]) -> None:
        source, self._verdicts = translate(tuple(patterns))
        self._match = re.compile(source).match

    def matches(self, path: str) -> bool:
        """Whether the deciding pattern includes `path` (a relative POSIX path)."""
        found = self._match(path)
        return found is not None and self._verdicts[found.lastindex]

    def decision(self, path: str) -> bool | None:
        """The deciding pattern's verdict on `path`, or None when no pattern matches it."""
        found = self._match(path)
        return None if found is None else self._verdicts[found.lastindex]
