"""Every format through the real CLI: golden files, no raw key anywhere, --format/--output pairs."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.sax.saxutils import escape

import jsonschema
import pytest

from scanner import __version__
from scanner.pipeline.run import FORMATS
from scanner.models import fingerprint, sha256_hex
from scanner.report.github import escape_data
from scanner.rules.loader import default_rules
from tests.conftest import run_cli
from tests.test_golden import check_golden

SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
FOUND = (("MG001", ".env"), ("MG002", "src/app.py"))


@pytest.fixture
def leaky_tree(tmp_path, key):
    tree = tmp_path / "tree"
    (tree / "src").mkdir(parents=True)
    (tree / "src" / "app.py").write_text('import os\n\nclient = Mistral(api_key="%s")\n' % key)
    (tree / ".env").write_text("OTHER=1\nMISTRAL_API_KEY=%s\n" % key)
    (tree / "clean.py").write_text("print('hello')\n")
    return tree


def _variants(text: str) -> list[str]:
    """How a text appears once a format has escaped it."""
    forms = {text, json.dumps(text, ensure_ascii=False)[1:-1], escape(text),
             escape(text, {'"': "&quot;"}), escape_data(text)}
    return sorted(forms, key=len, reverse=True)


def normalise(rendered: str, fmt: str, key: str) -> str:
    """Replace what changes with the generated key, the clock, the version and rule texts."""
    if fmt == "sarif":  # keep only the descriptors of the rules that fired
        document = json.loads(rendered)
        run = document["runs"][0]
        fired = {r["ruleId"] for r in run["results"]}
        run["tool"]["driver"]["rules"] = [
            r for r in run["tool"]["driver"]["rules"] if r["id"] in fired]
        for result in run["results"]:
            result.pop("ruleIndex")
        rendered = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    substitutions = {key[:4] + "…": "<PREVIEW>", sha256_hex(key): "<SECRET_SHA256>",
                     f"sha256:{sha256_hex(key)[:12]}": "sha256:<SECRET_SHA256 PREFIX>",
                     __version__: "<VERSION>"}
    for rule_id, path in FOUND:
        substitutions[fingerprint(rule_id, path, key)] = f"<FINGERPRINT {rule_id}>"
    for rule in default_rules():
        if rule.id in {rule_id for rule_id, _ in FOUND}:
            for field in ("fix", "why", "what", "title"):
                for form in _variants(getattr(rule, field)):
                    substitutions[form] = f"<{rule.id} {field}>"
            for number, reference in enumerate(rule.references, 1):
                substitutions[reference] = f"<{rule.id} reference {number}>"
    for old, new in substitutions.items():
        rendered = rendered.replace(old, new)
    rendered = re.sub(r"in \d+\.\d\ds\b", "in <SECONDS>s", rendered)
    rendered = re.sub(r'"seconds": [0-9.e-]+', '"seconds": "<SECONDS>"', rendered)
    return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<UUID>",
                  rendered)


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_output_matches_golden(leaky_tree, key, fmt):
    result = run_cli("scan", ".", "--format", fmt, cwd=leaky_tree)
    assert result.code == 1, result.stderr
    check_golden(f"cli.{fmt}", normalise(result.stdout, fmt, key))


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_contains_the_raw_key(leaky_tree, tmp_path, key, fmt):
    out = tmp_path / f"report.{fmt}"
    for args in (["--format", fmt], ["--format", fmt, "--output", str(out)]):
        result = run_cli("scan", str(leaky_tree), *args)
        assert result.code == 1, result.stderr
        assert key not in result.stdout + result.stderr
    assert key[:4] + "…" in out.read_text(encoding="utf-8")
    assert key not in out.read_text(encoding="utf-8")
    hook = run_cli("hook", str(leaky_tree / ".env"), "--format", fmt)
    assert hook.code == 1 and key not in hook.stdout + hook.stderr


def test_cli_sarif_validates_and_names_every_rule(leaky_tree):
    document = json.loads(run_cli("scan", ".", "--format", "sarif", cwd=leaky_tree).stdout)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r.id for r in default_rules())
    assert all(r["helpUri"].endswith(f"RULES.md#{r['id'].lower()}") for r in rules)


def test_several_reports_in_one_run(leaky_tree, tmp_path):
    sarif_file, json_file = tmp_path / "a.sarif", tmp_path / "b.json"
    result = run_cli("scan", str(leaky_tree), "--format", "sarif", "--output", str(sarif_file),
                     "--format", "json", "--output", str(json_file))
    assert result.code == 1
    assert json.loads(sarif_file.read_text())["version"] == "2.1.0"
    assert len(json.loads(json_file.read_text())["findings"]) == 2
    assert result.stdout.startswith("2 findings (2 critical)")
    assert f"reports written to {sarif_file}, {json_file}" in result.stdout


def test_one_more_format_goes_to_stdout_and_the_summary_to_stderr(leaky_tree, tmp_path):
    sarif_file = tmp_path / "a.sarif"
    result = run_cli("scan", str(leaky_tree), "--format", "sarif", "--output", str(sarif_file),
                     "--format", "github")
    assert result.code == 1
    assert sarif_file.exists()
    assert [line[:8] for line in result.stdout.splitlines()] == ["::error "] * 2
    assert f"report written to {sarif_file}" in result.stderr


def test_clean_run_still_writes_every_report(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    junit_file = tmp_path / "out" / "junit.xml"
    junit_file.parent.mkdir()
    result = run_cli("scan", str(tmp_path / "a.py"), "--format", "junit", "--output",
                     str(junit_file))
    assert result.code == 0
    assert 'name="no leaks found"' in junit_file.read_text()


@pytest.mark.parametrize("args", [
    ["--format", "json", "--format", "sarif"],
    ["--output", "a", "--output", "b"],
    ["--format", "json", "--output", "a", "--format", "sarif", "--output", "a"],
])
def test_unpaired_or_repeated_outputs_are_usage_errors(tmp_path, args):
    (tmp_path / "a.py").write_text("x = 1\n")
    result = run_cli("scan", "a.py", *args, cwd=tmp_path)
    assert result.code == 2 and "--output" in result.stderr
    assert "Traceback" not in result.stderr
