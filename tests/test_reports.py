"""What each format promises beyond its golden file: schema validity, escaping, structure."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from scanner.report import github, gitlab, junit, sarif
from tests.report_fixtures import FINDINGS, RULE_DOCS

SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("findings", [FINDINGS, []], ids=["findings", "clean"])
def test_sarif_is_valid_against_the_official_schema(findings):
    document = json.loads(sarif.render(findings, RULE_DOCS, "1.2.3"))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)


def test_sarif_rules_results_and_provenance():
    run = json.loads(sarif.render(FINDINGS, RULE_DOCS, "1.2.3"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [d.id for d in RULE_DOCS]
    assert rules[0]["helpUri"].endswith("/docs/RULES.md#mg001")
    assert "Fix: " in rules[0]["help"]["text"]
    levels = {r["id"]: (r["defaultConfiguration"]["level"], r["properties"]["security-severity"])
              for r in rules}
    assert levels == {"MG001": ("error", "9.5"), "MG003": ("error", "8.0"),
                      "MG010": ("warning", "5.5"), "MG020": ("note", "3.0"),
                      "MG030": ("note", "1.0")}
    results = run["results"]
    assert len(results) == len(FINDINGS)
    for result, finding in zip(results, FINDINGS):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding.rule_id
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not location["artifactLocation"]["uri"].startswith("/")
        assert location["region"]["startLine"] == finding.line
        assert result["partialFingerprints"] == {sarif.FINGERPRINT_KEY: finding.fingerprint}
    assert results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "dir%2C%20with%3A%20odd/100%25%20done.py")
    assert "commit" not in results[0]["properties"]
    assert results[1]["properties"]["commit"] == FINDINGS[1].commit
    assert results[1]["properties"]["in_head"] is False


@pytest.mark.parametrize("raw, escaped", [
    ("100%", "100%25"), ("a\r\nb", "a%0D%0Ab"), ("%0A", "%250A"),
])
def test_github_escapes_message_data(raw, escaped):
    assert github.escape_data(raw) == escaped


def test_github_escapes_properties_and_maps_severity():
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    lines = github.render(FINDINGS).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == [
        "::error", "::error", "::warning", "::notice", "::notice"]
    odd = lines[2]
    properties, message = odd[len("::warning "):].split("::", 1)
    assert properties.startswith("file=dir%2C with%3A odd/100%25 done.py,line=1,")
    assert "\n" not in message and message.startswith("Fixture rule MG010 (secret Fak3…)")
    assert github.render([]) == ""


def test_junit_one_failing_case_per_finding_one_passing_when_clean():
    suite = ET.fromstring(junit.render(FINDINGS)).find("testsuite")
    cases = suite.findall("testcase")
    assert suite.get("tests") == suite.get("failures") == str(len(FINDINGS)) == str(len(cases))
    assert all(case.find("failure") is not None for case in cases)
    assert cases[1].get("name") == "deploy/call.sh:4:30@0123456789ab"
    assert "fix: Fix for MG003" in cases[1].find("failure").text
    clean = ET.fromstring(junit.render([])).find("testsuite")
    (case,) = clean.findall("testcase")
    assert case.find("failure") is None and clean.get("failures") == "0"


def test_junit_survives_characters_xml_cannot_hold():
    odd = dataclasses.replace(FINDINGS[0], path="bad\x01name.env")
    case = ET.fromstring(junit.render([odd])).find("testsuite/testcase")
    assert case.get("file") == "bad\ufffdname.env"


# The required fields and value shapes of GitLab's secret-detection-report-format.json, 15.x.
_GITLAB_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\Z")


def _check_gitlab_tool(tool: dict) -> None:
    assert all(isinstance(tool[k], str) and tool[k] for k in ("id", "name", "version"))
    assert tool["vendor"]["name"]


@pytest.mark.parametrize("findings", [FINDINGS, []], ids=["findings", "clean"])
def test_gitlab_report_has_the_schema_required_fields(findings):
    report = json.loads(gitlab.render(findings, RULE_DOCS, "1.2.3"))
    assert re.fullmatch(r"15\.\d+\.\d+", report["version"])
    scan = report["scan"]
    _check_gitlab_tool(scan["analyzer"])
    _check_gitlab_tool(scan["scanner"])
    assert scan["type"] == "secret_detection" and scan["status"] in ("success", "failure")
    assert _GITLAB_TIME.match(scan["start_time"]) and _GITLAB_TIME.match(scan["end_time"])
    ids = [v["id"] for v in report["vulnerabilities"]]
    assert len(set(ids)) == len(ids) == len(findings)
    for vulnerability, finding in zip(report["vulnerabilities"], findings):
        assert vulnerability["severity"] in ("Info", "Unknown", "Low", "Medium", "High", "Critical")
        assert len(vulnerability["name"]) <= 255 and finding.preview not in vulnerability["name"]
        identifiers = vulnerability["identifiers"]
        assert identifiers and all(i["type"] and i["name"] and i["value"] for i in identifiers)
        assert identifiers[0]["value"] == finding.rule_id
        location = vulnerability["location"]
        assert location["file"] == finding.path and location["start_line"] == finding.line
        assert location["commit"]["sha"] == (finding.commit or gitlab.NO_COMMIT)
        assert all(re.match(r"https?://", link["url"]) for link in vulnerability["links"])


def test_gitlab_severity_and_stable_ids():
    report = json.loads(gitlab.render(FINDINGS, RULE_DOCS, "1.2.3"))
    assert [v["severity"] for v in report["vulnerabilities"]] == [
        "Critical", "High", "Medium", "Low", "Info"]
    again = json.loads(gitlab.render(FINDINGS, RULE_DOCS, "1.2.3"))
    assert [v["id"] for v in again["vulnerabilities"]] == [
        v["id"] for v in report["vulnerabilities"]]
    assert report["vulnerabilities"][1]["location"]["commit"]["author"] == FINDINGS[1].author
