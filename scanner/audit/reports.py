"""Reports made from the audit store: JSON, CSV, SARIF (one run per repository), HTML."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from scanner.audit.store import RepositoryRow, Store, StoredFinding
from scanner.models import Finding

# The JSON finding: the scan report's contract fields, the repository, and the sightings.
FINDING_FIELDS = (
    "rule_id", "slug", "severity", "kind", "confidence", "path", "line", "column", "end_column",
    "preview", "matched", "secret_sha256", "fingerprint", "fix", "commit", "author", "date",
    "in_head", "commits",
)
CSV_FIELDS = ("repository", *FINDING_FIELDS, "verification_status", "first_seen", "last_seen")


def render(fmt: str, store: Store, version: str) -> str:
    """The store in one format."""
    findings = store.findings()
    repositories = store.repositories()
    if fmt == "json":
        return json.dumps(document(findings, repositories, version), indent=2,
                          ensure_ascii=False) + "\n"
    if fmt == "csv":
        return _csv(findings)
    if fmt == "sarif":
        return _sarif(findings, repositories, version)
    from scanner.audit.html import render_html

    return render_html(document(findings, repositories, version))


def document(findings: Sequence[StoredFinding], repositories: Sequence[RepositoryRow],
             version: str) -> dict[str, object]:
    """The JSON report: findings, repositories (with counts), failures, and unique keys."""
    return {
        "tool": {"name": "mistral-guard", "version": version},
        "findings": [_finding(stored) for stored in findings],
        "repositories": [{
            "repository": row.address, "status": row.status, "error": row.error,
            "commits": row.commits, "seconds": row.seconds,
            "findings": sum(s.repository == row.address for s in findings),
        } for row in repositories],
        "failed": [{"repository": row.address, "error": row.error}
                   for row in repositories if row.status == "failed"],
        "keys": unique_keys(findings),
    }


def _finding(stored: StoredFinding) -> dict[str, object]:
    f = stored.finding
    verification = None if f.verification is None else {
        "status": f.verification.status, "checked_at": f.verification.checked_at,
        "reason": f.verification.reason}
    return {"repository": stored.repository, **{name: getattr(f, name) for name in FINDING_FIELDS},
            "evidence": list(f.evidence), "verification": verification,
            "first_seen": stored.first_seen, "last_seen": stored.last_seen}


def unique_keys(findings: Sequence[StoredFinding]) -> list[dict[str, object]]:
    """One entry per key across the organisation (a key to rotate once), with every place it
    lives and the earliest commit date that introduced it; most widespread first."""
    by_key: dict[str, list[StoredFinding]] = {}
    for stored in findings:
        if stored.finding.kind == "key":
            by_key.setdefault(stored.finding.secret_sha256, []).append(stored)
    keys: list[dict[str, object]] = []
    for sha, places in by_key.items():
        first = places[0].finding
        dates = [s.finding.date for s in places if s.finding.date]
        keys.append({
            "secret_sha256": sha, "preview": first.preview, "severity": first.severity,
            "introduced": min(dates) if dates else None,
            "in_head": any(s.finding.in_head for s in places),
            "places": [{"repository": s.repository, "path": s.finding.path,
                        "line": s.finding.line, "commit": s.finding.commit,
                        "in_head": s.finding.in_head} for s in places]})
    keys.sort(key=lambda k: (-len(by_key[str(k["secret_sha256"])]), str(k["secret_sha256"])))
    return keys


def _csv(findings: Sequence[StoredFinding]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for stored in findings:
        f = stored.finding
        writer.writerow([stored.repository, *(_cell(getattr(f, name)) for name in FINDING_FIELDS),
                         f.verification.status if f.verification else "",
                         stored.first_seen, stored.last_seen])
    return out.getvalue()


def _cell(value: object) -> object:
    """A CSV cell; text a spreadsheet would run as a formula is quoted with a leading '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return "" if value is None else value


def _sarif(findings: Sequence[StoredFinding], repositories: Sequence[RepositoryRow],
           version: str) -> str:
    """SARIF 2.1.0 with one run per audited repository (its address as the run's
    version-control provenance), built with the scan report's SARIF writer."""
    from scanner.models import RuleDoc
    from scanner.pipeline.run import RULES_DOC_URL
    from scanner.report import sarif

    runs = []
    for row in repositories:
        if row.status != "done":
            continue
        own: list[Finding] = [s.finding for s in findings if s.repository == row.address]
        docs = {f.rule_id: RuleDoc(
            id=f.rule_id, slug=f.slug, title=f.title, severity=f.severity, what=f.title,
            why="", fix=f.fix, help_uri=f"{RULES_DOC_URL}#{f.rule_id.lower()}") for f in own}
        run = json.loads(sarif.render(own, list(docs.values()), version))["runs"][0]
        run["versionControlProvenance"] = [{"repositoryUri": _uri(row.address)}]
        runs.append(run)
    return json.dumps({"$schema": sarif.SCHEMA_URI, "version": "2.1.0", "runs": runs},
                      indent=2, ensure_ascii=False) + "\n"


def _uri(address: str) -> str:
    """A URL stays as it is; a local path becomes a file:// URI."""
    import os
    from pathlib import Path

    from scanner.sources.gitcmd import mirror_transport

    if "://" in address or mirror_transport(address) != "file":
        return address
    return Path(os.path.abspath(address)).as_uri()
