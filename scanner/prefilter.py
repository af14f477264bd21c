"""The keyword prefilter: which rules may match a fragment at all.

One small interface (rules in, candidate rules out) so a SIMD engine can replace the
pure-Python scan later without touching rules or the detector.
"""

from __future__ import annotations

from collections.abc import Sequence

from scanner.rules import Rule


class KeywordPrefilter:
    """Case-insensitive substring search for every rule keyword."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self._rules = tuple(rules)
        self._keywords = tuple(sorted({k for rule in rules for k in rule.keywords}))

    def candidates(self, text: str) -> list[Rule]:
        """The rules whose keywords appear in `text`, in rule order."""
        lowered = text.lower()
        present = {k for k in self._keywords if k in lowered}
        if not present:
            return []
        return [rule for rule in self._rules if not present.isdisjoint(rule.keywords)]
