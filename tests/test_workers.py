"""scanner.pipeline.workers when a worker dies or its end is not seen: a one-line error or the whole
result, never a silent exit code."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from scanner.pipeline import workers
from scanner.errors import ScanError


@contextmanager
def _dying(_state: None) -> Iterator:
    yield lambda _task: os.kill(os.getpid(), signal.SIGKILL)


def _slowly(count: int) -> Iterator[int]:
    """Tasks that take a while to come, as a long walk gives them."""
    for task in range(count):
        time.sleep(0.2)
        yield task


@contextmanager
def _doubling(_state: None) -> Iterator:
    yield lambda task: task * 2


@pytest.mark.parametrize("tasks", [range(20), _slowly(4)], ids=["result-lost", "broken-pipe"])
def test_a_dead_worker_ends_the_run_with_an_error(tasks):
    """Its result never comes, or the next task finds its pipe broken: either way the message
    names the death, and no result is made up."""
    results = []
    with pytest.raises(ScanError, match=r"worker process ended unexpectedly \(exit code -9\)"):
        for result in workers.ordered(tasks, _dying, None, 1, inline=lambda task: task):
            results.append(result)
    assert results == [0]  # the first task, computed here


def test_workers_give_every_result_when_sigchld_is_ignored():
    """With SIGCHLD ignored (inherited from a parent), the kernel reaps the workers itself."""
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        results = list(workers.ordered(range(50), _doubling, None, 2))
    finally:
        signal.signal(signal.SIGCHLD, previous)
    assert results == [task * 2 for task in range(50)]
