"""Worker processes that take tasks over pipes and give results back in task order.

One mechanism for the tree scan and for history. On Linux the workers are forked straight
from this process (os.fork, two pipes each, pickled messages): they start at once,
share what this process has loaded and compiled, and cost no import of multiprocessing. A
forked worker closes every file descriptor it inherited but its own pipes, so it never holds
this process's pipes to git (a git process whose stdin stays open in a worker would never
see its end) nor its links to the other workers. Elsewhere they are spawned through
multiprocessing (the platform default).

Ctrl-C reaches the whole process group; the workers ignore it from their first instruction,
and this process stops them. An exception in a worker is raised here, by the task it hit.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from scanner.errors import ScanError

if TYPE_CHECKING:  # the rest is imported where it is used: the hook path imports this module
    import queue
    from contextlib import AbstractContextManager
    from typing import Any, Protocol, TypeVar

    Task = TypeVar("Task")
    Result = TypeVar("Result")
    # Opens what a worker needs (a git reader, say) on its first task and closes it at the
    # end: called in the worker with `state`, it yields the function applied to each task.
    Opener = Callable[[Any], AbstractContextManager[Callable[[Task], Result]]]

    class _Worker(Protocol):
        """A worker process and its link: pickled messages each way."""

        def send(self, message: Any) -> None: ...

        def recv(self) -> Any:
            """The next message; EOFError when the worker is gone."""

        def join(self) -> int | None:
            """Wait for the worker to end; its exit code."""

        def terminate(self) -> None: ...

        def close(self) -> None: ...

START_METHOD = "fork" if sys.platform.startswith("linux") else None
IN_FLIGHT_PER_JOB = 2  # tasks a worker holds: one at work, one waiting
WINDOW_PER_JOB = 4  # tasks sent and not yet given back in order, per worker
# With `inline` work, how long this process works alone before it starts workers: a fork
# is cheap, a spawned interpreter is not (figures in docs/PERFORMANCE.md).
ALONE_SECONDS = {"fork": 0.0, "spawn": 0.1}
UNKNOWN_EXIT = -1  # a forked worker's exit code when SIGCHLD is ignored (reaped unseen)
JOBS_PER_CORE = 4  # --jobs above this many per core only adds processes, never speed
_PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends


def capped_jobs(jobs: int) -> int:
    """`jobs`, at most JOBS_PER_CORE per core this process may run on (`--jobs 5000` would
    otherwise start 5,000 processes)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(jobs, JOBS_PER_CORE * cores))


def ordered(tasks: Iterable[Task], opener: Opener, state: Any, jobs: int,
            inline: Callable[[Task], Result] | None = None) -> Iterator[Result]:
    """The result of each task, in task order, computed by `jobs` worker processes.

    Tasks are sent as they come, to the least busy worker, and at most WINDOW_PER_JOB * jobs
    results wait for an earlier one: memory stays flat however many tasks there are. With
    `inline`, this process computes the first task itself (when spawning: every task for
    ALONE_SECONDS), so a run of one task starts no worker, and later every task that finds
    all workers busy. When the caller stops early, a worker dies, or an error or Ctrl-C
    comes, the workers are stopped.
    """
    import gc

    method = START_METHOD or "spawn"
    jobs = capped_jobs(jobs)
    started = time.perf_counter()
    workers: list[_Worker] = []
    busy: list[int] = []
    done: dict[int, Result] = {}
    sent = given = 0
    unfreeze = False

    def lost(index: int) -> ScanError:
        return ScanError(f"a worker process ended unexpectedly (exit code "
                         f"{workers[index].join()})")

    def send(index: int, message: Any) -> None:
        try:
            workers[index].send(message)
        except OSError:  # a broken pipe: the worker is gone
            raise lost(index) from None

    def collect(block: bool) -> None:
        for index in _ready(workers, block, method):
            try:
                number, result, error = workers[index].recv()
            except EOFError:
                raise lost(index) from None
            if error is not None:
                raise error
            done[number] = result
            busy[index] -= 1

    try:
        for task in tasks:
            if not workers and not (inline is not None and (
                    sent == 0 or time.perf_counter() - started < ALONE_SECONDS[method])):
                if method == "fork" and not gc.get_freeze_count():
                    # What exists now is shared with the workers until either writes to it:
                    # frozen, this process's garbage collector leaves it untouched.
                    gc.freeze()
                    unfreeze = True
                busy = [0] * jobs
                for _ in range(jobs):  # one by one: a failed start stops those started
                    workers.append(_start(method, opener, state))
            while sent - given >= WINDOW_PER_JOB * jobs or (
                    inline is None and min(busy) >= IN_FLIGHT_PER_JOB):
                if given in done:
                    yield done.pop(given)
                    given += 1
                else:
                    collect(block=True)
            if workers and min(busy) < IN_FLIGHT_PER_JOB:
                index = busy.index(min(busy))
                send(index, (sent, task))
                busy[index] += 1
            else:
                done[sent] = inline(task)  # type: ignore[misc]  # no worker free: inline is set
            sent += 1
            if workers:
                collect(block=False)
            while given in done:
                yield done.pop(given)
                given += 1
        while given < sent:
            while given not in done:
                collect(block=True)
            yield done.pop(given)
            given += 1
        for index in range(len(workers)):
            send(index, None)
        for worker in workers:
            worker.join()
    except BaseException:  # an error, Ctrl-C or an early stop: the workers' results are unwanted
        for worker in workers:
            worker.terminate()
        raise
    finally:
        for worker in workers:
            worker.join()
            worker.close()
        if unfreeze:
            gc.unfreeze()


def _start(method: str, opener: Opener, state: Any) -> _Worker:
    """A started worker, SIGINT ignored from its first instruction (an inherited SIG_IGN), so
    a worker interrupted while it starts prints no traceback; this process's own handler is
    back as soon as the worker is started (a Ctrl-C within that millisecond is lost)."""
    import signal

    start = _Forked if method == "fork" else _Spawned
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread, the only one that may set a handler
        return start(opener, state)
    try:
        return start(opener, state)
    finally:
        signal.signal(signal.SIGINT, previous)


def _ready(workers: list[_Worker], block: bool, method: str) -> list[int]:
    """The indexes of the workers with a message waiting (none, without `block`)."""
    if method != "fork":
        from multiprocessing.connection import wait

        links = [worker.link for worker in workers]  # type: ignore[attr-defined]
        return [links.index(link) for link in wait(links, None if block else 0)]
    import select

    poll = select.poll()
    # forked: each worker is a _Forked (see _start), which has a fileno
    for worker in workers:
        poll.register(worker.fileno(), select.POLLIN)  # type: ignore[attr-defined]
    owner = {worker.fileno(): index  # type: ignore[attr-defined]
             for index, worker in enumerate(workers)}
    return [owner[fd] for fd, _ in poll.poll(None if block else 0)]


class _Forked:
    """A worker forked from this process, with a pipe each way."""

    def __init__(self, opener: Opener, state: Any) -> None:
        import pickle  # noqa: F401 - imported once, before the fork, for both processes

        parent = os.getpid()
        task_out, self._task_in = os.pipe()
        self._result_in, result_out = os.pipe()
        self._exitcode: int | None = None
        try:
            self.pid = os.fork()
        except OSError:  # too many processes, say
            for fd in (task_out, self._task_in, self._result_in, result_out):
                os.close(fd)
            raise
        if self.pid == 0:  # the worker: it never returns to the caller's code
            code = 1
            try:
                _die_with_parent(parent)
                _close_inherited({task_out, result_out})
                _serve(_PipeLink(task_out, result_out), opener, state)
                code = 0
            finally:
                os._exit(code)
        os.close(task_out)
        os.close(result_out)
        self._link = _PipeLink(self._result_in, self._task_in)

    def send(self, message: Any) -> None:
        self._link.send(message)

    def recv(self) -> Any:
        return self._link.recv()

    def fileno(self) -> int:
        return self._result_in

    def join(self) -> int | None:
        if self._exitcode is None:
            try:
                _, status = os.waitpid(self.pid, 0)
                self._exitcode = os.waitstatus_to_exitcode(status)
            except ChildProcessError:  # reaped already: this process ignores SIGCHLD
                self._exitcode = UNKNOWN_EXIT
        return self._exitcode

    def terminate(self) -> None:
        if self._exitcode is None:
            import signal

            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:  # ended and reaped already (SIGCHLD ignored)
                pass

    def close(self) -> None:
        self._link.close()


class _Spawned:
    """A worker spawned through multiprocessing (a fresh interpreter)."""

    def __init__(self, opener: Opener, state: Any) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self.link, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, opener, state), daemon=True)
        self._process.start()
        theirs.close()

    def send(self, message: Any) -> None:
        self.link.send(message)

    def recv(self) -> Any:
        return self.link.recv()

    def join(self) -> int | None:
        self._process.join()
        return self._process.exitcode

    def terminate(self) -> None:
        self._process.terminate()

    def close(self) -> None:
        self.link.close()


class _PipeLink:
    """Pickled messages over two pipe descriptors, each prefixed by its length."""

    def __init__(self, incoming: int, outgoing: int) -> None:
        self._incoming, self._outgoing = incoming, outgoing

    def send(self, message: Any) -> None:
        import pickle

        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        view = memoryview(len(data).to_bytes(8, "little") + data)
        while view:
            view = view[os.write(self._outgoing, view):]

    def recv(self) -> Any:
        import pickle

        size = int.from_bytes(self._read(8), "little")
        return pickle.loads(self._read(size))

    def _read(self, size: int) -> bytes:
        parts = []
        while size:
            part = os.read(self._incoming, min(size, 1 << 20))
            if not part:
                raise EOFError
            parts.append(part)
            size -= len(part)
        return b"".join(parts)

    def close(self) -> None:
        for fd in (self._incoming, self._outgoing):
            try:
                os.close(fd)
            except OSError:
                pass


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this forked worker when `parent` ends, however it ends (SIGTERM,
    SIGKILL, a crash): a worker deep in one regex match would not notice its pipe closing."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL))
    except (OSError, AttributeError):  # no prctl: the closed pipe still stops the worker
        return
    if os.getppid() != parent:  # the parent ended before prctl took effect
        os._exit(1)


def _serve(link: Any, opener: Opener, state: Any) -> None:
    """A worker: apply the opened function to each task until told to stop."""
    import queue
    import threading
    from contextlib import ExitStack

    tasks: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_receive, args=(link, tasks), daemon=True).start()
    with ExitStack() as stack:
        work = None
        while (message := tasks.get()) is not None:
            number, task = message
            try:
                if work is None:
                    work = stack.enter_context(opener(state))
                reply: tuple[Any, Any, Exception | None] = (number, work(task), None)
            except Exception as exc:  # raised in the parent
                reply = (number, None, exc)
            try:
                link.send(reply)
            except OSError:  # the parent is gone (killed): nobody wants the result
                return


def _receive(link: Any, tasks: queue.SimpleQueue) -> None:
    """Take each task as soon as it comes: the parent never waits to send a task while this
    worker waits to send a result. The end of the pipe (the parent is gone) is a stop."""
    while True:
        try:
            message = link.recv()
        except (EOFError, OSError):
            message = None
        tasks.put(message)
        if message is None:
            return


def _close_inherited(keep: set[int]) -> None:
    """Close every descriptor a forked worker inherited but stdin, stdout, stderr and `keep`.

    The Python objects that own them stay in memory, so none closes a number a later file of
    this worker reuses: the collector leaves them alone (gc.freeze), and the worker never
    returns into the frames that hold them (it ends with os._exit)."""
    import gc

    gc.freeze()
    low = 3
    for fd in sorted(keep):
        os.closerange(low, fd)
        low = fd + 1
    os.closerange(low, _max_fd())


def _max_fd() -> int:
    try:
        return os.sysconf("SC_OPEN_MAX")
    except (AttributeError, ValueError, OSError):
        return 65536
