"""The default human-readable report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from scanner.models import (
    SEVERITIES, Finding, Skipped, Stats, Suppressed, Verification, verification_text,
)

_COLOURS = {"critical": "1;31", "high": "31", "medium": "33", "low": "36", "info": "37"}


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if colour else text


def render(findings: Sequence[Finding], stats: Stats, colour: bool = False,
           suppressed: Sequence[Suppressed] | None = None) -> str:
    """One block per finding (live keys first, marked LIVE), then (when given) what was
    suppressed and by what, then the verified keys (--verify), then a summary line."""
    lines: list[str] = []
    for f in sorted(findings, key=lambda f: not _live(f)):  # stable: otherwise report order
        where = f" (cell {f.cell}, line {f.cell_line})" if f.cell is not None else ""
        place = _paint(f"{_printable(f.path)}:{f.line}:{f.column}{where}", "1", colour)
        severity = _paint(f.severity, _COLOURS[f.severity], colour)
        live = "  " + _paint("LIVE", _COLOURS["critical"], colour) if _live(f) else ""
        lines.append(f"{place}  {f.rule_id}  {f.title}  [{severity}]{live}")
        lines.append(f"    secret: {f.preview}")
        if f.verification is not None:
            lines.append(f"    verified: {verification_text(f.verification)} "
                         f"at {f.verification.checked_at}")
        lines.append(f"    fix: {f.fix}")
        lines.extend(_history_lines(f))
        lines.append("")
    if suppressed:
        lines.append(f"suppressed ({len(suppressed)}):")
        for item in suppressed:
            f = item.finding
            lines.append(f"  {_printable(f.path)}:{f.line}:{f.column}  {f.rule_id}  {f.preview}  "
                         f"by {item.by}")
        lines.append("")
    lines.extend(_verified_keys(findings))
    lines.append(summary(findings, stats))
    return "\n".join(lines) + "\n"


def _live(finding: Finding) -> bool:
    return finding.verification is not None and finding.verification.status == "live"


def _verified_keys(findings: Sequence[Finding]) -> list[str]:
    """Each verified key once (live first): its hash prefix, preview, status and places, so
    a user rotates each live key once. Nothing when no key was verified."""
    verdicts: dict[str, Verification] = {}
    places: dict[str, list[Finding]] = {}  # sha256 -> findings of a verified key
    for f in findings:
        if f.verification is not None:
            verdicts[f.secret_sha256] = f.verification
            places.setdefault(f.secret_sha256, []).append(f)
    if not verdicts:
        return []
    lines = [f"verified keys ({len(verdicts)}):"]
    for sha, verdict in sorted(verdicts.items(), key=lambda item: item[1].status != "live"):
        found = places[sha]
        where = ", ".join(dict.fromkeys(f"{_printable(f.path)}:{f.line}" for f in found))
        lines.append(f"  sha256 {sha[:12]}  {found[0].preview}  {verification_text(verdict)}"
                     f"  in {where}")
    lines.append("")
    return lines


def _history_lines(f: Finding) -> list[str]:
    """Where a history finding came from and what to do about it."""
    if f.in_head is None and f.commit is None:
        return []
    lines = []
    if f.commit is not None:
        carried = "" if f.commits is None else f" (in {f.commits} commit{'s' * (f.commits != 1)})"
        lines.append(f"    introduced: {f.commit[:12]} by {f.author} on {f.date}{carried}")
    if f.in_head:
        lines.append("    still in HEAD: remove it and rotate the key")
    else:
        lines.append("    only in history: rotate the key; if the repository was ever public, "
                     "purge it with git filter-repo")
    return lines


def summary(findings: Sequence[Finding], stats: Stats) -> str:
    commits = f" from {stats.commits} commits" if stats.commits else ""
    scanned = (f"{stats.files} files ({_size(stats.bytes)}){commits} in {stats.seconds:.2f}s, "
               f"{stats.suppressed} suppressed")
    if not findings:
        return f"no leaks found: {scanned}"
    counts = Counter(f.severity for f in findings)
    by_severity = ", ".join(f"{counts[s]} {s}" for s in reversed(SEVERITIES) if counts[s])
    noun = "finding" if len(findings) == 1 else "findings"
    return f"{len(findings)} {noun} ({by_severity}): {scanned}"


def skipped_warnings(skipped: Sequence[Skipped], verbose: bool = False, limit: int = 5) -> list[str]:
    """One warning line per reason, naming the skipped paths (all of them with verbose)."""
    by_reason: dict[str, list[str]] = {}
    for item in skipped:
        by_reason.setdefault(item.reason, []).append(item.path)
    warnings = []
    for reason, paths in sorted(by_reason.items()):
        shown = paths if verbose else paths[:limit]
        more = "" if len(shown) == len(paths) else f" (+{len(paths) - len(shown)} more; --verbose lists all)"
        noun = "file" if len(paths) == 1 else "files"
        warnings.append(f"warning: skipped {len(paths)} {noun} ({reason}): {', '.join(map(_printable, shown))}{more}")
    return warnings


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / (1024 * 1024):.1f} MB"


def _printable(path: str) -> str:
    """A path with control characters escaped, so a file name cannot forge report lines or
    send terminal escape sequences."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in path)
