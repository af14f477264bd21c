"""Run fragments from a source through the detector and inline suppression."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from scanner.allow import drop_inline_allowed
from scanner.detect import Detector
from scanner.models import Finding, Fragment, Stats, severity_rank
from scanner.transforms import expand


@dataclass
class ScanResult:
    findings: list[Finding] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)


def scan_fragments(
    fragments: Iterable[Fragment], detector: Detector, min_severity: str = "info"
) -> ScanResult:
    """Detect, drop inline-allowed and below-threshold findings, and count what was scanned."""
    started = time.perf_counter()
    floor = severity_rank(min_severity)
    result = ScanResult()
    for fragment in fragments:
        result.stats.files += 1
        detected = [f for piece in expand(fragment) for f in detector.detect(piece)]
        found = drop_inline_allowed(fragment, detected)
        result.findings.extend(f for f in found if severity_rank(f.severity) >= floor)
    result.findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule_id))
    result.stats.seconds = round(time.perf_counter() - started, 3)
    return result
