"""The fan-out: one Dask task per repository on a LocalCluster (default) or an existing
cluster (`--scheduler`). Results come back to this process, which alone writes the store."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scanner.audit.store import Store
from scanner.audit.task import RepoJob, RepoResult, audit_repository

if TYPE_CHECKING:
    from distributed import Future, LocalCluster

# How many times the scheduler re-runs a task whose worker died before giving up on it.
ALLOWED_WORKER_LOSSES = 3


@dataclass(frozen=True, slots=True)
class ClusterSpec:
    """Where the tasks run: an existing scheduler, or a local cluster of `workers` processes."""

    scheduler: str | None = None
    workers: int | None = None


def run_audit(store: Store, run_id: int, jobs: Sequence[RepoJob], spec: ClusterSpec,
              progress: Callable[[int, int, int, float], None] | None = None) -> None:
    """Run every job as a task and record each result as it arrives.

    Tasks are submitted two per worker thread at a time, so an interrupt loses little and
    `progress(recorded, total, findings, seconds)` stays honest."""
    import dask
    from distributed import Client, as_completed

    started = time.monotonic()
    recorded = findings = 0
    with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_WORKER_LOSSES,
                          "logging.distributed": "error"}):
        cluster = None if spec.scheduler else _local_cluster(spec.workers)
        try:
            with Client(spec.scheduler or cluster, set_as_default=False) as client:
                slots = max(1, sum(w["nthreads"] for w in
                                   client.scheduler_info()["workers"].values()))
                pending = list(jobs)
                index: dict[str, RepoJob] = {}

                def submit() -> Future:
                    job = pending.pop(0)
                    future = client.submit(audit_repository, job, pure=False)  # a unique key
                    index[future.key] = job
                    return future

                window = as_completed([submit() for _ in range(min(2 * slots, len(pending)))],
                                      loop=client.loop)
                for future in window:
                    result = _result(future, index.pop(future.key))
                    store.record(run_id, result)
                    recorded += 1
                    findings += len(result.findings)
                    if pending:
                        window.add(submit())
                    if progress is not None:
                        progress(recorded, len(jobs), findings, time.monotonic() - started)
        finally:
            if cluster is not None:
                cluster.close()


def _result(future: Future, job: RepoJob) -> RepoResult:
    """The task's result; a task Dask gave up on (its workers kept dying) is a failure."""
    from distributed import KilledWorker

    try:
        return future.result()
    except KilledWorker:
        return RepoResult(job.address, ok=False,
                          error=f"worker lost {ALLOWED_WORKER_LOSSES + 1} times on this "
                                "repository")
    except Exception as exc:
        # Only the type: an exception message could quote scanned text.
        return RepoResult(job.address, ok=False,
                          error=f"internal error ({type(exc).__name__}); please report it")


def _local_cluster(workers: int | None) -> LocalCluster:
    """Worker processes on this machine, one thread each, bound to 127.0.0.1, no dashboard."""
    import os

    from distributed import LocalCluster

    return LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                        processes=True, host="127.0.0.1", dashboard_address=None,
                        silence_logs=50)


class ProgressLine:
    """`12/40 repositories, 3 findings, ~1m20s left` on one stderr line, only on a terminal."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int, findings: int, seconds: float) -> None:
        if not self.enabled:
            return
        left = seconds / done * (total - done) if done else 0.0
        minutes, secs = divmod(int(left), 60)
        sys.stderr.write(f"\r{done}/{total} repositories, {findings} findings, "
                         f"~{minutes}m{secs:02d}s left \033[K")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
