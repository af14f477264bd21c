"""The bundled rules stay readable and linear: commented verbose patterns, every repetition
bounded, and the literals the prefilter derives from them pinned per rule."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]

import pytest

from scanner.engine.literals import required
from scanner.rules.loader import SCHEMA, bundled_rules_dir, default_rules, schema_problem

RULES = default_rules()
PATTERNS = [(rule, field, text) for rule in RULES
            for field, text in (("pattern", rule.pattern), ("context", rule.context_pattern))
            if text]  # a rule the evidence engine decides has no pattern
PINNED = json.loads((Path(__file__).parent / "required_literals.json").read_text("utf-8"))
# A line of a verbose pattern: some regex, then at least one space and a `# comment`; or a
# line that is only a comment (it introduces the alternatives below it).
COMMENTED_LINE = re.compile(r"""
    (?:\S.*?[ ]+)?  # the regex part (an escaped \# or a [#] class is not a comment), spaces
    \#[ ]           # the comment sign and a space
    \S              # a comment that says something
""", re.VERBOSE)


def _id(case) -> str:
    rule, field, _ = case
    return f"{rule.id}-{field}"


@pytest.mark.parametrize("case", PATTERNS, ids=[_id(c) for c in PATTERNS])
def test_every_pattern_is_verbose_with_a_comment_per_line(case):
    _, _, text = case
    lines = text.strip("\n").splitlines()
    assert lines[0].startswith("(?x)"), "a pattern starts with (?x)"
    assert len(lines) >= 3, "a pattern is laid out one part per line"
    uncommented = [line for line in lines if not COMMENTED_LINE.match(line.strip())]
    assert not uncommented, f"lines without a comment: {uncommented}"


def test_the_format_check_rejects_a_single_line_pattern():
    assert not COMMENTED_LINE.match(r"(?i:mistral)[\w.-]{0,64}(?P<secret>[A-Za-z0-9]{32})")
    assert not COMMENTED_LINE.match(r"[^\n#]{0,200}")  # a '#' inside a class is no comment
    assert COMMENTED_LINE.match(r"\#[^\n]{0,200}  # a comment sign, then the line")
    assert COMMENTED_LINE.match("# any of these 2 alternatives:")


def _unbounded(parsed, anchored_at_start: bool) -> list[str]:
    """Repetitions with no upper bound in a parsed pattern (re._parser's tree), except `.`
    repeated in a pattern anchored at \\A: it looks through the text once, in linear time."""
    found = []
    for op, av in parsed:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, body = av
            whole_text = anchored_at_start and list(body) == [(sre.ANY, None)]
            if high == sre.MAXREPEAT and not whole_text:
                found.append(f"{body} repeated {low} or more times")
            found += _unbounded(body, anchored_at_start)
        elif op is sre.SUBPATTERN:
            found += _unbounded(av[-1], anchored_at_start)
        elif op is sre.ATOMIC_GROUP:
            found += _unbounded(av, anchored_at_start)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            found += _unbounded(av[1], anchored_at_start)
        elif op is sre.BRANCH:
            for alternative in av[1]:
                found += _unbounded(alternative, anchored_at_start)
    return found


@pytest.mark.parametrize("case", PATTERNS, ids=[_id(c) for c in PATTERNS])
def test_every_repetition_is_bounded(case):
    """Issue 16: `[\\w.-]*mistral[\\w.-]*` made one 97 KB line take 33 s; a bound keeps the work
    per starting position constant, so every pattern is linear in the line's length."""
    parsed = sre_parser.parse(case[2], 0)
    anchored = bool(parsed.data) and parsed.data[0] == (sre.AT, sre.AT_BEGINNING_STRING)
    assert _unbounded(parsed, anchored) == []


def test_the_bound_check_finds_an_unbounded_run():
    assert len(_unbounded(sre_parser.parse(r"[\w.-]*mistral(?:a+)?", 0), False)) == 2
    assert _unbounded(sre_parser.parse(r"\A(?=.*?kind)", 0), True) == []
    assert _unbounded(sre_parser.parse(r"x(?=.*?kind)", 0), False) != []


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_required_literals_are_pinned_per_rule(rule):
    """literals.required reads the private re._parser: a Python whose parser changes must fail
    here, loudly, not silently skip rules. Recorded with CPython 3.11, 3.12 and 3.13 (equal);
    regenerate tests/rules/required_literals.json only after checking the new clauses."""
    derived = {field: [sorted(clause) for clause in required(text)]
               for field, text in (("pattern", rule.pattern), ("context", rule.context_pattern))
               if text}
    assert derived == PINNED[rule.id]


def test_every_rule_is_pinned():
    assert sorted(PINNED) == sorted(rule.id for rule in RULES)


def _schema() -> dict:
    return json.loads((Path(bundled_rules_dir()) / SCHEMA).read_text("utf-8"))


def test_the_schema_is_valid_json_schema_2020_12():
    import jsonschema

    schema = _schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", sorted(Path(bundled_rules_dir()).glob("*.toml")),
                         ids=lambda path: path.name)
def test_every_bundled_rule_file_conforms_to_the_schema(path):
    """The bundled files skip the schema at run time (jsonschema stays off the hook's path);
    this holds them to it."""
    document = tomllib.loads(path.read_text("utf-8"))
    assert schema_problem(document) is None
    broken = {"rule": [{**document["rule"][0], "severity": "urgent"}]}
    assert schema_problem(broken) == (0, "severity: 'urgent' must be one of "
                                         "info, low, medium, high, critical")
