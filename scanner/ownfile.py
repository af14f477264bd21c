"""Reading the files the tool reads for itself: config, rule files, baselines, ignore files.

A scanned repository may make any of them a symlink to `/dev/zero`, a FIFO or a huge file.
Each is opened without blocking, and read only when it is a regular file under a size cap.
"""

from __future__ import annotations

import os
import stat

from scanner.errors import ScanError

MAX_OWN_FILE_BYTES = 32 * 1024 * 1024  # far above any real config, rule file or baseline
# O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused right after).
_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)


class NotReadable(Exception):
    """Why a file of the tool's own was not read: `reason` is a short phrase."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def read_own_bytes(path: str | os.PathLike[str], limit: int = MAX_OWN_FILE_BYTES) -> bytes:
    """The bytes of `path` if it is a regular file of at most `limit` bytes; otherwise
    NotReadable("not found" | "not a regular file" | "larger than N MiB" | an OS reason)."""
    try:
        handle = os.open(path, _FLAGS)
    except FileNotFoundError:
        raise NotReadable("not found") from None
    except OSError as exc:
        raise NotReadable((exc.strerror or type(exc).__name__).lower()) from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable("not a regular file")
        parts, total = [], 0
        while total <= limit:
            block = os.read(handle, min(1024 * 1024, limit + 1 - total))
            if not block:
                break
            parts.append(block)
            total += len(block)
        if total > limit:
            raise NotReadable(f"larger than {limit // (1024 * 1024)} MiB")
        return b"".join(parts)
    except OSError as exc:
        raise NotReadable((exc.strerror or type(exc).__name__).lower()) from None
    finally:
        os.close(handle)


def read_own_text(path: str | os.PathLike[str], kind: str) -> str:
    """The UTF-8 text of one of the tool's files; anything else is a one-line ScanError
    such as "cannot read config file x.toml: not a regular file"."""
    try:
        data = read_own_bytes(path)
    except NotReadable as exc:
        raise ScanError(f"cannot read {kind} {os.fspath(path)}: {exc.reason}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScanError(f"cannot read {kind} {os.fspath(path)}: not UTF-8 text "
                        f"(byte {exc.start})") from None
