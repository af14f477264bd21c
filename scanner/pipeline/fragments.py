"""Run fragments from a source through the detector and inline suppression."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from scanner.engine.detector import Detector
from scanner.engine.transforms import expand
from scanner.models import Finding, Fragment, Stats, Suppressed, severity_rank
from scanner.suppress.inline import split_inline_allowed


@dataclass(slots=True)
class ScanResult:
    """What scanning some fragments gave: findings, counts, inline-suppressed findings."""

    findings: list[Finding] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    suppressed: list[Suppressed] = field(default_factory=list)  # by inline comments
    # --verify only: sha256 -> secret of the findings, carried back from worker processes
    # in memory (never written, never in a Finding).
    secrets: dict[str, str] = field(default_factory=dict)


def finding_order(finding: Finding) -> tuple[str, int, int, str, str]:
    """The order of findings in every report: by path, position, rule, then commit."""
    return (finding.path, finding.line, finding.column, finding.rule_id, finding.commit or "")


def scan_fragments(
    fragments: Iterable[Fragment], detector: Detector, min_severity: str = "info",
    foreign_ignores: bool = True,
) -> ScanResult:
    """Detect, set aside inline-allowed and drop below-threshold findings, count what was
    scanned. `foreign_ignores` honours other scanners' comments (gitleaks:allow, ...).

    The pieces of a streamed file count as one file, and a secret in the overlap of two
    pieces is reported once (by the first piece that finds it)."""
    started = time.perf_counter()
    floor = severity_rank(min_severity)
    result = ScanResult()
    spans: set[tuple[int, int, int]] = set()  # (line, column, end) found in this file so far
    for fragment in fragments:
        if not fragment.continued:
            result.stats.files += 1
            spans = set()
        # A transform's copy of the text may find what the text found: reported once.
        detected = list({(f.rule_id, f.line, f.column, f.end_column): f for piece in
                         expand(fragment) for f in detector.detect(piece)}.values())
        found = [f for f in detected if severity_rank(f.severity) >= floor]
        if fragment.continued:
            found = [f for f in found if (f.line, f.column, f.end_column) not in spans]
        spans.update((f.line, f.column, f.end_column) for f in found)
        kept, allowed = split_inline_allowed(fragment, found, foreign_ignores)
        result.findings.extend(kept)
        result.suppressed.extend(allowed)
    result.findings.sort(key=finding_order)
    result.secrets = detector.take_secrets()
    result.stats.seconds = round(time.perf_counter() - started, 3)
    return result
