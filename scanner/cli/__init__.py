"""The program's entry point: the plain invocations without click, everything else through it.

`mistral-guard scan [PATH...]` and `mistral-guard hook FILE...` with no option at all (what
the pre-commit hook and most CI steps run) go straight to `scanner.pipeline.run`, with the
defaults the command line would give them: importing click and building the command tree cost
more than scanning a tree of a thousand files. Any option, `-`, another command or no command at all
goes to the click command line (scanner.cli.app). Both end the same way: an exit code, and one
line on stderr for an error, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from scanner.errors import ScanError
from scanner.pipeline.run import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    ReportOptions,
    echo,
    run_hook,
    run_scan,
)

PLAIN_COMMANDS = ("scan", "hook")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the program with `argv` (default: the process's) and return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if plain(args):
        return guarded(lambda: _run_plain(args[0], tuple(args[1:])))
    from scanner.cli.app import run_click

    return guarded(lambda: run_click(args))


def plain(args: list[str]) -> bool:
    """True for `scan` or `hook` followed only by paths (none starting with `-`)."""
    return bool(args) and args[0] in PLAIN_COMMANDS and not any(
        arg.startswith("-") for arg in args[1:])


def _run_plain(command: str, paths: tuple[str, ...]) -> int:
    if command == "hook":
        return run_hook(paths, ReportOptions())
    return run_scan(paths, ReportOptions())


def guarded(run: Callable[[], int]) -> int:
    """`run()`'s exit code; an error that ends the run is one line on stderr and exit 2."""
    try:
        return run()
    except ScanError as exc:
        _report_failure(f"mistral-guard: error: {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _report_failure("mistral-guard: interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader of our output went away (`| head`)
        _silence_stdout()
        return EXIT_ERROR
    except OSError as exc:  # e.g. stdout on a full disk: the message names no file content
        _report_failure(f"mistral-guard: error: {exc.strerror or type(exc).__name__}")
        return EXIT_ERROR
    except Exception as exc:  # a bug must still exit 2, never look like "findings"
        # Only the type: an exception message could quote scanned text.
        _report_failure(f"mistral-guard: internal error ({type(exc).__name__}); please report it")
        return EXIT_ERROR


def _report_failure(message: str) -> None:
    """`message` on stderr, escaped and with key-shaped tokens redacted: it may quote a
    config value or a file name."""
    from scanner.report.escape import redact_key_shapes, terminal_safe

    try:
        echo(terminal_safe(redact_key_shapes(message)), err=True)
    except (OSError, ValueError):  # stderr closed too: the exit code still says it
        pass


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run() -> None:
    """Console-script entry point. The process ends without the interpreter's teardown,
    which frees every object one by one (docs/PERFORMANCE.md): by then the reports
    are written, the workers joined, and only the standard streams are left to flush."""
    import os

    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:  # None: the process started with that descriptor closed
                stream.flush()
        except (OSError, ValueError):  # closed or gone: nothing more can be said on it
            pass
    os._exit(code)
