"""Scan a stream of blobs, spread over worker processes, each with one `git cat-file --batch`.

Blobs go out in chunks; results come back in submission order, so findings are identical for
any number of jobs. Only a few chunks are in flight at a time: memory does not grow with history.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from multiprocessing.context import SpawnContext as _SpawnContext
from multiprocessing.context import SpawnProcess as _SpawnProcess
from multiprocessing.process import BaseProcess

from scanner.gitcmd import ObjectReader
from scanner.models import Finding, Skipped, Stats, Suppressed
from scanner.sources.files import over_limit
from scanner.sources.git import BlobRef, read_text, show_path

if TYPE_CHECKING:
    from scanner.cli_common import ReportOptions

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


class BlobScanner:
    """A detector and one long-lived `git cat-file --batch` reader: one per worker process."""

    def __init__(self, root: str, options: ReportOptions) -> None:
        from scanner.cli_common import build_detector
        from scanner.detect import Detector
        from scanner.prefilter import simd_available

        self.reader = ObjectReader(root)
        # A history is large: the SIMD bytes gate from the first blob, when it is installed.
        engine = "hyperscan" if simd_available() else "python"
        self.detector = Detector(build_detector(options).rules, engine)
        self.foreign_ignores = options.foreign_ignores

    def scan(self, chunk: list[BlobRef]) -> ChunkResult:
        from scanner.scan import scan_fragments

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
        return result


_worker: BlobScanner | None = None


def _start_worker(root: str, options: ReportOptions) -> None:
    global _worker
    _worker = BlobScanner(root, options)


def _scan_in_worker(chunk: list[BlobRef]) -> ChunkResult:
    assert _worker is not None
    return _worker.scan(chunk)


@dataclass
class HistoryScan:
    hits: list[tuple[BlobRef, list[Finding]]] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    skipped: list[Skipped] = field(default_factory=list)
    suppressed: list[Suppressed] = field(default_factory=list)  # once per (rule, secret, path)


def scan_blobs(root: str, blobs: Iterable[BlobRef], options: ReportOptions,
               jobs: int) -> HistoryScan:
    """Scan every blob once (those over --max-file-size are skipped and counted)."""
    outcome = HistoryScan()
    progress = Progress(sys.stderr.isatty())
    allowed: set[tuple[str, str, str]] = set()

    def small_enough() -> Iterator[BlobRef]:
        for blob in blobs:
            if over_limit(blob.size, options.max_file_size):
                outcome.skipped.append(Skipped(show_path(blob.path), "too large"))
            else:
                yield blob

    try:
        for result in _results(root, _chunks(small_enough()), options, jobs):
            outcome.hits.extend(result.hits)
            outcome.skipped.extend(result.skipped)
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


def _chunks(blobs: Iterator[BlobRef]) -> Iterator[list[BlobRef]]:
    chunk: list[BlobRef] = []
    size = 0
    for blob in blobs:
        chunk.append(blob)
        size += blob.size
        if len(chunk) >= CHUNK_BLOBS or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _results(root: str, chunks: Iterator[list[BlobRef]], options: ReportOptions,
             jobs: int) -> Iterator[ChunkResult]:
    """Chunk results in order: in this process for one job or one chunk, else in a pool."""
    first = next(chunks, None)
    if first is None:
        return
    second = next(chunks, None)
    if jobs <= 1 or second is None:
        scanner = BlobScanner(root, options)
        for chunk in _prepend(first, second, chunks):
            yield scanner.scan(chunk)
        scanner.reader.close()
        return
    yield from _pooled(root, _prepend(first, second, chunks), options, jobs)


def _prepend(first: list[BlobRef], second: list[BlobRef] | None,
             rest: Iterator[list[BlobRef]]) -> Iterator[list[BlobRef]]:
    yield first
    if second is not None:
        yield second
        yield from rest


def _pooled(root: str, chunks: Iterator[list[BlobRef]], options: ReportOptions,
            jobs: int) -> Iterator[ChunkResult]:
    from concurrent.futures import Future, ProcessPoolExecutor

    # spawn, not fork: a forked worker would inherit this process's pipes to git.
    # A fresh copy of the options: each worker resolves the configuration from the same files.
    pool = ProcessPoolExecutor(jobs, mp_context=_SpawnIgnoringCtrlC(),
                               initializer=_start_worker, initargs=(root, replace(options)))
    pending: deque[Future[ChunkResult]] = deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(_scan_in_worker, chunk))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _spawn_ignoring_ctrl_c(process: BaseProcess) -> object:
    """Start a worker with SIGINT ignored from its first instruction (an inherited SIG_IGN):
    Ctrl-C reaches the whole process group, but stopping the workers is this process's job,
    and a worker interrupted while it imports would print a traceback."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return _SpawnProcess._Popen(process)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return _SpawnProcess._Popen(process)
    finally:
        signal.signal(signal.SIGINT, previous)


class _QuietSpawnProcess(_SpawnProcess):
    _Popen = staticmethod(_spawn_ignoring_ctrl_c)


class _SpawnIgnoringCtrlC(_SpawnContext):
    Process = _QuietSpawnProcess


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
