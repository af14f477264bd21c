"""`--format json`: the stable JSON contract of DESIGN.md section 6."""

from __future__ import annotations

import json
from collections.abc import Sequence

from scanner.models import Finding, Stats, Suppressed, Verification, unique_keys
from scanner.report.escape import json_safe

FINDING_FIELDS = (
    "rule_id", "slug", "severity", "path", "line", "column", "end_column", "kind",
    "confidence", "evidence", "preview", "matched",
    "secret_sha256", "fingerprint", "fix", "verification", "commit", "author", "date",
    "in_head",
)


def render(findings: Sequence[Finding], stats: Stats, version: str,
           suppressed: Sequence[Suppressed] | None = None) -> str:
    """The report; with `suppressed` (--show-suppressed) also a "suppressed" list whose
    items are findings plus "suppressed_by"."""
    document: dict[str, object] = {
        "tool": {"name": "mistral-guard", "version": version},
        "findings": [_finding(f) for f in findings],
        "unique_keys": [{"secret_sha256": key.secret_sha256, "preview": key.preview,
                         "verification": verification_object(key.verification),
                         "places": [_place(f) for f in key.places]}
                        for key in unique_keys(findings)],
        "stats": {
            "files": stats.files, "bytes": stats.bytes,
            "commits": stats.commits, "seconds": stats.seconds,
            "suppressed": stats.suppressed,
        },
    }
    if suppressed is not None:
        document["suppressed"] = [{**_finding(s.finding), "suppressed_by": s.by}
                                  for s in suppressed]
    return json_safe(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def _place(finding: Finding) -> dict[str, object]:
    """Where one unique key lives: path, line, and the commit for history findings."""
    return {"path": finding.path, "line": finding.line, "rule_id": finding.rule_id,
            "commit": finding.commit, "in_head": finding.in_head}


def _finding(finding: Finding) -> dict[str, object]:
    return {name: verification_object(finding.verification) if name == "verification"
            else getattr(finding, name) for name in FINDING_FIELDS}


def verification_object(verdict: Verification | None) -> dict[str, str] | None:
    """`{"status", "checked_at", "reason"}` of a verified key; None when not verified."""
    if verdict is None:
        return None
    return {"status": verdict.status, "checked_at": verdict.checked_at, "reason": verdict.reason}
