"""Recall and precision of the real CLI on the generated, labelled corpus (pytest -s prints them).

The original five families are held to their thresholds; the families of the real-shapes
corpus (tests/corpus/SHAPES.md) are scored in their own test, expected to fail until the
candidates + evidence + data-flow engine lands.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.corpus.case import FAMILIES, ORIGINAL_FAMILIES
from tests.corpus.generate import all_cases
from tests.corpus.score import scan_corpus

MIN_OVERALL, MIN_FAMILY, MIN_VARIANTS, MIN_HARD_NEGATIVES = 0.98, 0.9, 5, 150
MIN_NEW_OVERALL = 0.99
NEW_FAMILIES = tuple(f for f in FAMILIES if f not in ORIGINAL_FAMILIES)
# Families whose positives are few by design (mostly negatives).
FEW_POSITIVES = {"fakes": 2}


def test_corpus_recall_and_precision(tmp_path):
    scores = scan_corpus(tmp_path, [c for c in all_cases() if c.family in ORIGINAL_FAMILIES])
    print("\n" + scores.report())

    assert scores.recall() >= MIN_OVERALL
    assert scores.precision() >= MIN_OVERALL
    for family in scores.per_family:
        assert scores.recall(family) >= MIN_FAMILY, family
        assert scores.precision(family) >= MIN_FAMILY, family


def test_corpus_new_families(tmp_path):
    scores = scan_corpus(tmp_path, [c for c in all_cases() if c.family in NEW_FAMILIES])
    print("\n" + scores.report())

    assert scores.recall() >= MIN_NEW_OVERALL
    assert scores.precision() >= MIN_NEW_OVERALL


def test_corpus_covers_every_family():
    cases = all_cases()
    per_family = Counter(c.family for c in cases if c.positive)
    assert all(per_family[f] >= FEW_POSITIVES.get(f, MIN_VARIANTS) for f in FAMILIES), per_family
    assert sum(not c.positive for c in cases) >= MIN_HARD_NEGATIVES
    assert {c.family for c in cases} <= set(FAMILIES)
