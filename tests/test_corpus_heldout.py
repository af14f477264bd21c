"""Recall and precision on the set-aside corpus (tests/corpus_heldout): shapes written down
before the engine work and never tuned on. Scored exactly like tests/test_corpus.py."""

from __future__ import annotations

from tests.corpus.case import FAMILIES
from tests.corpus.score import scan_corpus
from tests.corpus_heldout.generate import all_cases

MIN_RECALL, MIN_PRECISION = 0.95, 0.95


def test_heldout_cases_are_well_formed():
    cases = all_cases()
    assert cases and {c.family for c in cases} <= set(FAMILIES)
    for case in cases:
        case.label_line()  # a positive holds exactly one key slot


def test_heldout_recall_and_precision(tmp_path):
    scores = scan_corpus(tmp_path, all_cases())
    # Per-family figures only: which files are missed is not printed, so nobody tunes on them.
    print("\n" + scores.table())

    assert scores.recall() >= MIN_RECALL
    assert scores.precision() >= MIN_PRECISION
