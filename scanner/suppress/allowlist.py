"""The suppress stage for whole findings: config excludes and allowlists, then the baseline.

Inline comments need the fragment text, so they are applied next to detection (scan.py);
everything else is decided here from the Finding alone, for every command alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from scanner.models import CONFIDENCES, Finding, Suppressed, severity_rank

if TYPE_CHECKING:  # not imported at run time: the hook path stays free of json and pathspec
    from scanner.config import Config
    from scanner.suppress.baseline import Baseline


def suppress(findings: Sequence[Finding], config: Config, root: str,
             baseline: Baseline | None = None,
             inline: Sequence[Suppressed] = ()) -> tuple[list[Finding], list[Suppressed]]:
    """Split findings into kept and suppressed (and by what); `inline` are those inline
    comments already suppressed. Findings below min-severity or min-confidence, or in `exclude`d
    paths are dropped outright, as if never scanned. `root` is the directory finding paths are
    relative to."""
    kept: list[Finding] = []
    suppressed = [s for s in inline if _wanted(s.finding, config, root)]
    for finding in findings:
        if not _wanted(finding, config, root):
            continue
        by = _config_allowance(finding, config, root)
        if by is None and baseline is not None and finding in baseline:
            by = baseline.describe(finding)
        if by is None:
            kept.append(finding)
        else:
            suppressed.append(Suppressed(finding, by))
    suppressed.sort(key=lambda s: (s.finding.path, s.finding.line, s.finding.column))
    return kept, suppressed


def _wanted(finding: Finding, config: Config, root: str) -> bool:
    if severity_rank(finding.severity) < severity_rank(config.min_severity):
        return False
    if CONFIDENCES.index(finding.confidence) < CONFIDENCES.index(config.min_confidence):
        return False
    return _matches(config.exclude_spec, _relative(finding, config, root)) is None


def _relative(finding: Finding, config: Config, root: str) -> str | None:
    return None if finding.path == "<stdin>" else config.relative(finding.path, root)


def _config_allowance(finding: Finding, config: Config, root: str) -> str | None:
    if finding.secret_sha256 in config.allow_secret_sha256:
        return f"config allow.secret-sha256 ({config.source('allow.secret-sha256')})"
    index = _matches(config.allow_paths_spec, _relative(finding, config, root))
    if index is not None:
        return f"config allow.paths {config.allow_paths[index]!r} ({config.source('allow.paths')})"
    return None


def _matches(spec, relative: str | None) -> int | None:
    """The index of the glob that matches `relative`, or None."""
    if spec is None or relative is None:
        return None
    result = spec.check_file(relative)
    return result.index if result.include else None
