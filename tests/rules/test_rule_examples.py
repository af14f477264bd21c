"""Every example and negative example of every bundled rule, and hostile inputs per pattern."""

from __future__ import annotations

import time

import pytest

from scanner.engine.detector import Detector
from scanner.engine.literals import required
from scanner.models import Fragment
from scanner.rules.loader import default_rules
from scanner.pipeline.fragments import scan_fragments
from scanner.rules.check import check_rule, fill, generate_fake_key

RULES = default_rules()
POSITIVES = [(r, i, e) for r in RULES for i, e in enumerate(r.examples)]
DETECTOR = Detector(RULES)
PATTERN_RULES = [r for r in RULES if r.pattern]  # the others are decided by evidence


def _id(case) -> str:
    rule, index, _ = case
    return f"{rule.id}-{index}"


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_examples_pass_the_rules_check(rule):
    """The same checker as `mistral-guard rules check`: each example one finding (the {KEY}
    value), each negative example none, keywords present, example_path inside the scope."""
    assert check_rule(rule) == []


@pytest.mark.parametrize("rule", PATTERN_RULES, ids=[r.id for r in PATTERN_RULES])
def test_rule_has_positive_and_negative_examples(rule):
    """Rules decided by evidence are exercised further by tests/test_evidence.py."""
    assert len(rule.examples) >= 3 and len(rule.negative_examples) >= 3


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


def _slow_on(regex, inputs: dict[str, str]) -> list[tuple[str, str]]:
    """(name, seconds) of each input `regex` takes longer than the budget to search through."""
    slow = []
    for name, text in inputs.items():
        started = time.perf_counter()
        for _ in regex.finditer(text):
            pass
        elapsed = time.perf_counter() - started
        if elapsed > BUDGET_SECONDS:
            slow.append((name, f"{elapsed:.2f}s"))
    return slow


def _slow_inputs(regex) -> list[tuple[str, str]]:
    """The hostile inputs `regex` takes longer than the budget to search through."""
    return _slow_on(regex, HOSTILE)


@pytest.mark.parametrize("rule", PATTERN_RULES, ids=[r.id for r in PATTERN_RULES])
def test_pattern_has_no_catastrophic_backtracking(rule):
    slow = _slow_inputs(rule.regex)
    assert not slow, f"{rule.id} is slow on hostile input: {slow}"


CONTEXT_RULES = [r for r in PATTERN_RULES if r.context is not None]


@pytest.mark.parametrize("rule", CONTEXT_RULES, ids=[r.id for r in CONTEXT_RULES])
def test_context_pattern_has_no_catastrophic_backtracking(rule):
    slow = _slow_inputs(rule.context)
    assert not slow, f"{rule.id} context is slow on hostile input: {slow}"


SEPARATORS = "-._:= \t\"'[({,/"
LINE_PREFIXES = ("", "[", '"', "api_key: x\n", "  ", '{"', "- ")


def _rule_words(rule, most: int = 3) -> list[str]:
    """The rule's keywords, then the literals its patterns require: the first `most`."""
    words = dict.fromkeys(rule.keywords)
    for pattern in (rule.pattern, rule.context_pattern):
        for clause in required(pattern) if pattern else ():
            words.update(dict.fromkeys(sorted(clause)))
    return list(words)[:most]


def _hostile_lines(rule, size: int = 100_000) -> dict[str, str]:
    """Lines of about `size` characters built from the rule's own words (issue 16: a YAML line
    of `mistral-` runs, each ended by a key-shaped token, took MG005 33 s): for every word and
    separator, runs of word+separator each followed by a fresh key-shaped token, after a
    prefix that opens a section, a string or a value; the word's case varies."""
    cases = {}
    combos = [(word, sep) for word in _rule_words(rule) for sep in SEPARATORS]
    for number, (word, sep) in enumerate(combos):
        word = (word, word.upper(), word.title())[number % 3]
        run = (word + sep) * 300
        pieces = [run + generate_fake_key() + sep for _ in range(size // len(run) + 1)]
        prefix = LINE_PREFIXES[number % len(LINE_PREFIXES)]
        cases[f"{prefix!r}+({word}{sep})*300+key"] = prefix + "".join(pieces)[:size]
    return cases


@pytest.mark.parametrize("rule", PATTERN_RULES, ids=[r.id for r in PATTERN_RULES])
def test_every_pattern_is_linear_on_lines_of_its_own_words(rule):
    lines = _hostile_lines(rule)
    slow = [f"{name}: {seconds}" for regex in (rule.regex, rule.context) if regex is not None
            for name, seconds in _slow_on(regex, lines)]
    assert not slow, f"{rule.id} is slow on lines of its own words: {slow}"


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
    detectors: dict[str | None, Detector] = {}
    for rule, _, example in POSITIVES:
        project = rule.example_project  # as check_rule scans it: beside its manifest
        if project not in detectors:
            detectors[project] = Detector(RULES, projects={"": project} if project else None)
        key = generate_fake_key()
        findings = detectors[project].detect(Fragment(rule.example_path, fill(example, key)))
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
