"""Golden files: every format rendered from fixed findings must match tests/golden/ exactly.

Regenerate after an intended change with `MG_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scanner.report import github, gitlab, json as json_report, junit, sarif, text
from tests.report_fixtures import FINDINGS, RULE_DOCS, STATS

GOLDEN = Path(__file__).parent / "golden"
VERSION = "0.0.0-test"

RENDER = {
    "text.txt": lambda findings: text.render(findings, STATS),
    "json.json": lambda findings: json_report.render(findings, STATS, VERSION),
    "sarif.sarif": lambda findings: sarif.render(findings, RULE_DOCS, VERSION),
    "github.txt": github.render,
    "junit.xml": junit.render,
    "gitlab.json": lambda findings: gitlab.render(findings, RULE_DOCS, VERSION),
}


def check_golden(name: str, rendered: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MG_UPDATE_GOLDEN"):
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"{path} is missing; run with MG_UPDATE_GOLDEN=1 to create it"
    assert rendered == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(RENDER))
def test_findings_match_golden(name):
    check_golden(f"findings.{name}", RENDER[name](FINDINGS))


@pytest.mark.parametrize("name", sorted(RENDER))
def test_clean_run_matches_golden(name):
    check_golden(f"clean.{name}", RENDER[name]([]))


@pytest.mark.parametrize("name", sorted(RENDER))
def test_rendering_is_deterministic(name):
    assert RENDER[name](FINDINGS) == RENDER[name](list(FINDINGS))
