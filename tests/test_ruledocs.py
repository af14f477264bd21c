"""docs/RULES.md is generated from the rule files and must stay in sync with them."""

from __future__ import annotations

from scanner.rules.docs import render
from scanner.rules.loader import default_rules
from tests.conftest import REPO_ROOT, run_cli

RULES_MD = REPO_ROOT / "docs" / "RULES.md"


def test_rules_md_is_in_sync_with_the_rule_files():
    assert RULES_MD.read_text(encoding="utf-8") == render(default_rules()), (
        "docs/RULES.md is stale: run `mistral-guard rules docs --output docs/RULES.md`")


def test_every_rule_has_an_anchored_section():
    text = RULES_MD.read_text(encoding="utf-8")
    for rule in default_rules():
        assert f'<a id="{rule.id.lower()}"></a>\n\n## {rule.id} — {rule.title}\n' in text
        for heading in ("**What it finds.**", "**Why it matters.**", "**Example.**",
                        "**Use instead.**", "**Fix.**", "**References.**"):
            assert heading in text


def test_docs_command_prints_and_writes_the_same_markdown(tmp_path):
    printed = run_cli("rules", "docs")
    assert printed.code == 0
    assert printed.stdout == render(default_rules())
    written = run_cli("rules", "docs", "--output", str(tmp_path / "RULES.md"))
    assert written.code == 0
    assert (tmp_path / "RULES.md").read_text(encoding="utf-8") == printed.stdout
