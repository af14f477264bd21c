"""Every example and negative example of every bundled rule, and hostile inputs per pattern."""

from __future__ import annotations

import time

import pytest

from scanner.engine.detector import Detector
from scanner.models import Fragment, sha256_hex
from scanner.rules.loader import KEY_PLACEHOLDER, default_rules
from scanner.pipeline.fragments import scan_fragments
from scanner.rules.check import fill, generate_fake_key

RULES = default_rules()
POSITIVES = [(r, i, e) for r in RULES for i, e in enumerate(r.examples)]
NEGATIVES = [(r, i, e) for r in RULES for i, e in enumerate(r.negative_examples)]
DETECTOR = Detector(RULES)


def _detector(rule):
    """The rule alone, beside a Mistral manifest when its examples need one (MG031)."""
    return Detector([rule], projects={"": rule.example_project} if rule.example_project else None)


def _id(case) -> str:
    rule, index, _ = case
    return f"{rule.id}-{index}"


@pytest.mark.parametrize("case", POSITIVES, ids=[_id(c) for c in POSITIVES])
def test_positive_example_gives_exactly_one_finding(case):
    rule, _, example = case
    key = generate_fake_key()
    findings = _detector(rule).detect(Fragment(rule.example_path, fill(example, key)))
    assert len(findings) == 1
    assert findings[0].rule_id == rule.id
    if KEY_PLACEHOLDER in example:
        assert findings[0].secret_sha256 == sha256_hex(key)
        assert findings[0].preview == key[:4] + "…"
    assert any(k in example.lower() for k in rule.keywords)


@pytest.mark.parametrize("case", NEGATIVES, ids=[_id(c) for c in NEGATIVES])
def test_negative_example_gives_no_finding(case):
    rule, _, example = case
    fragment = Fragment(rule.example_path, fill(example, generate_fake_key()))
    assert _detector(rule).detect(fragment) == []


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_has_positive_and_negative_examples(rule):
    assert len(rule.examples) >= 3 and len(rule.negative_examples) >= 3
    assert rule.applies_to(rule.example_path), "example_path is outside the rule's scope"


def _hostile_inputs() -> dict[str, str]:
    size = 100_000
    key = generate_fake_key()
    base = {
        "alnum": ("aB3" * size)[:size],
        "quotes": '"' * size,
        "single-quotes": "'" * size,
        "spaces": " " * size,
        "equals": "=" * size,
        "repeated-key": key * (size // len(key)),
        "brackets": "({[" * (size // 3),
        "nested-brackets": "(" * (size // 4) + "[{" * (size // 8) + "}]" * (size // 8)
                           + ")" * (size // 4),
        "nested-json": '{"mistral": ' * (size // 24) + '"x"' + "}" * (size // 24),
        "key-runs": (key + "-") * (size // 33),
        "almost-keys": (key[:31] + " ") * (size // 32),
        "digits": "7" * size,
        "mixed-quotes": "\"'`" * (size // 3),
        "separators": ":=,;|-_./\\" * (size // 10),
        "colons": ":" * size,
        "newlines": "\n" * size,
        "crlf": "\r\n" * (size // 2),
        "tabs-and-spaces": " \t" * (size // 2),
        "backslashes": "\\" * size,
        "dollar-braces": "${" * (size // 2),
        "non-ascii": "é€😀" * (size // 3),
    }
    prefixes = ["", "MISTRAL_API_KEY=", "Mistral(api_key=", "Bearer ", "https://api.mistral.ai ",
                "mistral:\n  api_key: ", "Authorization: Bearer ", "codestral ", "<add key=\""]
    cases = {}
    for name, body in base.items():
        for prefix in prefixes:
            cases[f"{prefix or 'bare'}|{name}"] = prefix + body
    cases["keyword-storm"] = ("mistral_api_key = " * (size // 18))[:size]
    cases["mistral-paren-storm"] = ("Mistral(" * (size // 8))[:size]
    cases["indented-sections"] = ("mistral:\n" + "            a: b\n" * 10) * 500
    cases["ini-sections"] = ("[mistral]\n" + "a = b\n" * 20) * 500
    cases["keyword-key-storm"] = (f"mistral {key} " * (size // 42))[:size]
    cases["url-storm"] = ("https://api.mistral.ai/v1/" * (size // 26))[:size]
    cases["bearer-storm"] = ("Bearer " * (size // 7))[:size]
    return cases


HOSTILE = _hostile_inputs()
BUDGET_SECONDS = 1.0


def _slow_inputs(regex) -> list[str]:
    """The hostile inputs `regex` takes longer than the budget to search through."""
    slow = []
    for name, text in HOSTILE.items():
        started = time.perf_counter()
        for _ in regex.finditer(text):
            pass
        elapsed = time.perf_counter() - started
        if elapsed > BUDGET_SECONDS:
            slow.append(f"{name}: {elapsed:.2f}s")
    return slow


PATTERN_RULES = [r for r in RULES if r.pattern]  # evidence rules have none


@pytest.mark.parametrize("rule", PATTERN_RULES, ids=[r.id for r in PATTERN_RULES])
def test_pattern_has_no_catastrophic_backtracking(rule):
    slow = _slow_inputs(rule.regex)
    assert not slow, f"{rule.id} is slow on hostile input: {slow}"


CONTEXT_RULES = [r for r in RULES if r.context is not None]


@pytest.mark.parametrize("rule", CONTEXT_RULES, ids=[r.id for r in CONTEXT_RULES])
def test_context_pattern_has_no_catastrophic_backtracking(rule):
    slow = _slow_inputs(rule.context)
    assert not slow, f"{rule.id} context is slow on hostile input: {slow}"


PIPELINE_BUDGET_SECONDS = 5.0


@pytest.mark.parametrize("name", HOSTILE)
def test_whole_detector_path_on_hostile_input(name):
    # Prefilter, key windows, shape checks, context, transforms and inline-allow together.
    started = time.perf_counter()
    result = scan_fragments([Fragment("config/settings.yaml", HOSTILE[name])], DETECTOR)
    elapsed = time.perf_counter() - started
    assert elapsed < PIPELINE_BUDGET_SECONDS, f"{name}: {elapsed:.2f}s"
    assert result.stats.files == 1


def test_every_rule_example_is_found_by_the_full_rule_set():
    for rule, _, example in POSITIVES:
        detector = Detector(RULES, projects=_detector(rule).projects)
        key = generate_fake_key()
        findings = detector.detect(Fragment(rule.example_path, fill(example, key)))
        keys = [f for f in findings if f.kind == "key"] if rule.shape == "mistral-key" else findings
        assert len(keys) == 1, (rule.id, len(findings))


ANCHORED = [(r, i, e) for r in RULES if r.anchors for i, e in enumerate(r.examples)]


@pytest.mark.parametrize("case", ANCHORED, ids=[_id(c) for c in ANCHORED])
def test_every_match_of_an_anchored_rule_contains_an_anchor(case):
    """Anchors are a promise the engine relies on: it runs the pattern only near them."""
    rule, _, example = case
    text = fill(example, generate_fake_key())
    matches = list(rule.regex.finditer(text))
    assert matches
    for match in matches:
        assert any(anchor in match.group(0).lower() for anchor in rule.anchors), match.group(0)
