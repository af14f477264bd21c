"""The strict rule loader: defects are one-line errors, exit code 2 through the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.errors import ScanError
from scanner.rules.loader import bundled_rules_dir, load_rules
from tests.conftest import run_cli

VALID = '''
[[rule]]
id = "MG900"
slug = "team-rule"
title = "Team rule"
severity = "high"
keywords = ["acme"]
pattern = 'ACME_MISTRAL\\s*=\\s*"(?P<secret>[A-Za-z0-9]{32})"'
fix = "Use the environment."
what = "w"
why = "y"
example = "e"
use_instead = "u"
references = ["https://docs.mistral.ai/"]
examples = ['ACME_MISTRAL = "{KEY}"']
negative_examples = ['ACME_MISTRAL = os.environ["X"]']
'''


def write(tmp_path: Path, text: str, name: str = "team.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file_loads(tmp_path):
    (rule,) = load_rules((write(tmp_path, VALID),))
    assert rule.id == "MG900" and rule.keywords == ("acme",)


@pytest.mark.parametrize("mutation, message", [
    (lambda t: t.replace('title = "Team rule"', 'title = "Team rule"\ncolour = "red"'), "unknown field"),
    (lambda t: t.replace("(?P<secret>", "("), "no (?P<secret>"),
    (lambda t: t.replace('"MG900"', '"X1"'), "bad rule id"),
    (lambda t: t.replace('severity = "high"', 'severity = "urgent"'), "severity must be"),
    (lambda t: t.replace('fix = "Use the environment."\n', ""), "missing field"),
    (lambda t: t.replace('["acme"]', '["ACME"]'), "lowercase"),
    (lambda t: t.replace("https://docs", "http://docs"), "https"),
    (lambda t: t.replace("{32})", "{32}"), "does not compile"),
    (lambda t: t + "\n[[rule]]\nid = ", "invalid rule file"),
    (lambda t: t + t, "duplicate rule id"),
    (lambda t: t.replace("[[rule]]\n", '[[rule]]\nscope = ["*.js", "src\\\\"]\n', 1),
     "bad 'scope' pattern: Invalid git pattern: 'src\\\\'"),
])
def test_defects_are_rejected(tmp_path, mutation, message):
    path = write(tmp_path, mutation(VALID))
    with pytest.raises(ScanError, match=re.escape(message)):
        load_rules((path,))
    result = run_cli("rules", "check", str(path))
    assert result.code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_rules_check_runs_team_examples(tmp_path):
    good = run_cli("rules", "check", str(write(tmp_path, VALID)))
    assert good.code == 0 and "1 rules checked, 0 problems" in good.stdout
    failing = VALID.replace("""negative_examples = ['ACME_MISTRAL = os.environ["X"]']""",
                            """negative_examples = ['ACME_MISTRAL = "{KEY}"']""")
    bad = run_cli("rules", "check", str(write(tmp_path, failing, "bad.toml")))
    assert bad.code == 1 and "MG900 negative example 1" in bad.stdout


def test_missing_rule_file_is_exit_2(tmp_path):
    result = run_cli("rules", "check", str(tmp_path / "nope.toml"))
    assert result.code == 2


def test_bundled_rules_live_in_rules_dir():
    directory = Path(bundled_rules_dir())
    assert directory.name in {"rules", "rulepack"}
    assert sorted(p.name for p in directory.glob("*.toml"))


def test_scoped_rule_examples_run_under_example_path(tmp_path):
    scoped = VALID.replace("[[rule]]\n", '[[rule]]\nscope = ["*.cfg"]\nexample_path = "app.cfg"\n', 1)
    assert run_cli("rules", "check", str(write(tmp_path, scoped))).code == 0
    outside = scoped.replace('example_path = "app.cfg"', 'example_path = "app.txt"')
    bad = run_cli("rules", "check", str(write(tmp_path, outside, "outside.toml")))
    assert bad.code == 1 and "outside the rule's scope" in bad.stdout
