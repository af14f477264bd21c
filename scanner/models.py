"""The data that flows through the scanner: fragments in, findings out.

No internal imports: every other module may depend on this one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Fragment:
    """A piece of text to scan and where it came from."""

    path: str  # POSIX path relative to the scanned root (display-safe)
    text: str
    start_line: int = 1
    origin: str = "file"  # file | stdin | staged | history
    cells: tuple[int, ...] | None = None  # notebook cell number (1-based) of each text line
    line_map: tuple[int, ...] | None = None  # file line of each text line, when not contiguous
    start_column: int = 1  # column of the text's first character (a streamed file's piece)
    continued: bool = False  # a later piece of a file streamed in overlapping pieces
    context: str = ""  # text that came just before and gives evidence (a notebook output's cell)

    def file_line(self, index: int) -> int:
        """The line in the file of the text's line `index` (0-based)."""
        if self.line_map:
            return self.line_map[min(index, len(self.line_map) - 1)]
        return self.start_line + index

    def cell_of(self, index: int) -> tuple[int, int] | None:
        """(cell number, line within the cell) of the text's line `index`, for notebooks."""
        if not self.cells:
            return None
        cell = self.cells[min(index, len(self.cells) - 1)]
        return cell, index - self.cells.index(cell) + 1


@dataclass(frozen=True, slots=True)
class Verification:
    """What a live check (`--verify`) said of a key: never the key itself."""

    status: str  # live | invalid | unknown
    checked_at: str  # ISO 8601, UTC
    reason: str = ""  # why "unknown" (rate limited, timeout, ...), or the HTTP status


KINDS = ("key", "risk")  # a leaked credential, or a risky pattern (public env prefix, http://)
CONFIDENCES = ("low", "medium", "high")


@dataclass(frozen=True, slots=True)
class Finding:
    """One detected leak. Holds a redacted preview and a hash, never the raw secret."""

    rule_id: str
    slug: str
    title: str
    severity: str
    path: str
    line: int
    column: int
    end_column: int
    preview: str
    secret_sha256: str
    fingerprint: str
    fix: str
    commit: str | None = None
    author: str | None = None
    date: str | None = None
    in_head: bool | None = None
    cell: int | None = None  # notebook findings: the cell number (1-based)
    cell_line: int | None = None  # and the line within that cell
    commits: int | None = None  # history findings: how many scanned commits carry it
    kind: str = "key"  # one of KINDS
    confidence: str = "high"  # one of CONFIDENCES
    evidence: tuple[str, ...] = ()  # why it was reported, in words; never the secret
    matched: str = ""  # risk findings: what matched (a name, a URL), key-shaped tokens redacted
    verification: Verification | None = None  # only with --verify


SEVERITIES = ("info", "low", "medium", "high", "critical")
RULE_ID = re.compile(r"MG\d{3}\Z")  # the form of every rule id
SHA256_HEX = re.compile(r"[0-9a-f]{64}\Z")  # a lowercase hex sha256, as in secret_sha256


def severity_rank(severity: str) -> int:
    """Order severities so that `critical` is the highest."""
    return SEVERITIES.index(severity)


def redact(secret: str) -> str:
    """The only form of a secret that may be shown: its first four characters, then '…'."""
    return secret[:4] + "…"


def sha256_hex(text: str) -> str:
    """The hex sha256 of `text` (UTF-8): how a secret is named everywhere it is stored."""
    import hashlib  # here: OpenSSL's start-up is paid only by runs that hash a key

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def fingerprint(rule_id: str, path: str, secret: str) -> str:
    """Stable identity of a finding: no line number, so moving code does not change it."""
    return sha256_hex(f"{rule_id}\0{path}\0{secret}")


@dataclass(frozen=True, slots=True)
class Suppressed:
    """A finding the user silenced, and by what (a comment, a config entry, a baseline)."""

    finding: Finding
    by: str


@dataclass(slots=True)
class Stats:
    """What a run covered."""

    files: int = 0
    bytes: int = 0
    commits: int = 0
    seconds: float = 0.0
    suppressed: int = 0


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file that was not scanned, and why (binary, too large, unreadable, ...)."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """What a report may say about a rule: plain text built from a rule, no patterns."""

    id: str
    slug: str
    title: str
    severity: str
    what: str
    why: str
    fix: str
    help_uri: str
    references: tuple[str, ...] = ()


def verification_text(verdict: Verification) -> str:
    """`LIVE (HTTP 200)`, `invalid (HTTP 401)`, `unknown (timeout)`: live stands out."""
    status = verdict.status.upper() if verdict.status == "live" else verdict.status
    return status + (f" ({verdict.reason})" if verdict.reason else "")


def verification_note(finding: Finding) -> str:
    """`, verified LIVE (HTTP 200)`, or "" when the key was not verified."""
    verdict = finding.verification
    return "" if verdict is None else f", verified {verification_text(verdict)}"


def finding_message(finding: Finding) -> str:
    """One line that says what was found (LIVE first when Mistral accepts the key), where it
    came from in history, and the fix. A risk finding shows what matched; only a key finding
    speaks of a secret."""
    live = finding.verification is not None and finding.verification.status == "live"
    origin = ""
    if finding.commit:
        origin = f", introduced in commit {finding.commit[:12]}"
        if finding.in_head is not None:
            if finding.kind == "key":
                origin += (", still present at HEAD" if finding.in_head
                           else ", gone from HEAD but still in the history")
            else:
                origin += ", still present at HEAD" if finding.in_head else ", fixed at HEAD"
    what = (f"secret {finding.preview}{verification_note(finding)}" if finding.kind == "key"
            else f"matched {finding.matched}")
    return f"{'LIVE: ' if live else ''}{finding.title} ({what}){origin}. Fix: {finding.fix}"


@dataclass(frozen=True, slots=True)
class UniqueKey:
    """One leaked key and every place it lives: a user rotates each key once."""

    secret_sha256: str
    preview: str
    places: tuple[Finding, ...]
    verification: Verification | None = None


def unique_keys(findings: Sequence[Finding]) -> list[UniqueKey]:
    """The distinct keys among key findings (by sha256), in order of first appearance."""
    places: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.kind == "key":
            places.setdefault(finding.secret_sha256, []).append(finding)
    return [UniqueKey(sha, found[0].preview, tuple(found),
                      next((f.verification for f in found if f.verification), None))
            for sha, found in places.items()]
