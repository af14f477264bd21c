"""Worker processes that take tasks over pipes and give results back in task order.

One mechanism for the tree scan and for history. On Linux the workers are forked: they start
in a millisecond and share what this process has loaded and compiled. A forked worker closes
every file descriptor it inherited but its own pipe, so it never holds this process's pipes
to git (a git process whose stdin stays open in a worker would never see its end) nor its
links to the other workers. Elsewhere they are spawned (the platform default).

Ctrl-C reaches the whole process group; the workers ignore it from their first instruction,
and this process stops them. An exception in a worker is raised here, by the task it hit.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from scanner.errors import ScanError

if TYPE_CHECKING:  # the rest is imported where it is used: the hook path imports this module
    import queue
    from contextlib import AbstractContextManager

Task = TypeVar("Task")
Result = TypeVar("Result")
# Opens what a worker needs (a git reader, say) on its first task and closes it at the end:
# called in the worker with `state`, it yields the function applied to each task.
Opener = Callable[[Any], "AbstractContextManager[Callable[[Task], Result]]"]

START_METHOD = "fork" if sys.platform.startswith("linux") else None
IN_FLIGHT_PER_JOB = 2  # tasks a worker holds: one at work, one waiting
WINDOW_PER_JOB = 4  # tasks sent and not yet given back in order, per worker


def ordered(tasks: Iterable[Task], opener: Opener, state: Any, jobs: int) -> Iterator[Result]:
    """The result of each task, in task order, computed by `jobs` worker processes.

    Tasks are sent as they come, to the least busy worker, and at most WINDOW_PER_JOB * jobs
    results wait for an earlier one: memory stays flat however many tasks there are. When the
    caller stops early or an error or Ctrl-C comes, the workers are stopped.
    """
    import multiprocessing
    from multiprocessing.connection import wait

    context = multiprocessing.get_context(START_METHOD)
    links: list[Any] = []
    processes: list[Any] = []
    owner: dict[Any, int] = {}
    busy = [0] * jobs
    done: dict[int, Result] = {}
    sent = given = 0

    def collect(block: bool) -> None:
        for link in wait(links, None if block else 0):
            try:
                number, result, error = link.recv()
            except EOFError:
                index = owner[link]
                processes[index].join()
                raise ScanError(f"a worker process ended unexpectedly (exit code "
                                f"{processes[index].exitcode})") from None
            if error is not None:
                raise error
            done[number] = result
            busy[owner[link]] -= 1

    try:
        for index in range(jobs):
            ours, theirs = context.Pipe()
            # A forked worker is told which descriptors to keep; a spawned one inherits none.
            keep = theirs.fileno() if context.get_start_method() == "fork" else None
            process = context.Process(target=_serve, args=(theirs, keep, opener, state),
                                      daemon=True)
            _start_ignoring_ctrl_c(process)
            theirs.close()
            links.append(ours)
            processes.append(process)
            owner[ours] = index
        for task in tasks:
            while min(busy) >= IN_FLIGHT_PER_JOB or sent - given >= WINDOW_PER_JOB * jobs:
                if given in done:
                    yield done.pop(given)
                    given += 1
                else:
                    collect(block=True)
            index = busy.index(min(busy))
            links[index].send((sent, task))
            busy[index] += 1
            sent += 1
            collect(block=False)
            while given in done:
                yield done.pop(given)
                given += 1
        while given < sent:
            while given not in done:
                collect(block=True)
            yield done.pop(given)
            given += 1
        for link in links:
            link.send(None)
        for process in processes:
            process.join()
    except BaseException:  # an error, Ctrl-C or an early stop: the workers' results are unwanted
        for process in processes:
            process.terminate()
        raise
    finally:
        for process in processes:
            process.join()
        for link in links:
            link.close()


def _start_ignoring_ctrl_c(process: Any) -> None:
    """Start a worker with SIGINT ignored from its first instruction (an inherited SIG_IGN), so
    a worker interrupted while it starts prints no traceback; this process's own handler is
    back as soon as the worker is started."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        process.start()
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process.start()
    finally:
        signal.signal(signal.SIGINT, previous)


def _serve(link: Any, keep: int | None, opener: Opener, state: Any) -> None:
    """A worker: apply the opened function to each task until told to stop."""
    import queue
    import threading
    from contextlib import ExitStack

    if keep is not None:
        _close_inherited(keep)
    tasks: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_receive, args=(link, tasks), daemon=True).start()
    with ExitStack() as stack:
        work = None
        while (message := tasks.get()) is not None:
            number, task = message
            try:
                if work is None:
                    work = stack.enter_context(opener(state))
                reply = (number, work(task), None)
            except Exception as exc:  # noqa: BLE001 - raised in the parent
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


def _close_inherited(keep: int) -> None:
    """Close every descriptor a forked worker inherited but stdin, stdout, stderr and `keep`.

    The Python objects that own them stay in memory, never collected (gc.freeze), so none
    closes a number a later file of this worker reuses."""
    import gc

    gc.freeze()
    os.closerange(3, keep)
    os.closerange(keep + 1, _max_fd())


def _max_fd() -> int:
    try:
        return os.sysconf("SC_OPEN_MAX")
    except (AttributeError, ValueError, OSError):
        return 65536
