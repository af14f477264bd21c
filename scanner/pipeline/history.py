"""Scan a stream of blobs in chunks (scanner.pipeline.chunks), each process with one
`git cat-file --batch` reader.

Results come back in chunk order, so findings are identical for any number of jobs. Only a few
chunks are in flight at a time: memory does not grow with history.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING

from scanner.models import Finding, Skipped, Stats, Suppressed
from scanner.pipeline.chunks import cut, process
from scanner.sources.files import over_limit
from scanner.sources.git import BlobRef, Revisions, read_text, show_path
from scanner.sources.gitcmd import ObjectReader

if TYPE_CHECKING:
    from scanner.engine.detector import Detector
    from scanner.engine.project import Projects
    from scanner.pipeline.run import ReportOptions

CHUNK_BLOBS = 512
CHUNK_BYTES = 8 * 1024 * 1024


@dataclass
class ChunkResult:
    """What scanning one chunk found: the blobs with findings, and what was covered."""

    hits: list[tuple[BlobRef, list[Finding]]] = field(default_factory=list)
    files: int = 0
    bytes: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)  # by inline comments
    secrets: dict[str, str] = field(default_factory=dict)  # --verify only (see ScanResult)


_State = tuple[str, "Detector", bool]  # repository root, detector, foreign ignores


class BlobScanner:
    """A detector and one long-lived `git cat-file --batch` reader: one per worker process."""

    def __init__(self, root: str, detector: Detector, foreign_ignores: bool) -> None:
        self.reader = ObjectReader(root)
        self.detector = detector
        self.foreign_ignores = foreign_ignores

    def scan(self, chunk: list[BlobRef]) -> ChunkResult:
        from scanner.pipeline.fragments import scan_fragments

        result = ChunkResult(bytes=sum(blob.size for blob in chunk))
        gate = self.detector.may_match
        for blob, fragments in read_text(self.reader, chunk, "history", result.skipped, gate):
            result.files += 1
            if not fragments:  # rejected by the gate (a generator of pieces is always true)
                continue
            found = scan_fragments(fragments, self.detector,
                                   foreign_ignores=self.foreign_ignores)
            if found.findings:
                result.hits.append((blob, found.findings))
            result.suppressed.extend(found.suppressed)
            result.secrets.update(found.secrets)
        return result


@contextmanager
def _blob_worker(state: _State) -> Iterator[Callable[[list[BlobRef]], ChunkResult]]:
    """Scan chunks with one reader, closed at the end (see scanner.pipeline.workers)."""
    scanner = BlobScanner(*state)
    with scanner.reader:
        yield scanner.scan


def _detector(options: ReportOptions, projects: Projects | None) -> Detector:
    from scanner.engine.detector import Detector
    from scanner.engine.prefilter import simd_available
    from scanner.pipeline.run import build_detector

    # A history is large: the SIMD bytes gate from the first blob, when it is installed.
    engine = "hyperscan" if simd_available() else "python"
    return Detector(build_detector(options).rules, engine, projects=projects,
                    keep_secrets=options.verify)


@dataclass
class HistoryScan:
    hits: list[tuple[BlobRef, list[Finding]]] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    skipped: list[Skipped] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)  # once per (rule, secret, path)
    secrets: dict[str, str] = field(default_factory=dict)  # --verify only (see ScanResult)


def scan_blobs(root: str, blobs: Iterable[BlobRef], options: ReportOptions,
               jobs: int, projects: Projects | None = None) -> HistoryScan:
    """Scan every blob once (those over --max-file-size are skipped and counted). `projects`:
    the folders whose manifests name Mistral (scanner.engine.project.Projects)."""
    outcome = HistoryScan()
    progress = Progress(sys.stderr is not None and sys.stderr.isatty())
    allowed: set[tuple[str, str, str]] = set()

    def small_enough() -> Iterator[BlobRef]:
        for blob in blobs:
            if over_limit(blob.size, options.max_file_size):
                outcome.skipped.append(Skipped(show_path(blob.path), "too large"))
            else:
                yield blob

    try:
        chunks = cut(small_enough(), CHUNK_BLOBS, CHUNK_BLOBS, attrgetter("size"), CHUNK_BYTES)
        state = (root, _detector(options, projects), options.foreign_ignores)
        for result in process(chunks, _blob_worker, state, jobs):
            outcome.hits.extend(result.hits)
            outcome.skipped.extend(result.skipped)
            outcome.secrets.update(result.secrets)
            for item in result.suppressed:
                f = item.finding
                if (f.rule_id, f.secret_sha256, f.path) not in allowed:
                    allowed.add((f.rule_id, f.secret_sha256, f.path))
                    outcome.suppressed.append(item)
            outcome.stats.files += result.files
            outcome.stats.bytes += result.bytes
            progress.update(result.files + len(result.skipped), result.bytes)
    finally:
        progress.close()
    return outcome


@dataclass
class RepositoryScan:
    """A whole history scan of one repository: attributed findings, what was covered, what
    could not be read. `root` is the repository's top directory (finding paths are relative
    to the repository, not to it)."""

    root: str
    findings: list[Finding]
    stats: Stats
    skipped: list[Skipped]
    suppressed: list[Suppressed]
    missing: int  # objects the listing could not read (partial or shallow clone)
    shallow: bool
    secrets: dict[str, str] = field(default_factory=dict)  # --verify only (see ScanResult)


def scan_history(repo: str, options: ReportOptions, jobs: int,
                 revisions: Revisions | None = None,
                 include_unreachable: bool = False) -> RepositoryScan:
    """Scan the history of the repository at `repo` (all refs, or `revisions`) and attribute
    each finding to the commit that introduced it; the body of `history` and of each audit
    task. `options.root` is replaced by the repository's root."""
    from dataclasses import replace

    from scanner.engine.project import Projects
    from scanner.pipeline.fragments import finding_order
    from scanner.pipeline.run import build_detector
    from scanner.sources import git, provenance

    started = time.perf_counter()
    repository = git.Repository.open(repo)
    options = replace(options, root=repository.root)
    if revisions is None:
        revisions = git.all_refs(repository, include_unreachable)
    listing = git.BlobListing(repository, revisions)
    # The manifests of the checkout (HEAD, give or take uncommitted edits) stand for the
    # project of every version of a path; a bare repository has none.
    projects = None if repository.bare else Projects.scan(repository.root)
    scanned = scan_blobs(repository.root, listing.blobs(), options, jobs, projects)
    findings = provenance.attribute(repository, revisions, scanned.hits,
                                    build_detector(options, projects), options.foreign_ignores,
                                    incomplete=listing.missing > 0)
    findings.sort(key=finding_order)
    stats = scanned.stats
    stats.commits = listing.commits
    stats.seconds = round(time.perf_counter() - started, 3)
    skipped = [*scanned.skipped, *git.submodules_at_head(repository)]  # named, not scanned
    return RepositoryScan(repository.root, findings, stats, skipped, scanned.suppressed,
                          listing.missing, repository.shallow, scanned.secrets)


class Progress:
    """`1234 blobs, 56.7 MB, 89.0 MB/s` on one stderr line, only when stderr is a terminal.

    Counts only: no path, no content, so nothing secret can appear in it.
    """

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.blobs = 0
        self.bytes = 0
        self.started = time.monotonic()
        self._shown = 0.0

    def update(self, blobs: int, size: int) -> None:
        self.blobs += blobs
        self.bytes += size
        now = time.monotonic()
        if self.enabled and now - self._shown >= 0.2:
            self._shown = now
            megabytes = self.bytes / 1024 / 1024
            rate = megabytes / max(now - self.started, 1e-6)
            sys.stderr.write(f"\r{self.blobs} blobs, {megabytes:.1f} MB, {rate:.1f} MB/s ")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self._shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
