"""The strict rule loader: defects are one-line errors, exit code 2 through the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scanner.errors import ScanError
from scanner.rules.loader import bundled_rules_dir, load_rule_file, load_rules
from tests.conftest import run_cli
from tests.test_packaging import loaded_after

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


# Defects both the schema (for a user's file) and the loader (for any file) reject:
# (mutation of VALID, the schema's message, the loader's own message).
SHARED_DEFECTS = [
    (lambda t: t.replace('title = "Team rule"', 'title = "Team rule"\ncolour = "red"'),
     "rule MG900: unknown field(s): 'colour'", "unknown field"),
    (lambda t: t.replace('"MG900"', '"X1"'), "rule #1: id: 'X1' must match ^MG[0-9]{3}$",
     "bad rule id"),
    (lambda t: t.replace('severity = "high"', 'severity = "urgent"'),
     "rule MG900: severity: 'urgent' must be one of info, low, medium, high, critical",
     "severity must be"),
    (lambda t: t.replace('fix = "Use the environment."\n', ""),
     "rule MG900: 'fix' is a required property", "missing field"),
    (lambda t: t.replace('["acme"]', '["ACME"]'),
     "rule MG900: keywords[0]: 'ACME' must match ^[^A-Z]*$ (lowercase)", "lowercase"),
    (lambda t: t.replace("https://docs", "http://docs"),
     "references[0]: 'http…' must match ^https://", "https"),
    (lambda t: t.replace('slug = "team-rule"', 'slug = "team-rule"\ncontext_lines = 3'),
     "rule MG900: 'context' is a dependency of 'context_lines'",
     "'context_lines' needs a 'context' pattern"),
]
SCHEMA_DEFECTS = [(mutation, message) for mutation, message, _ in SHARED_DEFECTS] + [
    (lambda t: t.replace('keywords = ["acme"]', 'keywords = "acme"'),
     "rule MG900: keywords: 'acme' must be of type array"),
    (lambda t: t.replace("[[rule]]", "[rules]\nx = 1\n[[rule]]"),
     "team.toml: unknown field(s): 'rules'"),
    (lambda t: t.replace("[[rule]]", "rule = 3\n[[rule]]"), "team.toml: "),
    (lambda t: t.replace("pattern = ", "evidence = 'x'\npattern = "),
     "rule MG900: a rule needs either a 'pattern' or an 'evidence'"),
]
LOADER_DEFECTS = [(mutation, message) for mutation, _, message in SHARED_DEFECTS]
SEMANTIC_DEFECTS = [  # what a schema cannot express: the loader's own checks
    (lambda t: t.replace("(?P<secret>", "("), "no (?P<secret>"),
    (lambda t: t.replace("{32})", "{32}"), "does not compile"),
    (lambda t: t + "\n[[rule]]\nid = ", "invalid rule file"),
    (lambda t: t + t, "duplicate rule id"),
    (lambda t: t.replace("[[rule]]\n", '[[rule]]\nscope = ["*.js", "src\\\\"]\n', 1),
     "bad 'scope' pattern: Invalid git pattern: 'src\\\\'"),
]


@pytest.mark.parametrize("mutation, message", SCHEMA_DEFECTS + SEMANTIC_DEFECTS)
def test_defects_are_rejected(tmp_path, mutation, message):
    path = write(tmp_path, mutation(VALID))
    with pytest.raises(ScanError, match=re.escape(message)):
        load_rules((path,))
    result = run_cli("rules", "check", str(path))
    assert result.code == 2
    assert message in result.stderr
    assert "invalid rule file team.toml" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("mutation, message", LOADER_DEFECTS)
def test_the_loader_checks_files_loaded_without_the_schema(tmp_path, mutation, message):
    path = write(tmp_path, mutation(VALID))
    with pytest.raises(ScanError, match=re.escape(message)):
        load_rule_file(path)


@pytest.mark.parametrize("mutation", [
    lambda t, key: t.replace('"MG900"', f'"{key}"'),
    lambda t, key: t.replace('severity = "high"', f'severity = "{key}"'),
    lambda t, key: t.replace('title = "Team rule"', f'title = "Team rule"\n{key} = 1'),
    lambda t, key: t.replace('["acme"]', f'["{key}"]'),
    lambda t, key: t.replace('slug = "team-rule"', f'slug = "{key}"'),
])
def test_schema_errors_never_show_a_pasted_key(tmp_path, key, mutation):
    result = run_cli("rules", "check", str(write(tmp_path, mutation(VALID, key))))
    assert result.code == 2 and "invalid rule file team.toml" in result.stderr
    assert key not in result.stderr + result.stdout
    assert f"'{key[:4]}…'" in result.stderr or "rule #1" in result.stderr


def test_a_config_extra_rules_file_is_checked_against_the_schema(tmp_path, key):
    write(tmp_path, VALID.replace('severity = "high"', 'severity = "urgent"'), "team.toml")
    (tmp_path / ".mistral-guard.toml").write_text('extra-rules = ["team.toml"]\n')
    (tmp_path / "app.py").write_text("x = 1\n")
    result = run_cli("scan", ".", cwd=tmp_path)
    assert result.code == 2
    assert "invalid rule file team.toml: rule MG900: severity: 'urgent'" in result.stderr
    write(tmp_path, VALID, "team.toml")
    (tmp_path / "app.py").write_text(f'ACME_MISTRAL = "{key}"\n')
    found = run_cli("scan", ".", cwd=tmp_path)
    assert found.code == 1 and "MG900" in found.stdout


def test_a_plain_scan_does_not_import_jsonschema(tmp_path, key):
    (tmp_path / "settings.env").write_text(f"MISTRAL_API_KEY={key}\n")
    assert loaded_after(["scan", str(tmp_path)], "jsonschema") == "1 []"
    team = write(tmp_path, VALID)
    assert loaded_after(["rules", "check", str(team)], "jsonschema") == "0 ['jsonschema']"


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
