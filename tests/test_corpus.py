"""Recall and precision of the real CLI on the generated, labelled corpus (pytest -s prints them).

A positive label is found when a finding sits on its (path, line); any other finding is a
false positive, counted against the family of the file it is in.
"""

from __future__ import annotations

import json
from collections import Counter

from tests.conftest import run_cli
from tests.corpus.case import FAMILIES
from tests.corpus.generate import Label, write_corpus

MIN_OVERALL, MIN_FAMILY, MIN_VARIANTS, MIN_HARD_NEGATIVES = 0.98, 0.9, 5, 150


def _score(labels: list[Label], findings: list[dict]) -> dict[str, Counter]:
    family_of = {label.path: label.family for label in labels}
    expected = {(l.path, l.line) for l in labels if l.expect}
    hits = {(f["path"], f["line"]) for f in findings}
    scores = {family: Counter() for family in FAMILIES}
    for label in labels:
        if label.expect:
            scores[label.family]["tp" if (label.path, label.line) in hits else "fn"] += 1
    for finding in findings:
        if (finding["path"], finding["line"]) not in expected:
            scores[family_of[finding["path"]]]["fp"] += 1
    return scores


def _ratio(good: int, bad: int) -> float:
    return good / (good + bad) if good + bad else 1.0


def test_corpus_recall_and_precision(tmp_path):
    labels = write_corpus(tmp_path)
    result = run_cli("scan", str(tmp_path), "--format", "json")
    assert result.code in (0, 1), result.stderr
    findings = json.loads(result.stdout)["findings"]
    scores = _score(labels, findings)
    total = sum(scores.values(), Counter())

    rows = [f"{'family':<16}{'pos':>5}{'neg':>5}{'tp':>5}{'fn':>5}{'fp':>5}{'recall':>8}{'precision':>11}"]
    for family, counts in [*scores.items(), ("overall", total)]:
        members = [l for l in labels if family in (l.family, "overall")]
        rows.append(
            f"{FAMILIES.get(family, family):<16}{sum(l.expect for l in members):>5}"
            f"{sum(not l.expect for l in members):>5}{counts['tp']:>5}{counts['fn']:>5}"
            f"{counts['fp']:>5}{_ratio(counts['tp'], counts['fn']):>8.3f}"
            f"{_ratio(counts['tp'], counts['fp']):>11.3f}")
    print("\n" + "\n".join(rows))
    missed = [(l.path, l.line) for l in labels if l.expect and (l.path, l.line) not in
              {(f["path"], f["line"]) for f in findings}]
    expected = {(l.path, l.line) for l in labels if l.expect}
    false = [(f["path"], f["line"], f["rule_id"]) for f in findings
             if (f["path"], f["line"]) not in expected]
    print("missed:", missed)
    print("false positives:", false)

    assert _ratio(total["tp"], total["fn"]) >= MIN_OVERALL
    assert _ratio(total["tp"], total["fp"]) >= MIN_OVERALL
    for family, counts in scores.items():
        assert _ratio(counts["tp"], counts["fn"]) >= MIN_FAMILY, family
        assert _ratio(counts["tp"], counts["fp"]) >= MIN_FAMILY, family


def test_corpus_covers_every_family():
    from tests.corpus.generate import all_cases

    cases = all_cases()
    per_family = Counter(c.family for c in cases if c.positive)
    assert all(per_family[f] >= MIN_VARIANTS for f in FAMILIES), per_family
    assert sum(not c.positive for c in cases) >= MIN_HARD_NEGATIVES
    assert {c.family for c in cases} <= set(FAMILIES)
