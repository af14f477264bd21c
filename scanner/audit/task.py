"""What one Dask task does for one repository: mirror it into the cache, scan the history that
is new since the recorded tips with the `history` engine, and return plain results. It writes
nothing but the mirror; the client stores the results. No Dask import here."""

from __future__ import annotations

import hashlib
import os
import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scanner.errors import ScanError
from scanner.models import Finding

if TYPE_CHECKING:
    from scanner.pipeline.run import ReportOptions
    from scanner.verify import Settings

# Characters kept from an address in its mirror's directory name; the rest become '-'.
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class RepoJob:
    """One repository to audit, with what the store knows of it (plain values only)."""

    address: str
    cache: str  # the cache directory; the mirror lives in mirror_path(cache, address)
    config_file: str  # the audit's configuration (never the repository's own)
    known_tips: tuple[str, ...] = ()  # tips audited last time: only newer history is scanned
    head_keys: tuple[tuple[str, str], ...] = ()  # (path, secret sha256) recorded at HEAD
    timeout: float | None = None  # seconds for the clone or fetch
    verify: Settings | None = None  # --verify: the worker checks each new key once


@dataclass(slots=True)
class RepoResult:
    """What a task returns: findings (redacted, as always), or the one-line reason it failed."""

    address: str
    ok: bool
    error: str = ""
    tips: tuple[str, ...] = ()
    findings: list[Finding] = field(default_factory=list)
    gone_from_head: list[tuple[str, str]] = field(default_factory=list)
    commits: int = 0
    files: int = 0
    bytes: int = 0
    seconds: float = 0.0


def mirror_path(cache: str, address: str) -> str:
    """A stable directory per address: a readable tail plus a hash (no collisions)."""
    tail = _UNSAFE_NAME.sub("-", address.rstrip("/").rsplit("/", 1)[-1])[-40:] or "repo"
    digest = hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return os.path.join(cache, f"{tail}-{digest}.git")


def audit_repository(job: RepoJob) -> RepoResult:
    """Mirror, then scan; any failure becomes a RepoResult with its one-line reason."""
    started = time.perf_counter()
    try:
        result = _audit(job)
    except ScanError as exc:
        result = RepoResult(job.address, ok=False, error=str(exc))
    except OSError as exc:
        result = RepoResult(job.address, ok=False, error=f"{type(exc).__name__}: {exc.strerror}")
    result.seconds = round(time.perf_counter() - started, 3)
    return result


def _audit(job: RepoJob) -> RepoResult:
    from scanner.pipeline.history import scan_history
    from scanner.pipeline.run import ReportOptions, suppress_findings
    from scanner.sources import gitcmd
    from scanner.sources.git import Revisions

    path = mirror_path(job.cache, job.address)
    gitcmd.mirror(job.address, path, job.timeout)
    tips = _tips(path)
    if not tips:
        raise ScanError("the repository has no commits")
    if set(tips) == set(job.known_tips):
        return RepoResult(job.address, ok=True, tips=tips)
    options = ReportOptions(config_file=job.config_file, root=path, verify=job.verify is not None)
    old = _present(path, job.known_tips)
    # Every ref, minus what the last audit covered; a key already there is not new.
    revisions = Revisions(revs=tuple(f"^{tip}" for tip in old), is_range=True) if old else None
    scanned = scan_history(path, options, 1, revisions)
    # What `history` would report: the configuration's allowlists, thresholds and baseline.
    kept, _ = suppress_findings(scanned.findings, options, scanned.suppressed)
    if job.verify is not None:  # here, in the worker: the keys never leave its memory
        from scanner.verify import verify_findings

        kept = verify_findings(kept, scanned.secrets, job.verify)
    gone = _gone_from_head(path, job.head_keys, options) if old else []
    return RepoResult(job.address, ok=True, tips=tips, findings=kept,
                      gone_from_head=gone, commits=scanned.stats.commits,
                      files=scanned.stats.files, bytes=scanned.stats.bytes)


def _tips(mirror: str) -> tuple[str, ...]:
    """The object every ref of the mirror points at, sorted and unique."""
    from scanner.sources import gitcmd

    out = gitcmd.run(mirror, "for-each-ref", "--format=%(objectname)")
    return tuple(sorted(set(out.decode().split())))


def _present(mirror: str, tips: tuple[str, ...]) -> list[str]:
    """The recorded tips the mirror still holds (a rewritten history may have lost some)."""
    from scanner.sources import gitcmd

    if not tips:
        return []
    listed = "".join(f"{tip}\n" for tip in tips).encode()
    out = gitcmd.run(mirror, "cat-file", "--batch-check", stdin=listed)
    return [line.split()[0] for line in out.decode().splitlines()
            if len(line.split()) == 3]


def _gone_from_head(mirror: str, head_keys: tuple[tuple[str, str], ...],
                    options: ReportOptions) -> list[tuple[str, str]]:
    """The recorded (path, key sha256) that HEAD's version of the path no longer has."""
    from scanner.models import Fragment
    from scanner.pipeline.fragments import scan_fragments
    from scanner.pipeline.run import build_detector
    from scanner.sources import gitcmd
    from scanner.sources.files import decode

    if not head_keys:
        return []
    detector = build_detector(options)
    paths = sorted({path for path, _ in head_keys})
    present: set[tuple[str, str]] = set()
    with gitcmd.ObjectReader(mirror) as reader:
        contents = reader.read([f"HEAD:{path}".encode() for path in paths])
        for path, data in zip(paths, contents, strict=True):
            text = None if data is None else decode(data)
            if text is None:
                continue
            found = scan_fragments([Fragment(path, text, 1, "history")], detector).findings
            present.update((path, f.secret_sha256) for f in found)
    return [pair for pair in head_keys if pair not in present]
