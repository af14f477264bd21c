"""Scan a FileSource in chunks, over worker processes when the tree is large.

The walk runs once, in this process, and is cut into chunks as it goes; scanner.pipeline.chunks
runs them (the first, small one here, so that the pre-commit hook and a small project never
start a worker), and the walk and the reads overlap. Results are merged in file order: the
findings, the counts and the skipped list are identical whatever the number of jobs and
whichever process read a chunk.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from scanner.engine.detector import Detector
from scanner.models import Skipped
from scanner.pipeline.chunks import cut, process
from scanner.pipeline.fragments import ScanResult, finding_order, scan_fragments
from scanner.sources.files import FileSource

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

CHUNK_FILES = 64  # files per unit of work: small enough to balance, large enough to be cheap
FIRST_CHUNK_FILES = 16  # read here before a worker starts: a tree this small never starts one

_Chunk = tuple[int, list[str]]
_Skips = list[tuple[int, Skipped]]  # (index of the file a skip comes before, the skip)
_Part = tuple[ScanResult, _Skips]
_State = tuple[FileSource, Detector, str, bool]  # source, detector, min severity, foreign ignores


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def scan_source(source: FileSource, detector: Detector, min_severity: str = "info",
                jobs: int = 1, foreign_ignores: bool = True) -> tuple[ScanResult, list[Skipped]]:
    """Every finding in `source`, and what was skipped, using up to `jobs` processes."""
    started = time.perf_counter()
    state = (source, detector, min_severity, foreign_ignores)
    skips: _Skips = []
    chunks = _numbered(cut(_walk(source, skips), FIRST_CHUNK_FILES, CHUNK_FILES))
    if "-" in source.paths:  # standard input is read once, by this process
        jobs = 1
    merged = ScanResult()
    for result, chunk_skips in process(chunks, _chunk_worker, state, jobs):
        merged.findings.extend(result.findings)
        merged.suppressed.extend(result.suppressed)
        merged.secrets.update(result.secrets)
        merged.stats.files += result.stats.files
        merged.stats.bytes += result.stats.bytes
        skips.extend(chunk_skips)
    merged.findings.sort(key=finding_order)
    skips.sort(key=lambda item: item[0])  # stable: a walk skip stays before its file's skips
    merged.stats.seconds = round(time.perf_counter() - started, 3)
    return merged, [skip for _, skip in skips]


def _walk(source: FileSource, skips: _Skips) -> Iterator[str]:
    """The walk's files; walk-time skips are recorded with the index of the file after them."""
    index = 0
    seen = len(source.skipped)
    for path in source.files():
        skips.extend((index, skip) for skip in source.skipped[seen:])
        seen = len(source.skipped)
        yield path
        index += 1
    skips.extend((index, skip) for skip in source.skipped[seen:])


def _numbered(chunks: Iterable[list[str]]) -> Iterator[_Chunk]:
    """Each chunk with the index of its first file in the walk."""
    start = 0
    for paths in chunks:
        yield start, paths
        start += len(paths)


def _scan_chunk(chunk: _Chunk, state: _State) -> _Part:
    """Read and detect one chunk with a fresh copy of the source's counters."""
    source, detector, min_severity, foreign_ignores = state
    local = source.with_fresh_counters()
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


def _chunk_worker(state: _State) -> AbstractContextManager[Callable[[_Chunk], _Part]]:
    """What a worker applies to each chunk (see scanner.pipeline.workers)."""
    from contextlib import nullcontext

    return nullcontext(partial(_scan_chunk, state=state))
