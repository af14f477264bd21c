"""Recall and precision of the risk families 6-9 on a generated corpus, through the real CLI."""

from __future__ import annotations

import json
from collections import Counter

from tests.conftest import run_cli
from tests.risk_corpus import CASES, FAMILIES, family_of, write_corpus

MIN_SCORE = 0.9


def _scores(tmp_path):
    written = write_corpus(tmp_path)
    result = run_cli("scan", str(tmp_path), "--format", "json")
    assert result.code == 1, result.stderr
    hits: dict[str, set[int]] = {}
    for finding in json.loads(result.stdout)["findings"]:
        family = family_of(finding["rule_id"])
        if family is not None:
            hits.setdefault(finding["path"], set()).add(family)
    table = {}
    for family in FAMILIES:
        tp = fp = fn = 0
        for path, case in written.items():
            flagged = family in hits.get(path, set())
            if case.family == family:
                tp, fn = tp + flagged, fn + (not flagged)
            else:
                fp += flagged
        recall = tp / (tp + fn)
        precision = tp / (tp + fp) if tp + fp else 1.0
        table[family] = (tp, fp, fn, recall, precision)
    missed = [p for p, c in written.items() if c.family and c.family not in hits.get(p, set())]
    false = [p for p, c in written.items() if hits.get(p, set()) - {c.family}]
    return table, missed, false


def test_corpus_is_large_enough():
    positives = Counter(case.family for case in CASES if case.family)
    assert all(positives[family] >= 5 for family in FAMILIES), positives
    assert sum(case.family is None for case in CASES) >= 60


def test_recall_and_precision_per_family(tmp_path):
    table, missed, false = _scores(tmp_path)
    print("\nfamily                     TP  FP  FN  recall  precision")
    for family, (tp, fp, fn, recall, precision) in table.items():
        name = f"{family} {FAMILIES[family][0]}"
        print(f"{name:<26} {tp:>2}  {fp:>2}  {fn:>2}  {recall:6.3f}  {precision:9.3f}")
    print("missed:", missed, "false alarms:", false)
    for family, (_, _, _, recall, precision) in table.items():
        assert recall >= MIN_SCORE and precision >= MIN_SCORE, (family, missed, false)
