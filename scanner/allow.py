"""Inline suppression: `mistral-guard: allow` or `mistral-guard: allow[MG001,MG003]` on a line."""

from __future__ import annotations

import re

from scanner.models import Finding, Fragment

_ALLOW = re.compile(r"mistral-guard:\s*allow(?!-)(?:\[(?P<ids>[A-Z0-9, ]+)\])?")


def allowed_on_line(line: str, rule_id: str) -> bool:
    """True when `line` carries an allow comment that covers `rule_id`."""
    for match in _ALLOW.finditer(line):
        ids = match.group("ids")
        if ids is None or rule_id in {i.strip() for i in ids.split(",")}:
            return True
    return False


def drop_inline_allowed(fragment: Fragment, findings: list[Finding]) -> list[Finding]:
    """Remove findings whose line carries an allow comment for their rule."""
    if not findings or "mistral-guard:" not in fragment.text:
        return findings
    lines = fragment.text.split("\n")
    return [
        f for f in findings
        if not allowed_on_line(lines[f.line - fragment.start_line], f.rule_id)
    ]
