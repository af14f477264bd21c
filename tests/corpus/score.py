"""Score the real CLI on a labelled corpus: shared by test_corpus.py and test_corpus_heldout.py.

Key-level: only findings of kind "key" count (a risk finding, such as the `echo` line that
printed a key or a key's name in an Info.plist, is another kind of report).

A positive label is found when a finding sits on its (path, line); any other finding is a
false positive, counted against the family of the file it is in. A family with no
positives (negatives only) has recall 1.0 by convention and is judged on its false positives.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import run_cli
from tests.corpus.case import FAMILIES, Case
from tests.corpus.generate import Label, write_corpus


def ratio(good: int, bad: int) -> float:
    return good / (good + bad) if good + bad else 1.0


@dataclass
class Scores:
    labels: list[Label]
    findings: list[dict]
    per_family: dict[str, Counter] = field(default_factory=dict)

    @property
    def total(self) -> Counter:
        return sum(self.per_family.values(), Counter())

    def recall(self, family: str | None = None) -> float:
        counts = self.total if family is None else self.per_family[family]
        return ratio(counts["tp"], counts["fn"])

    def precision(self, family: str | None = None) -> float:
        counts = self.total if family is None else self.per_family[family]
        return ratio(counts["tp"], counts["fp"])

    def missed(self) -> list[tuple[str, int]]:
        hits = {(f["path"], f["line"]) for f in self.findings}
        return [(l.path, l.line) for l in self.labels if l.expect and (l.path, l.line) not in hits]

    def false_positives(self) -> list[tuple[str, int, str]]:
        expected = {(l.path, l.line) for l in self.labels if l.expect}
        return [(f["path"], f["line"], f.get("rule_id", "")) for f in self.findings
                if (f["path"], f["line"]) not in expected]

    def table(self) -> str:
        rows = [f"{'family':<18}{'pos':>5}{'neg':>5}{'tp':>5}{'fn':>5}{'fp':>5}"
                f"{'recall':>8}{'precision':>11}"]
        for family, counts in [*self.per_family.items(), ("overall", self.total)]:
            members = [l for l in self.labels if family in (l.family, "overall")]
            rows.append(
                f"{FAMILIES.get(family, family):<18}{sum(l.expect for l in members):>5}"
                f"{sum(not l.expect for l in members):>5}{counts['tp']:>5}{counts['fn']:>5}"
                f"{counts['fp']:>5}{ratio(counts['tp'], counts['fn']):>8.3f}"
                f"{ratio(counts['tp'], counts['fp']):>11.3f}")
        return "\n".join(rows)

    def report(self) -> str:
        return (f"{self.table()}\nmissed: {self.missed()}\n"
                f"false positives: {self.false_positives()}")


def score(labels: list[Label], findings: list[dict]) -> Scores:
    family_of = {label.path: label.family for label in labels}
    expected = {(l.path, l.line) for l in labels if l.expect}
    hits = {(f["path"], f["line"]) for f in findings}
    families = list(dict.fromkeys(label.family for label in labels))
    per_family = {family: Counter() for family in families}
    for label in labels:
        if label.expect:
            per_family[label.family]["tp" if (label.path, label.line) in hits else "fn"] += 1
    for finding in findings:
        if (finding["path"], finding["line"]) not in expected:
            per_family[family_of.get(finding["path"], "?")]["fp"] += 1
    return Scores(labels, findings, per_family)


def scan_corpus(root: Path, cases: Iterable[Case]) -> Scores:
    """Write `cases` under `root`, run `scan ROOT --format json` (the default output) and score it."""
    labels = write_corpus(root, list(cases))
    result = run_cli("scan", str(root), "--format", "json")
    assert result.code in (0, 1), result.stderr
    findings = json.loads(result.stdout)["findings"]
    return score(labels, [f for f in findings if f["kind"] == "key"])
