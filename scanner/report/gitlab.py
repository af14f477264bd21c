"""`--format gitlab`: a GitLab Secret Detection report (security report schema 15.x).

Declare it as `artifacts: reports: secret_detection:` and GitLab shows the findings in the
merge-request security widget and the vulnerability report. The schema requires
`scan.start_time` and `scan.end_time`; both hold the fixed value `NO_TIME`, so the same
findings always give the same bytes. Findings without a commit (working-tree scans) carry
`NO_COMMIT`, as GitLab's own analyzer does for files outside git history.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence

from scanner.models import Finding, RuleDoc, finding_message
from scanner.report.escape import json_safe

SCHEMA_VERSION = "15.0.0"
NO_TIME = "1970-01-01T00:00:00"
NO_COMMIT = "0000000"
SEVERITY = {"critical": "Critical", "high": "High", "medium": "Medium", "low": "Low",
            "info": "Info"}
_ID_NAMESPACE = uuid.UUID("6f0d9a52-3c1e-4a8e-9a57-2f8f0c7b1d4e")
_CWE_798 = {"type": "cwe", "name": "CWE-798", "value": "798",
            "url": "https://cwe.mitre.org/data/definitions/798.html"}


def render(findings: Sequence[Finding], rules: Sequence[RuleDoc], version: str) -> str:
    docs = {doc.id: doc for doc in rules}
    tool = {"id": "mistral-guard", "name": "mistral-guard", "version": version,
            "vendor": {"name": "mistral-guard"},
            "url": "https://github.com/mistral-guard/mistral-guard"}
    document = {
        "version": SCHEMA_VERSION,
        "vulnerabilities": [_vulnerability(f, docs[f.rule_id]) for f in findings],
        "scan": {
            "analyzer": tool, "scanner": tool, "type": "secret_detection", "status": "success",
            "start_time": NO_TIME, "end_time": NO_TIME,
        },
    }
    return json_safe(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def vulnerability_id(finding: Finding) -> str:
    """A UUID derived from the finding: reruns give the same id, two findings never share one."""
    place = f"{finding.fingerprint}:{finding.commit or ''}:{finding.line}:{finding.column}"
    return str(uuid.uuid5(_ID_NAMESPACE, place))


def _vulnerability(finding: Finding, doc: RuleDoc) -> dict:
    commit = {"sha": finding.commit or NO_COMMIT}
    if finding.author is not None:
        commit["author"] = finding.author
    if finding.date is not None:
        commit["date"] = finding.date
    return {
        "id": vulnerability_id(finding),
        "category": "secret_detection",
        "name": doc.title,
        "description": f"{finding_message(finding)}\n\n{doc.why}",
        "severity": SEVERITY[finding.severity],
        "solution": doc.fix,
        "scanner": {"id": "mistral-guard", "name": "mistral-guard"},
        "location": {"file": finding.path, "start_line": finding.line,
                     "end_line": finding.line, "commit": commit},
        "identifiers": [
            {"type": "mistral_guard_rule_id", "name": f"mistral-guard {doc.id}",
             "value": doc.id, "url": doc.help_uri},
            _CWE_798,
        ],
        "links": [{"url": url} for url in doc.references],
    }
