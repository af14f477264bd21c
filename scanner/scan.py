"""Run fragments from a source through the detector and inline suppression."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from scanner.allow import split_inline_allowed
from scanner.detect import Detector
from scanner.models import Finding, Fragment, Stats, Suppressed, severity_rank


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    suppressed: list[Suppressed] = field(default_factory=list)  # by inline comments


def scan_fragments(
    fragments: Iterable[Fragment], detector: Detector, min_severity: str = "info",
    foreign_ignores: bool = True,
) -> ScanResult:
    """Detect, set aside inline-allowed and drop below-threshold findings, count what was
    scanned. `foreign_ignores` honours other scanners' comments (gitleaks:allow, ...)."""
    started = time.perf_counter()
    floor = severity_rank(min_severity)
    result = ScanResult()
    for fragment in fragments:
        result.stats.files += 1
        found = [f for f in detector.detect(fragment) if severity_rank(f.severity) >= floor]
        kept, allowed = split_inline_allowed(fragment, found, foreign_ignores)
        result.findings.extend(kept)
        result.suppressed.extend(allowed)
    result.findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule_id))
    result.stats.seconds = round(time.perf_counter() - started, 3)
    return result
