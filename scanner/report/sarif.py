"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other dashboards."""

from __future__ import annotations

import json
from collections.abc import Sequence
from urllib.parse import quote

from scanner.models import Finding, RuleDoc, finding_message
from scanner.report.escape import json_safe

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/mistral-guard/mistral-guard"
FINGERPRINT_KEY = "mistralGuardFingerprint/v1"
# GitHub ranks alerts by `security-severity`: >= 9.0 critical, >= 7.0 high, >= 4.0 medium.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
_PROVENANCE = ("commit", "author", "date", "in_head")


def render(findings: Sequence[Finding], rules: Sequence[RuleDoc], version: str) -> str:
    """One run: every rule as a descriptor, every finding as a result pointing at it."""
    docs = sorted(rules, key=lambda d: d.id)
    index = {doc.id: number for number, doc in enumerate(docs)}
    document = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "mistral-guard",
                "version": version,
                "semanticVersion": version,
                "informationUri": INFORMATION_URI,
                "rules": [_descriptor(doc) for doc in docs],
            }},
            "originalUriBaseIds": {"%SRCROOT%": {
                "description": {"text": "The scanned root; result paths are relative to it."},
            }},
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, index[f.rule_id]) for f in findings],
        }],
    }
    return json_safe(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def _descriptor(doc: RuleDoc) -> dict:
    return {
        "id": doc.id,
        "name": doc.slug,
        "shortDescription": {"text": doc.title},
        "fullDescription": {"text": doc.what},
        "help": {
            "text": f"{doc.what}\n\nWhy: {doc.why}\n\nFix: {doc.fix}",
            "markdown": f"{doc.what}\n\n**Why:** {doc.why}\n\n**Fix:** {doc.fix}\n\n"
                        f"[Rule documentation]({doc.help_uri})",
        },
        "helpUri": doc.help_uri,
        "defaultConfiguration": {"level": LEVEL[doc.severity]},
        "properties": {
            "tags": ["security", "secret", "external/cwe/cwe-798"],
            "security-severity": SECURITY_SEVERITY[doc.severity],
            "severity": doc.severity,
        },
    }


def _result(finding: Finding, rule_index: int) -> dict:
    properties: dict[str, object] = {
        "severity": finding.severity, "preview": finding.preview,
        "secret_sha256": finding.secret_sha256, "kind": finding.kind,
        "confidence": finding.confidence, "evidence": list(finding.evidence)}
    if finding.kind == "risk":
        properties["matched"] = finding.matched
    for name in _PROVENANCE:
        value = getattr(finding, name)
        if value is not None:
            properties[name] = value
    if finding.verification is not None:
        from scanner.report.json import verification_object

        properties["verification"] = verification_object(finding.verification)
    return {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVEL[finding.severity],
        "message": {"text": finding_message(finding)},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": quote(finding.path, safe="/"), "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": finding.line, "startColumn": finding.column,
                       "endLine": finding.line, "endColumn": finding.end_column},
        }}],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }
