"""`--format github`: GitHub Actions workflow commands, so findings show inline on a PR.

https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

from collections.abc import Sequence

from scanner.models import Finding, finding_message
from scanner.report.escape import terminal_safe

COMMAND = {"critical": "error", "high": "error", "medium": "warning", "low": "notice",
           "info": "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message: '%', CR and LF would end or corrupt the command; other
    control characters and bidi marks are written as escapes (the log is a terminal)."""
    return terminal_safe(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """Escape a property value: also ':' and ',', which separate properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    properties = {
        "file": finding.path, "line": str(finding.line), "endLine": str(finding.line),
        "col": str(finding.column), "endColumn": str(finding.end_column),
        "title": f"{finding.rule_id} {finding.title}",
    }
    rendered = ",".join(f"{name}={escape_property(value)}" for name, value in properties.items())
    return f"::{COMMAND[finding.severity]} {rendered}::{escape_data(finding_message(finding))}"


def render(findings: Sequence[Finding]) -> str:
    """One annotation per finding; nothing at all when clean."""
    return "".join(annotation(f) + "\n" for f in findings)
