"""Inline suppression comments, ours and other scanners' (so a team migrates without edits).

On the finding's line: `mistral-guard: allow`, `mistral-guard: allow[MG001,MG003]`,
`gitleaks:allow`, `pragma: allowlist secret`, `trufflehog:ignore`, `kingfisher:ignore`,
`ggignore`. On the line above: `mistral-guard: allow-next-line` (optionally `[MG001]`) and
`pragma: allowlist nextline secret`.
"""

from __future__ import annotations

import re

from scanner.models import RULE_ID, Finding, Fragment, Suppressed

_OWN = re.compile(
    r"mistral-guard:\s*allow(?P<next>-next-line)?(?:\[(?P<ids>[^\]\n]*)\])?(?![\w\[-])", re.I)
# (pattern, canonical name, applies to the next line)
_FOREIGN = (
    (re.compile(r"gitleaks:allow", re.I), "gitleaks:allow", False),
    (re.compile(r"pragma:\s*allowlist\s+secret", re.I), "pragma: allowlist secret", False),
    (re.compile(r"pragma:\s*allowlist\s+nextline\s+secret", re.I),
     "pragma: allowlist nextline secret", True),
    (re.compile(r"trufflehog:ignore", re.I), "trufflehog:ignore", False),
    (re.compile(r"kingfisher:ignore", re.I), "kingfisher:ignore", False),
    (re.compile(r"ggignore", re.I), "ggignore", False),
)
_MARKERS = ("mistral-guard:", "gitleaks", "pragma", "trufflehog", "kingfisher", "ggignore")


def _own_allowance(line: str, rule_id: str, next_line: bool) -> str | None:
    for match in _OWN.finditer(line):
        if bool(match.group("next")) != next_line:
            continue
        name = "mistral-guard: allow" + ("-next-line" if next_line else "")
        ids = match.group("ids")
        if ids is None:
            return name
        wanted = [i.strip().upper() for i in ids.split(",")]
        if all(RULE_ID.match(i) for i in wanted) and rule_id in wanted:
            return f"{name}[{','.join(wanted)}]"
    return None


def _foreign_allowance(line: str, next_line: bool) -> str | None:
    for pattern, name, for_next in _FOREIGN:
        if for_next == next_line and pattern.search(line):
            return name
    return None


_PLACES = ((0, False, "on its line"), (-1, True, "on the line above"))


def inline_allowance(lines: list[str], index: int, rule_id: str,
                     foreign: bool = True) -> str | None:
    """Which comment allows a `rule_id` finding on `lines[index]` (and where), or None."""
    for offset, next_line, where in _PLACES:
        at = index + offset
        if at < 0:
            continue
        found = _own_allowance(lines[at], rule_id, next_line)
        if found is None and foreign:
            found = _foreign_allowance(lines[at], next_line)
        if found is not None:
            return f"inline comment `{found}` {where}"
    return None


def split_inline_allowed(fragment: Fragment, findings: list[Finding],
                         foreign: bool = True) -> tuple[list[Finding], list[Suppressed]]:
    """Split findings into those kept and those an inline comment allows (and by which)."""
    lowered = fragment.text.lower() if findings else ""
    if not any(marker in lowered for marker in _MARKERS):
        return findings, []
    lines = fragment.text.split("\n")
    kept: list[Finding] = []
    suppressed: list[Suppressed] = []
    for finding in findings:
        by = inline_allowance(lines, finding.line - fragment.start_line, finding.rule_id, foreign)
        if by is None:
            kept.append(finding)
        else:
            suppressed.append(Suppressed(finding, by))
    return kept, suppressed
