"""The keyword prefilter: which rules may match a fragment at all.

One small interface, two questions:
- `candidates(text)`: the rules whose keywords appear in a decoded fragment, and the literals
  their context and pattern need (scanner.engine.literals): a rule whose context needs `mistral` is
  not a candidate in a text without it, however common its keywords (`token`, `http://`);
- `may_match(data)`: from the raw bytes of a UTF-8 (or ASCII) file, before any decoding,
  whether `candidates` could name any rule. False only when it certainly could not, so a
  file it rejects needs neither decoding nor detection.

The bytes gate runs on hyperscan (the optional `fast` extra, a SIMD literal matcher) when it
is importable, else on `bytes.lower()` and `in`. Both give the same answer for every input
(tests/test_prefilter.py); hyperscan is switched to only after the first 256 KiB, so
small runs such as the pre-commit hook never pay for importing it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from scanner.engine.literals import UNSURE, Clause, rule_clauses, satisfied
from scanner.rules.loader import Rule

ENGINES = ("auto", "python", "hyperscan")
# Below this many bytes through the pure-Python gate, importing hyperscan and compiling its two
# databases (about 7 ms) costs more than it saves (docs/PERFORMANCE.md): the hook's few files
# stay in Python, a tree of a few megabytes already gains.
SIMD_AFTER_BYTES = 256 * 1024
# Where one of these appears (scanner.engine.literals.UNSURE), the bytes gate cannot decide:
# "maybe".
_UNSURE_BYTES = tuple(c.encode("utf-8") for c in UNSURE)
_UNSURE_LEADS = tuple({seq[:-1] for seq in _UNSURE_BYTES})  # rarer than the whole sequences
# A Kubernetes Secret manifest yields its base64 data decoded (scanner.engine.transforms): literals
# of that text need not be in the raw bytes, so such files are judged on keywords alone.
_TRANSFORMED = b"Secret"
# A notebook's cells are JSON strings (scanner.engine.notebook): an escape (`\u004d`) or a line
# split over two strings gives the detector words its raw bytes do not hold, so it is never gated.
_NOTEBOOK = ".ipynb"  # the suffix scanner.engine.transforms.expand decodes
_VERDICTS = 4096
# The vendor's names are rare in code at large, and almost every rule needs one of them (in
# its keywords or in a literal its pattern needs). With a path, the pure-Python gate first
# looks for these alone, plus the keywords of the few rules that need neither and whose scope
# admits the path: most files are rejected after two substring searches.
_VENDOR_WORDS = (b"mistral", b"codestral")
_VENDOR_CORE = b"stral"  # in every vendor word: where it is absent, one search rules them all out


def simd_available() -> bool:
    """True when the hyperscan wheel is installed and importable."""
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return False
    return True


class KeywordPrefilter:
    """Case-insensitive substring search for every rule keyword and every literal rules need."""

    def __init__(self, rules: Sequence[Rule], engine: str = "auto") -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown prefilter engine {engine!r}")
        self._rules = tuple(rule for rule in rules if rule.pattern)  # not the evidence rules
        self._keywords = tuple(sorted({k for rule in self._rules for k in rule.keywords}))
        # A keyword containing another keyword adds nothing to "is any keyword here?".
        needles = [k for k in self._keywords
                   if not any(o != k and o in k for o in self._keywords)]
        self._needles = tuple(k.encode("utf-8") for k in needles)
        # bytes.lower() folds ASCII only: a non-ASCII keyword leaves the gate always open.
        self._gate_open = not all(k.isascii() for k in needles)
        # Per rule, worked out on first use: the clauses of literals its context and pattern
        # need (scanner.engine.literals), as text and as bytes.
        self._clauses: list[tuple[tuple[Clause, ...], tuple[tuple[bytes, ...], ...]] | None] = \
            [None] * len(self._rules)
        self._keyword_bytes = tuple(tuple(k.encode() for k in r.keywords) for r in self._rules)
        self._engine = engine
        self._python_bytes = 0
        self._simd: _SimdGate | None = None
        # The SIMD engine reports which literals a text holds; the verdict for each such set
        # is computed once (there are few distinct sets in practice).
        self._verdicts: dict[frozenset[bytes], tuple[int, ...]] = {}
        # Rules no clause of whose keywords or literals needs a vendor word, with their
        # keywords as bytes; worked out on first use (see `_unanchored_keywords`).
        self._unanchored: tuple[tuple[int, tuple[bytes, ...]], ...] | None = None

    @property
    def engine(self) -> str:
        """The engine the bytes gate runs on now: "hyperscan" or "python"."""
        return "python" if self._simd is None else "hyperscan"

    def candidates(self, text: str, path: str | None = None) -> list[Rule]:
        """The rules whose keywords and required literals appear in `text` (and whose scope
        admits `path`, when given), in rule order.

        Where str.lower() and re.IGNORECASE disagree (scanner.engine.literals.UNSURE) only the
        keywords decide."""
        lowered = text.lower()
        present = {k for k in self._keywords if k in lowered}
        if not present:
            return []
        unsure = not text.isascii() and any(c in text for c in UNSURE)
        seen = {keyword: True for keyword in present}
        return [rule for index, rule in enumerate(self._rules)
                if not present.isdisjoint(rule.keywords)
                and (path is None or rule.applies_to(path))
                and (unsure or satisfied(self._rule_clauses(index)[0], lowered, seen))]

    def may_match(self, data: bytes, path: str | None = None) -> bool:
        """False only when `data`, decoded as UTF-8 (and transformed), certainly gives no
        candidate rule; with `path`, no candidate rule whose scope admits that path."""
        if self._gate_open or (path is not None and path.endswith(_NOTEBOOK)):
            return True
        if not data.isascii() and any(lead in data for lead in _UNSURE_LEADS) \
                and any(seq in data for seq in _UNSURE_BYTES):
            return True
        simd = self._simd_engine(len(data))
        rules: Iterable[int] | None
        if simd is not None:
            # Two passes: the few anchoring literals first (most blobs hold none of them and
            # are rejected without a single match reported), every literal only after them.
            if path is None:  # scoped rules cannot be ruled out: no anchoring pass
                transformed = _TRANSFORMED in data
            else:
                anchors = simd.anchors.found(data)
                transformed = _TRANSFORMED in anchors
                if not transformed and not self._anchored(anchors.__contains__, path):
                    return False
            found = simd.literals.found(data)
            if found.isdisjoint(self._needles):
                return False
            rules = self._verdicts.get(found)
            if rules is None:
                if len(self._verdicts) >= _VERDICTS:
                    self._verdicts.clear()
                rules = self._verdicts[found] = tuple(self._passing(found.__contains__))
        else:
            lowered = data.lower()
            transformed = _TRANSFORMED in data
            if path is not None and not transformed \
                    and not self._anchored(lowered.__contains__, path):
                return False
            if not any(needle in lowered for needle in self._needles):
                return False
            if path is None:
                # Scoped rules cannot be ruled out without a path, and their keywords (MG026:
                # `token`) pass most files: here the literals would cost more than they save.
                return True
            memo: dict[bytes, bool] = {}

            def has(literal: bytes) -> bool:
                if literal not in memo:
                    memo[literal] = literal in lowered
                return memo[literal]
            rules = self._passing(has)  # lazily: the first rule that passes decides
        if transformed:
            return True
        return any(path is None or self._rules[i].applies_to(path) for i in rules)

    def _anchored(self, has: Callable[[bytes], bool], path: str) -> bool:
        """False only when no rule that admits `path` can be a candidate in a text that holds
        (`has`, case-insensitively) no vendor word, nor any keyword of a rule that needs none."""
        if has(_VENDOR_CORE) and any(has(word) for word in _VENDOR_WORDS):
            return True
        for index, keywords in self._unanchored_keywords():  # loops: this runs for every file
            for keyword in keywords:  # before the scope: most files hold none of them
                if has(keyword):
                    if self._rules[index].applies_to(path):
                        return True
                    break
        return False

    def _unanchored_keywords(self) -> tuple[tuple[int, tuple[bytes, ...]], ...]:
        """The rules (index, keywords) for which neither the keywords nor any clause of
        required literals consists of literals that all contain a vendor word; worked out
        once."""
        def anchored(clause: Sequence[bytes]) -> bool:
            return all(any(word in literal for word in _VENDOR_WORDS) for literal in clause)

        if self._unanchored is None:
            self._unanchored = tuple(
                (index, keywords) for index, keywords in enumerate(self._keyword_bytes)
                if not anchored(keywords)
                and not any(map(anchored, self._rule_clauses(index)[1])))
        return self._unanchored

    def _passing(self, has: Callable[[bytes], bool]) -> Iterator[int]:
        """The rules (indexes, in order) whose keywords and required literals `has` finds."""
        for index, keywords in enumerate(self._keyword_bytes):
            if any(has(k) for k in keywords) and all(
                    any(has(literal) for literal in clause)
                    for clause in self._rule_clauses(index)[1]):
                yield index

    def _rule_clauses(self, index: int) -> tuple[tuple[Clause, ...], tuple[tuple[bytes, ...], ...]]:
        clauses = self._clauses[index]
        if clauses is None:
            rule = self._rules[index]
            text = rule.clauses if rule.clauses is not None else \
                rule_clauses(rule.pattern, rule.context_pattern)
            clauses = self._clauses[index] = (
                text, tuple(tuple(literal.encode() for literal in c) for c in text))
        return clauses

    def _simd_engine(self, size: int) -> _SimdGate | None:
        if self._simd is not None or self._engine == "python" or not self._needles:
            return self._simd
        if self._engine == "auto":
            self._python_bytes += size
            if self._python_bytes < SIMD_AFTER_BYTES:
                return None
            if not simd_available():
                self._engine = "python"
                return None
        literals = {*(k for keywords in self._keyword_bytes for k in keywords),
                    *(literal for i in range(len(self._rules))
                      for c in self._rule_clauses(i)[1] for literal in c)}
        anchors = {_VENDOR_CORE, *_VENDOR_WORDS,
                   *(k for _, keywords in self._unanchored_keywords() for k in keywords)}
        self._simd = _SimdGate(_Hyperscan(tuple(sorted(anchors)), exact=(_TRANSFORMED,)),
                               _Hyperscan(tuple(sorted(literals))))
        return self._simd

    def __getstate__(self) -> dict:
        """Picklable for worker processes: a compiled database is rebuilt where it is used."""
        state = self.__dict__.copy()
        state["_simd"] = None
        return state


class _SimdGate(NamedTuple):
    """The two databases of the SIMD gate: the anchoring literals (vendor words, the
    keywords of rules that need none, and `Secret` as written), and every literal rules need."""

    anchors: _Hyperscan
    literals: _Hyperscan


class _Hyperscan:
    """Literals compiled once into one hyperscan block-mode database: `needles` ASCII
    case-insensitively, `exact` as written."""

    def __init__(self, needles: tuple[bytes, ...], exact: tuple[bytes, ...] = ()) -> None:
        import hyperscan

        self._literals = (*needles, *exact)
        once = hyperscan.HS_FLAG_SINGLEMATCH
        flags = [once | hyperscan.HS_FLAG_CASELESS] * len(needles) + [once] * len(exact)
        self._database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._database.compile(expressions=[re.escape(n) for n in self._literals],
                               ids=list(range(len(self._literals))),
                               elements=len(self._literals), flags=flags)

    def found(self, data: bytes) -> frozenset[bytes]:
        """The literals that occur in `data`, in one pass."""
        ids: set[int] = set()
        self._database.scan(data, match_event_handler=lambda i, *_: ids.add(i))
        return frozenset(self._literals[i] for i in ids)
