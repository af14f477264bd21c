"""`example_path`: the path a scoped rule's examples are scanned as."""

from __future__ import annotations

import pytest

from scanner.errors import ScanError
from scanner.rules.loader import load_rule_file, load_rules
from scanner.rules.check import check_rule
from tests.conftest import run_cli

SCOPED = '''
[[rule]]
id = "MG901"
slug = "team-ci-rule"
title = "Team CI rule"
severity = "low"
keywords = ["acme_debug"]
shape = "any"
scope = ["*.yml"]
example_path = "ci/pipeline.yml"
pattern = '(?P<secret>ACME_DEBUG): *on'
fix = "Turn it off."
what = "w"
why = "y"
example = "e"
use_instead = "u"
references = ["https://docs.mistral.ai/"]
examples = ["ACME_DEBUG: on", "  ACME_DEBUG:  on"]
negative_examples = ["ACME_DEBUG: off"]
'''


def test_scoped_rule_examples_run_under_example_path(tmp_path):
    path = tmp_path / "team.toml"
    path.write_text(SCOPED, encoding="utf-8")
    (rule,) = load_rules((path,))
    assert rule.example_path == "ci/pipeline.yml"
    assert check_rule(rule) == []
    result = run_cli("rules", "check", str(path))
    assert result.code == 0, result.stdout + result.stderr


def test_scoped_rule_without_example_path_fails_its_examples(tmp_path):
    path = tmp_path / "team.toml"
    path.write_text(SCOPED.replace('example_path = "ci/pipeline.yml"\n', ""), encoding="utf-8")
    (rule,) = load_rules((path,))
    assert rule.example_path == "example.txt"
    assert check_rule(rule)


def test_empty_example_path_is_rejected(tmp_path):
    path = tmp_path / "team.toml"
    path.write_text(SCOPED.replace('"ci/pipeline.yml"', '""'), encoding="utf-8")
    with pytest.raises(ScanError, match="example_path: '' must not be empty"):
        load_rules((path,))  # the schema, for a user's file
    with pytest.raises(ScanError, match="'example_path' must be a non-empty string"):
        load_rule_file(path)  # the loader's own check, as for the bundled files
