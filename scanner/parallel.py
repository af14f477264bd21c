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
from collections.abc import Iterator

from scanner.detect import Detector
from scanner.models import Skipped
from scanner.scan import ScanResult, finding_order, scan_fragments
from scanner.sources.files import FileSource

CHUNK_FILES = 64  # files per unit of work: small enough to balance, large enough to be cheap
PARALLEL_AFTER_SECONDS = 0.1  # starting workers costs tens of milliseconds
IN_FLIGHT_PER_JOB = 2

_Chunk = tuple[int, list[str]]
_Skips = list[tuple[int, Skipped]]  # (index of the file a skip comes before, the skip)
_Part = tuple[ScanResult, _Skips]
_State = tuple[FileSource, Detector, str, bool]  # source, detector, min severity, foreign ignores
# fork is cheap and shares the compiled rules; elsewhere the platform default (spawn).
START_METHOD = "fork" if sys.platform.startswith("linux") else None


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def scan_source(source: FileSource, detector: Detector, min_severity: str = "info",
                jobs: int = 1, parallel_after: float = PARALLEL_AFTER_SECONDS,
                foreign_ignores: bool = True) -> tuple[ScanResult, list[Skipped]]:
    """Every finding in `source`, and what was skipped, using up to `jobs` processes.

    Once workers run, the walk feeds them chunks as it goes, so reading overlaps walking.
    """
    started = time.perf_counter()
    state = (source, detector, min_severity, foreign_ignores)
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
        merged.suppressed.extend(result.suppressed)
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


def _scan_chunk(chunk: _Chunk, state: _State) -> _Part:
    """Read and detect one chunk with a fresh copy of the source's counters."""
    source, detector, min_severity, foreign_ignores = state
    local = copy.copy(source)  # not dataclasses.replace: that would re-check every path
    local.skipped, local.bytes_read, local.clean_files = [], 0, 0
    skips: _Skips = []
    start, paths = chunk
    result = scan_fragments(_fragments(local, start, paths, skips), detector, min_severity,
                            foreign_ignores)
    result.stats.files += local.clean_files
    result.stats.bytes = local.bytes_read
    return result, skips


def _fragments(source: FileSource, start: int, paths: list[str], skips: _Skips) -> Iterator:
    for offset, path in enumerate(paths):
        before = len(source.skipped)
        yield from source.fragments((path,))
        skips.extend((start + offset, skip) for skip in source.skipped[before:])


def _in_workers(chunks: Iterator[_Chunk], state: _State,
                jobs: int) -> list[_Part]:
    """Each chunk to a worker as soon as the walk has it; results in chunk order.

    Plain processes and pipes, no pool: a pool's helper threads fight the walk for the GIL.
    A worker holds at most IN_FLIGHT_PER_JOB chunks, so memory stays flat on any tree.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    context = multiprocessing.get_context(START_METHOD)
    links, workers = [], []
    for _ in range(jobs):
        ours, theirs = context.Pipe()
        worker = context.Process(target=_serve, args=(theirs, state), daemon=True)
        worker.start()
        theirs.close()
        links.append(ours)
        workers.append(worker)
    busy = {link: 0 for link in links}
    parts: dict[int, _Part] = {}

    def collect(block: bool) -> None:
        for link in wait(links, None if block else 0):
            start, part = link.recv()
            if isinstance(part, BaseException):
                raise part
            parts[start] = part
            busy[link] -= 1

    try:
        for chunk in chunks:
            while min(busy.values()) >= IN_FLIGHT_PER_JOB:
                collect(block=True)
            link = min(links, key=busy.__getitem__)
            link.send(chunk)
            busy[link] += 1
            collect(block=False)
        while any(busy.values()):
            collect(block=True)
        for link in links:
            link.send(None)
    except BaseException:  # an error or Ctrl-C: the workers' results are not wanted
        for worker in workers:
            worker.terminate()
        raise
    finally:
        for worker in workers:
            worker.join()
    return [parts[start] for start in sorted(parts)]


def _serve(link, state: _State) -> None:
    """A worker: scan the chunks that arrive until told to stop; Ctrl-C is the parent's job."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while (chunk := link.recv()) is not None:
        try:
            link.send((chunk[0], _scan_chunk(chunk, state)))
        except Exception as exc:  # noqa: BLE001 - re-raised in the parent
            link.send((chunk[0], exc))
