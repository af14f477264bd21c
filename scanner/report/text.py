"""The default human-readable report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from scanner.models import (
    SEVERITIES,
    Finding,
    Skipped,
    Stats,
    Suppressed,
    UniqueKey,
    unique_keys,
    verification_text,
)
from scanner.report.escape import terminal_safe as _printable

_COLOURS = {"critical": "1;31", "high": "31", "medium": "33", "low": "36", "info": "37"}


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if colour else text


def render(findings: Sequence[Finding], stats: Stats, colour: bool = False,
           suppressed: Sequence[Suppressed] | None = None) -> str:
    """One block per location (findings of several rules on one line share it; with --verify,
    live keys first and marked LIVE), then (when given) what was suppressed and by what, the
    unique keys (each to rotate once, with every place it lives and, verified, its status),
    and a summary line."""
    lines: list[str] = []
    previous: tuple[str, int] | None = None
    for f in sorted(findings, key=lambda f: not _live(f)):  # stable: else in report order
        where = f" (cell {f.cell}, line {f.cell_line})" if f.cell is not None else ""
        severity = _paint(f.severity, _COLOURS[f.severity], colour)
        heading = (f"{_printable(f.rule_id)}  {_printable(f.title)}  [{severity}]  "
                   f"({f.confidence} confidence)")
        if _live(f):
            heading += "  " + _paint("LIVE", _COLOURS["critical"], colour)
        if (f.path, f.line) == previous:
            lines[-1:] = []  # the blank line that closed the block: the block goes on
            lines.append(f"  and {f.column}:  {heading}")
        else:
            place = _paint(f"{_printable(f.path)}:{f.line}:{f.column}{where}", "1", colour)
            lines.append(f"{place}  {heading}")
        previous = (f.path, f.line)
        if f.kind == "key":
            lines.append(f"    secret: {_printable(f.preview)}")
        else:
            lines.append(f"    matched: {_printable(f.matched)}")
        if f.verification is not None:
            lines.append(f"    verified: {verification_text(f.verification)} "
                         f"at {f.verification.checked_at}")
        if f.evidence:
            lines.append(f"    why: {_printable('; '.join(f.evidence))}")
        lines.append(f"    fix: {_printable(f.fix)}")
        lines.extend(_history_lines(f))
        lines.append("")
    keys = unique_keys(findings)
    if keys:
        noun = "key" if len(keys) == 1 else "keys"
        lines.append(f"unique {noun} ({len(keys)}): revoke and replace each one once")
        for key in sorted(keys, key=lambda k: not _live(k)):  # live first, else as found
            places = ", ".join(_place(f) for f in key.places)
            status = f"  {verification_text(key.verification)}" if key.verification else ""
            lines.append(f"  sha256:{key.secret_sha256[:12]}  {key.preview}{status}  {places}")
        lines.append("")
    if suppressed:
        lines.append(f"suppressed ({len(suppressed)}):")
        for item in suppressed:
            f = item.finding
            lines.append(f"  {_printable(f.path)}:{f.line}:{f.column}  {_printable(f.rule_id)}  "
                         f"{_printable(f.preview)}  by {_printable(item.by)}")
        lines.append("")
    lines.append(summary(findings, stats))
    return "\n".join(lines) + "\n"


def _live(item: Finding | UniqueKey) -> bool:
    """True for a finding or unique key that --verify found live."""
    return item.verification is not None and item.verification.status == "live"


def _place(f: Finding) -> str:
    commit = f" ({f.commit[:12]})" if f.commit else ""
    return f"{_printable(f.path)}:{f.line}{commit}"


def _history_lines(f: Finding) -> list[str]:
    """Where a history finding came from and what to do about it: a key is rotated, a risky
    pattern is fixed where it still is."""
    if f.in_head is None and f.commit is None:
        return []
    lines = []
    if f.commit is not None:
        carried = "" if f.commits is None else f" (in {f.commits} commit{'s' * (f.commits != 1)})"
        lines.append(f"    introduced: {_printable(f.commit[:12])} by {_printable(str(f.author))} "
                     f"on {_printable(str(f.date))}{carried}")
    if f.kind != "key":
        lines.append("    still in HEAD: apply the fix" if f.in_head
                     else "    only in history: already fixed at HEAD; nothing to rotate")
    elif f.in_head:
        lines.append("    still in HEAD: remove it and rotate the key")
    else:
        lines.append("    only in history: rotate the key; if the repository was ever public, "
                     "purge it with git filter-repo")
    return lines


def summary(findings: Sequence[Finding], stats: Stats) -> str:
    commits = f" from {stats.commits} commits" if stats.commits else ""
    files = "file" if stats.files == 1 else "files"
    scanned = (f"{stats.files} {files} ({_size(stats.bytes)}){commits} in {stats.seconds:.2f}s, "
               f"{stats.suppressed} suppressed")
    if not findings:
        return f"no leaks found: {scanned}"
    counts = Counter(f.severity for f in findings)
    by_severity = ", ".join(f"{counts[s]} {s}" for s in reversed(SEVERITIES) if counts[s])
    noun = "finding" if len(findings) == 1 else "findings"
    return f"{len(findings)} {noun} ({by_severity}): {scanned}"


def skipped_warnings(skipped: Sequence[Skipped], verbose: bool = False,
                     limit: int = 5) -> list[str]:
    """One warning line per reason, naming the skipped paths (all of them with verbose)."""
    by_reason: dict[str, list[str]] = {}
    for item in skipped:
        by_reason.setdefault(item.reason, []).append(item.path)
    warnings = []
    for reason, paths in sorted(by_reason.items()):
        shown = paths if verbose else paths[:limit]
        more = ("" if len(shown) == len(paths)
                else f" (+{len(paths) - len(shown)} more; --verbose lists all)")
        folders = sum(path.endswith("/") for path in paths)  # unreadable folders end in /
        kind = "file" if not folders else "folder" if folders == len(paths) else "path"
        noun = kind if len(paths) == 1 else kind + "s"
        listed = ", ".join(map(_printable, shown))
        warnings.append(f"warning: skipped {len(paths)} {noun} ({reason}): {listed}{more}")
    return warnings


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} B"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KB"
    return f"{count / (1024 * 1024):.1f} MB"
