"""Required literals: what a pattern's matches must contain, and that using them to skip
rules changes no finding."""

from __future__ import annotations

import random
import re

import pytest

from scanner.engine import literals, prefilter
from scanner.engine.detector import Detector
from scanner.engine.literals import required, satisfied
from scanner.models import Fragment
from scanner.rules.loader import default_rules
from scanner.rules.check import fill, generate_fake_key
from scanner.sources.files import decode
from scanner.engine.transforms import expand
from tests.test_prefilter import _corpus, _snippets

RULES = default_rules()


@pytest.mark.parametrize(("pattern", "clauses"), [
    (r"(?i)mistral", [{"mistral"}]),
    (r"MISTRAL_API_KEY\s*=", [{"mistral_api_key"}]),
    (r"(?:mistral|codestral)\.ai", [{"mistral", "codestral"}, {".ai"}]),
    (r"foo(?:bar)?baz", [{"foo"}, {"baz"}]),
    (r"(?:abc|x)yz", []),  # one alternative is too short to tell
    (r"(?:token)*secret", [{"secret"}]),
    (r"(?:token)+", [{"token"}]),
    (r"(?!mistral)key_", [{"key_"}]),  # a negative look-ahead needs nothing
    (r"(?=.*kind)value", [{"kind"}, {"value"}]),
    (r"api\bkey", [{"api"}, {"key"}]),
    (r'api"key', [{"api"}, {"key"}]),  # a quote is escaped in JSON: never part of a literal
    (r"(a)b\1", []),
])
def test_required_literals(pattern, clauses):
    assert [set(c) for c in required(pattern)] == clauses


def test_every_example_has_what_its_rule_requires():
    for rule in (r for r in RULES if r.pattern):  # evidence rules have no pattern to require
        for example in (*rule.examples, *rule.negative_examples):
            text = fill(example, generate_fake_key())
            for pattern in (rule.regex, rule.context):
                if pattern is not None and pattern.search(text):
                    assert satisfied(required(pattern.pattern), text.lower()), (rule.id, example)


def test_case_folding_characters_keep_every_rule_a_candidate():
    detector = Detector(RULES, "python")
    text = 'MISTRAL_API_KEY = "x"  # \u017fecret'
    assert detector._prefilter.candidates(text) == [
        r for r in detector.rules if r.pattern and any(k in text.lower() for k in r.keywords)]


def _findings(texts: list[tuple[str, str]]) -> list:
    detector = Detector(RULES, "python")
    return [f for path, text in texts for piece in expand(Fragment(path, text))
            for f in detector.detect(piece)]


def test_literals_change_no_finding(monkeypatch):
    texts = [("src/app.py", t) for t in _snippets()]
    texts += [("src/app.py", t) for t in filter(None, map(decode, _corpus(random.Random(5))))]
    texts += [(r.example_path, fill(e, generate_fake_key())) for r in RULES
              for e in (*r.examples, *r.negative_examples)]
    with_literals = _findings(texts)
    monkeypatch.setattr(prefilter, "rule_clauses", lambda pattern, context: ())
    assert literals.rule_clauses is not prefilter.rule_clauses
    without = _findings(texts)
    assert len(without) > 50
    assert with_literals == without


@pytest.mark.parametrize("engine", ["python", pytest.param("hyperscan", marks=pytest.mark.skipif(
    not prefilter.simd_available(), reason="the hyperscan wheel (extra 'fast') is not installed"))])
def test_gate_with_a_path_never_rejects_a_finding(engine):
    detector = Detector(RULES, engine)
    for rule in RULES:
        for example in rule.examples:
            text = fill(example, generate_fake_key())
            for path in (rule.example_path, "src/app.py"):
                if detector.detect(Fragment(path, text)):
                    assert detector.may_match(text.encode(), path), (rule.id, path)
