"""Write a file so that readers see the old content or the new, never a partial one."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from scanner.errors import ScanError


def write_atomically(path: str | Path, data: bytes, what: str) -> None:
    """Write `data` to a temporary file in `path`'s directory, then rename it over `path`.

    A failed or interrupted write (an OSError, Ctrl-C) removes the temporary file and leaves
    `path` as it was; an OSError becomes "cannot write <what> <path>: <reason>".
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle = tempfile.NamedTemporaryFile(dir=directory, prefix=f".{path.name}.",
                                             suffix=".tmp", delete=False)
    except OSError as exc:
        raise ScanError(f"cannot write {what} {path}: {exc.strerror}") from None
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(handle.name, _mode_for(path))
        os.replace(handle.name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
        if isinstance(exc, OSError):
            raise ScanError(f"cannot write {what} {path}: {exc.strerror}") from None
        raise


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets rw-r--r-- (temp files are 0600)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o644


def write_output(path: str, data: bytes, what: str) -> None:
    """Write a report to `path`: atomically (write_atomically) over a regular file or a new
    path; straight through to anything else (`/dev/null`, `/dev/stdout`, a pipe, a symlink),
    which is never replaced by a regular file. A failed write is a one-line ScanError."""
    try:
        replaceable = stat.S_ISREG(os.lstat(path).st_mode)
    except FileNotFoundError:
        replaceable = True
    except OSError as exc:
        raise ScanError(f"cannot write {what} {path}: {exc.strerror}") from None
    if replaceable:
        write_atomically(path, data, what)
        return
    try:
        with open(path, "wb") as handle:  # follows the link; a device is written, not replaced
            handle.write(data)
    except OSError as exc:  # /dev/full says ENOSPC here, at the write or at the close
        raise ScanError(f"cannot write {what} {path}: {exc.strerror}") from None
