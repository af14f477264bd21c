"""Literals a regular expression needs: text that any match of it must contain.

`required(pattern)` reads the parsed pattern (the standard library's own parser) and returns
clauses: every clause is a set of lowercase literals, and any match contains, for each clause,
at least one of its literals (compared case-insensitively). A rule whose context pattern
needs `mistral` cannot give a finding in a text without `mistral`, whatever its keywords say;
the prefilter uses this to skip such texts without running the rule.

Only what is certain is returned: optional parts, negative look-arounds, back-references and
anything unknown add nothing. Literals hold only ASCII letters, digits, `_`, `.` and `-`, which
JSON never needs to escape; but it may (`\u006d`), and a notebook may split a line over two
strings, so the bytes gate never judges a notebook's raw bytes (scanner.engine.prefilter).

The parser is the standard library's private `re._parser`. Supported: CPython 3.11, 3.12 and
3.13 (pyproject: >=3.11), which give the same clauses for every bundled rule; the clauses are
pinned per rule by tests/rules/test_rule_format.py, so a Python whose parser changes fails
that test loudly. Verbose patterns (`(?x)`) parse to the same tree as their one-line form.
"""

from __future__ import annotations

from functools import cache
from typing import Any

try:
    # CPython's private parser: not in typeshed's stubs of `re`
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a Python whose re has other internals
    C = P = None

Clause = frozenset[str]
MIN_LENGTH = 3  # shorter literals are in almost every text: they would only cost time
_SAFE = frozenset({*(chr(code) for code in range(128) if chr(code).isalnum()), *"_.-"})
# Non-ASCII characters that match an ASCII letter under re.IGNORECASE, or lower() to one:
# where one appears in a text, a literal test on the lowered text cannot decide.
UNSURE = ("\u0130", "\u0131", "\u017f", "\u212a")


@cache  # a process builds several detectors from the same rules
def required(pattern: str) -> tuple[Clause, ...]:
    """Clauses every match of `pattern` (a regex as written, flags inline) satisfies; empty
    when nothing is certain. Parsing alone: the pattern need not be compiled first."""
    if P is None:
        return ()
    try:
        parsed = P.parse(pattern, 0)
    except Exception:  # an internal parser that changed: know nothing
        return ()
    return tuple(dict.fromkeys(_sequence(list(parsed))))


def rule_clauses(pattern: str, context: str | None) -> tuple[Clause, ...]:
    """The clauses of a rule: those its context pattern needs, then its pattern's. A wheel's
    build derives them once (hatch_build.py) and ships them in the parsed rules."""
    return tuple(dict.fromkeys([*(required(context) if context else ()), *required(pattern)]))


def _sequence(items: list) -> list[Clause]:
    """All items of a sequence must match: the clauses of each, and of each literal run."""
    clauses: list[Clause] = []
    run: list[str] = []

    def end_run() -> None:
        if len(run) >= MIN_LENGTH:
            clauses.append(frozenset(["".join(run).lower()]))
        run.clear()

    for op, av in items:
        if op is C.LITERAL and chr(av) in _SAFE:
            run.append(chr(av))
            continue
        end_run()
        clauses.extend(_item(op, av))
    end_run()
    return clauses


def _item(op: object, av: Any) -> list[Clause]:  # av: the parser's (untyped) arguments
    if op is C.SUBPATTERN:
        return _sequence(list(av[-1]))
    if op is C.ATOMIC_GROUP:
        return _sequence(list(av))
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        low, _, body = av
        return _sequence(list(body)) if low >= 1 else []
    if op is C.ASSERT:  # a positive look-around: what it sees is in the text too
        return _sequence(list(av[1]))
    if op is C.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:
            options = _sequence(list(alternative))
            if not options:
                return []  # one alternative needs nothing: the branch needs nothing
            union |= _best(options)
        return [frozenset(union)]
    return []


def _best(clauses: list[Clause]) -> Clause:
    """The most selective clause: the one whose shortest literal is longest."""
    return max(clauses, key=lambda clause: (min(map(len, clause)), -len(clause)))


def satisfied(clauses: tuple[Clause, ...], lowered: str,
              seen: dict[str, bool] | None = None) -> bool:
    """True when every clause has a literal in `lowered` (a text after str.lower()).
    `seen` remembers each literal's answer, so rules sharing literals search once."""
    if seen is None:
        seen = {}

    def present(literal: str) -> bool:
        found = seen.get(literal)
        if found is None:
            found = seen[literal] = literal in lowered
        return found

    return all(any(present(literal) for literal in clause) for clause in clauses)
