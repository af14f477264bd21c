"""Scan a FileSource in chunks, over worker processes when the tree is large.

The walk runs once, in this process, and cuts the file list into chunks as it goes. Chunks
are read and detected here first; only when that has taken longer than PARALLEL_AFTER_SECONDS
and the walk is not over are the remaining chunks handed to worker processes, so small inputs
(the pre-commit hook, a repository of a few thousand files) never pay for starting them.
Results are merged in file order: the findings, the counts and the skipped list are identical
whatever the number of jobs and wherever the switch happens.
"""

from __future__ import annotations

import copy
import os
import sys
import time
from collections import deque
from collections.abc import Iterator

from scanner.detect import Detector
from scanner.models import Skipped
from scanner.scan import ScanResult, finding_order, scan_fragments
from scanner.sources.files import FileSource

CHUNK_FILES = 64  # files per unit of work: small enough to balance, large enough to be cheap
PARALLEL_AFTER_SECONDS = 0.1  # starting workers costs tens of milliseconds
IN_FLIGHT_PER_JOB = 4

_Chunk = tuple[int, list[str]]
_Skips = list[tuple[int, Skipped]]  # (index of the file a skip comes before, the skip)
_Part = tuple[ScanResult, _Skips]
# fork is cheap and shares the compiled rules; elsewhere the platform default (spawn).
START_METHOD = "fork" if sys.platform.startswith("linux") else None
_worker: tuple[FileSource, Detector, str] | None = None


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def scan_source(source: FileSource, detector: Detector, min_severity: str = "info",
                jobs: int = 1, parallel_after: float = PARALLEL_AFTER_SECONDS,
                ) -> tuple[ScanResult, list[Skipped]]:
    """Every finding in `source`, and what was skipped, using up to `jobs` processes.

    Once workers run, the walk feeds them chunks as it goes, so reading overlaps walking.
    """
    started = time.perf_counter()
    state = (source, detector, min_severity)
    skips: _Skips = []
    chunks = _chunks(source, skips)
    may_fork = jobs > 1 and "-" not in source.paths
    parts = []
    for chunk in chunks:
        parts.append(_scan_chunk(chunk, state))
        if may_fork and time.perf_counter() - started >= parallel_after:
            parts.extend(_in_workers(chunks, state, jobs))  # the rest of the walk
            break
    merged = ScanResult()
    for result, chunk_skips in parts:
        merged.findings.extend(result.findings)
        merged.stats.files += result.stats.files
        merged.stats.bytes += result.stats.bytes
        skips.extend(chunk_skips)
    merged.findings.sort(key=finding_order)
    skips.sort(key=lambda item: item[0])  # stable: a walk skip stays before its file's skips
    merged.stats.seconds = round(time.perf_counter() - started, 3)
    return merged, [skip for _, skip in skips]


def _chunks(source: FileSource, skips: _Skips) -> Iterator[_Chunk]:
    """The walk in chunks of CHUNK_FILES; walk-time skips are recorded with their position."""
    chunk: list[str] = []
    index = 0
    seen = len(source.skipped)
    for path in source.files():
        skips.extend((index, skip) for skip in source.skipped[seen:])
        seen = len(source.skipped)
        chunk.append(path)
        index += 1
        if len(chunk) == CHUNK_FILES:
            yield index - len(chunk), chunk
            chunk = []
    skips.extend((index, skip) for skip in source.skipped[seen:])
    if chunk:
        yield index - len(chunk), chunk


def _scan_chunk(chunk: _Chunk, state: tuple[FileSource, Detector, str]) -> _Part:
    """Read and detect one chunk with a fresh copy of the source's counters."""
    source, detector, min_severity = state
    local = copy.copy(source)  # not dataclasses.replace: that would re-check every path
    local.skipped, local.bytes_read, local.clean_files = [], 0, 0
    skips: _Skips = []
    start, paths = chunk
    result = scan_fragments(_fragments(local, start, paths, skips), detector, min_severity)
    result.stats.files += local.clean_files
    result.stats.bytes = local.bytes_read
    return result, skips


def _fragments(source: FileSource, start: int, paths: list[str], skips: _Skips) -> Iterator:
    for offset, path in enumerate(paths):
        before = len(source.skipped)
        yield from source.fragments((path,))
        skips.extend((start + offset, skip) for skip in source.skipped[before:])


def _in_workers(chunks: Iterator[_Chunk], state: tuple[FileSource, Detector, str],
                jobs: int) -> list[_Part]:
    """Each chunk to a worker as soon as the walk has it; results in chunk order.

    At most IN_FLIGHT_PER_JOB chunks per worker wait at a time, so memory stays flat however
    many files the walk finds.
    """
    import multiprocessing

    context = multiprocessing.get_context(START_METHOD)
    parts: list[_Part] = []
    with context.Pool(jobs, initializer=_init_worker, initargs=(state,)) as pool:
        pending: deque = deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_scan_chunk_in_worker, (chunk,)))
            if len(pending) >= jobs * IN_FLIGHT_PER_JOB:
                parts.append(pending.popleft().get())
        parts.extend(result.get() for result in pending)
    return parts


def _init_worker(state: tuple[FileSource, Detector, str]) -> None:
    global _worker
    _worker = state


def _scan_chunk_in_worker(chunk: _Chunk) -> _Part:
    assert _worker is not None
    return _scan_chunk(chunk, _worker)
