"""The one chunk driver of the tree scan and of history: cut a stream into chunks, run them
in this process or over the worker pool (scanner.pipeline.workers), give the results in order.

This process always works too: it opens the same worker function the workers open, computes
the first chunk itself (a run of one chunk, the pre-commit hook or a small history, never
starts a worker) and, once `jobs - 1` workers run, every chunk that finds them all busy. So
`--jobs 2` is one worker and this process, not two workers and a process that only waits.
Results come back in chunk order, so a report is identical whatever the number of jobs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from typing import Any, TypeVar

    Item = TypeVar("Item")
    Task = TypeVar("Task")
    Result = TypeVar("Result")


def cut(items: Iterable[Item], first: int, size: int, weight: Callable[[Item], int] | None = None,
        max_weight: int = 0) -> Iterator[list[Item]]:
    """`items` in lists of `first` items, then of `size`; with `weight`, a list also ends once
    its items weigh `max_weight` together (bytes, say)."""
    chunk: list[Item] = []
    limit, total = first, 0
    for item in items:
        chunk.append(item)
        if weight is not None:
            total += weight(item)
        if len(chunk) >= limit or (weight is not None and total >= max_weight):
            yield chunk
            chunk, limit, total = [], size, 0
    if chunk:
        yield chunk


def process(chunks: Iterable[Task],
            opener: Callable[[Any], AbstractContextManager[Callable[[Task], Result]]],
            state: Any, jobs: int) -> Iterator[Result]:
    """The result of each chunk, in order, using up to `jobs` processes (this one included).

    `opener(state)` is a context manager giving the function applied to each chunk; it is
    opened here once, and once in each worker (see scanner.pipeline.workers.ordered)."""
    from itertools import chain

    from scanner.pipeline.workers import ordered

    pending = iter(chunks)
    first = next(pending, None)  # nothing to do opens nothing (a git reader, say)
    if first is None:
        return
    with opener(state) as work:
        if jobs <= 1:
            yield from map(work, chain((first,), pending))
        else:
            yield from ordered(chain((first,), pending), opener, state, jobs - 1, inline=work)
