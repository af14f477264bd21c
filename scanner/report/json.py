"""`--format json`: the stable JSON contract of DESIGN.md section 6."""

from __future__ import annotations

import json
from collections.abc import Sequence

from scanner.models import Finding, Stats

FINDING_FIELDS = (
    "rule_id", "slug", "severity", "path", "line", "column", "end_column", "preview",
    "secret_sha256", "fingerprint", "fix", "commit", "author", "date", "in_head",
)


def render(findings: Sequence[Finding], stats: Stats, version: str) -> str:
    document = {
        "tool": {"name": "mistral-guard", "version": version},
        "findings": [{name: getattr(f, name) for name in FINDING_FIELDS} for f in findings],
        "stats": {
            "files": stats.files, "bytes": stats.bytes,
            "commits": stats.commits, "seconds": stats.seconds,
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
