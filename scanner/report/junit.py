"""`--format junit`: JUnit XML for GitLab, Jenkins and Azure test reports.

One failing test case per finding; one passing case when clean, so the report is never empty.
No timestamps or durations, so the same findings give the same bytes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from scanner.models import Finding, finding_message, verification_text

SUITE = "mistral-guard"
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _case_name(finding: Finding) -> str:
    name = f"{finding.path}:{finding.line}:{finding.column}"
    return f"{name}@{finding.commit[:12]}" if finding.commit else name


def _details(finding: Finding) -> str:
    lines = [
        f"rule: {finding.rule_id} ({finding.slug})",
        f"severity: {finding.severity}",
        f"location: {finding.path}:{finding.line}:{finding.column}-{finding.end_column}",
        f"kind: {finding.kind}, confidence: {finding.confidence}",
        (f"secret: {finding.preview} (sha256 {finding.secret_sha256})" if finding.kind == "key"
         else f"matched: {finding.matched}"),
        f"fingerprint: {finding.fingerprint}",
        *(f"evidence: {words}" for words in finding.evidence),
    ]
    for name in ("commit", "author", "date", "in_head"):
        value = getattr(finding, name)
        if value is not None:
            lines.append(f"{name}: {value}")
    if finding.verification is not None:
        lines.append(f"verification: {verification_text(finding.verification)} "
                     f"at {finding.verification.checked_at}")
    lines.append(f"fix: {finding.fix}")
    return "\n".join(lines)


def render(findings: Sequence[Finding]) -> str:
    count = str(max(len(findings), 1))
    failures = str(len(findings))
    root = ET.Element("testsuites", name=SUITE, tests=count, failures=failures, errors="0")
    suite = ET.SubElement(root, "testsuite", name=SUITE, tests=count, failures=failures,
                          errors="0", skipped="0")
    for finding in findings:
        case = ET.SubElement(suite, "testcase", classname=f"{SUITE}.{finding.rule_id}",
                             name=_xml_safe(_case_name(finding)), file=_xml_safe(finding.path))
        failure = ET.SubElement(case, "failure", type=finding.severity,
                                message=_xml_safe(finding_message(finding)))
        failure.text = _xml_safe(_details(finding))
    if not findings:
        ET.SubElement(suite, "testcase", classname=SUITE, name="no leaks found")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
