"""The keyword prefilter: which rules may match a fragment at all.

One small interface, two questions:
- `candidates(text)`: the rules whose keywords appear in a decoded fragment;
- `may_match(data)`: from the raw bytes of a UTF-8 (or ASCII) file, before any decoding,
  whether `candidates` could name any rule. False only when it certainly could not, so a
  file it rejects needs neither decoding nor detection.

The bytes gate runs on hyperscan (the optional `fast` extra, a SIMD literal matcher) when it
is importable, else on `bytes.lower()` and `in`. Both give the same answer for every input
(tests/test_prefilter.py); hyperscan is switched to only after the first few megabytes, so
small runs such as the pre-commit hook never pay for importing it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from scanner.rules import Rule

ENGINES = ("auto", "python", "hyperscan")
# The only non-ASCII characters whose str.lower() contains ASCII: U+0130 -> "i\u0307",
# U+212A (Kelvin sign) -> "k". Where one appears the bytes gate cannot decide and says "maybe".
_LOWERS_TO_ASCII = ("\u0130", "\u212a")
# Below this many bytes through the pure-Python gate, importing hyperscan costs more than it saves.
SIMD_AFTER_BYTES = 64 * 1024 * 1024


def simd_available() -> bool:
    """True when the hyperscan wheel is installed and importable."""
    try:
        import hyperscan  # noqa: F401
    except ImportError:
        return False
    return True


class KeywordPrefilter:
    """Case-insensitive substring search for every rule keyword."""

    def __init__(self, rules: Sequence[Rule], engine: str = "auto") -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown prefilter engine {engine!r}")
        self._rules = tuple(rules)
        self._keywords = tuple(sorted({k for rule in rules for k in rule.keywords}))
        # A keyword containing another keyword adds nothing to "is any keyword here?".
        needles = [k for k in self._keywords
                   if not any(o != k and o in k for o in self._keywords)]
        self._needles = tuple(k.encode("utf-8") for k in needles)
        # bytes.lower() folds ASCII only: a non-ASCII keyword leaves the gate always open.
        self._gate_open = not all(k.isascii() for k in needles)
        letters = set("".join(needles))
        self._unsure = tuple(c.encode("utf-8") for c in _LOWERS_TO_ASCII
                             if letters & set(c.lower()))
        self._engine = engine
        self._python_bytes = 0
        self._simd: _Hyperscan | None = None

    @property
    def engine(self) -> str:
        """The engine the bytes gate runs on now: "hyperscan" or "python"."""
        return "python" if self._simd is None else "hyperscan"

    def candidates(self, text: str) -> list[Rule]:
        """The rules whose keywords appear in `text`, in rule order."""
        lowered = text.lower()
        present = {k for k in self._keywords if k in lowered}
        if not present:
            return []
        return [rule for rule in self._rules if not present.isdisjoint(rule.keywords)]

    def may_match(self, data: bytes) -> bool:
        """False only when `data`, decoded as UTF-8, certainly holds no keyword."""
        if self._gate_open or self._contains_needle(data):
            return True
        return not data.isascii() and any(seq in data for seq in self._unsure)

    def _contains_needle(self, data: bytes) -> bool:
        simd = self._simd_engine(len(data))
        if simd is not None:
            return simd.search(data)
        lowered = data.lower()
        return any(needle in lowered for needle in self._needles)

    def _simd_engine(self, size: int) -> _Hyperscan | None:
        if self._simd is not None or self._engine == "python" or not self._needles:
            return self._simd
        if self._engine == "auto":
            self._python_bytes += size
            if self._python_bytes < SIMD_AFTER_BYTES:
                return None
            if not simd_available():
                self._engine = "python"
                return None
        self._simd = _Hyperscan(self._needles)
        return self._simd

    def __getstate__(self) -> dict:
        """Picklable for worker processes: a compiled database is rebuilt where it is used."""
        state = self.__dict__.copy()
        state["_simd"] = None
        return state


class _Hyperscan:
    """The needles compiled once into one caseless hyperscan block-mode database."""

    def __init__(self, needles: tuple[bytes, ...]) -> None:
        import hyperscan

        self._stop = hyperscan.ScanTerminated
        flags = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH
        self._database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._database.compile(expressions=[re.escape(n) for n in needles], ids=list(range(len(needles))),
                               elements=len(needles), flags=[flags] * len(needles))

    def search(self, data: bytes) -> bool:
        """True when any needle occurs in `data` (ASCII case-insensitively)."""
        found = False

        def on_match(*_: object) -> bool:
            nonlocal found
            found = True
            return True  # stop at the first match

        try:
            self._database.scan(data, match_event_handler=on_match)
        except self._stop:
            pass
        return found
