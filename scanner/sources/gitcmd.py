"""The one way this project runs git: read-only plumbing that a scanned repository cannot subvert.

A repository under audit controls its own `.git/config` and `.gitattributes`, and some settings
name programs git would run (fsmonitor, pager, external diff, ssh, filters, hooks, gpg). Every
call is built by `argv()` and `environment()` (through `run`, `start` and `ObjectReader`): they
override those settings on the command line (the highest-priority config scope), forbid every
transport (so no network), and give git an environment in which it never prompts, pages or asks
for credentials. Only plumbing is used: no `status`, `checkout`, `diff` with textconv, `fetch`
or anything that writes to the repository; the one exception is `mirror`, which clones or
fetches an audit's bare mirror with only the transports that run no program.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from typing import IO, NoReturn

from scanner.errors import ScanError

# Config that can make git run a program or open a connection, neutralised for every call.
SAFE_CONFIG = (
    "core.fsmonitor=false",
    "core.hooksPath=/dev/null",
    "core.pager=cat",
    "core.sshCommand=false",
    "core.askPass=false",
    "core.editor=false",
    "core.untrackedCache=false",
    "diff.external=",
    "credential.helper=",
    "protocol.allow=never",
    "log.showSignature=false",
    "gc.auto=0",
    "maintenance.auto=false",
    "color.ui=false",
)
# Bounds on what one git process maps and caches, whatever the repository size: by default git
# maps pack files in windows of 1 GiB (up to 8 GiB; mapped pages count in its RSS) and keeps
# 96 MiB of delta bases. With these a process holds at most about 64 MiB of pack windows and
# 32 MiB of delta bases beyond the object it is working on: on pypa/pip a `cat-file --batch`
# reader peaks near 67 MiB (198 MiB without), `rev-list --objects` near 39 MiB (76 MiB).
MEMORY_CONFIG = (
    "core.packedGitWindowSize=32m",
    "core.packedGitLimit=64m",
    "core.deltaBaseCacheLimit=32m",
)
SAFE_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "PAGER": "cat",
    "GIT_ASKPASS": "/bin/false",
    "SSH_ASKPASS": "/bin/false",
    "GIT_EDITOR": "false",
    "GIT_OPTIONAL_LOCKS": "0",  # never rewrite the index as a side effect of reading it
    "GIT_NO_REPLACE_OBJECTS": "1",  # read the objects as stored, not as refs/replace says
    # Nor as .git/info/grafts says (GIT_NO_REPLACE_OBJECTS leaves grafts on): a graft can hide
    # commits from the walk. A path below /dev/null never exists, so git reads no graft file.
    "GIT_GRAFT_FILE": "/dev/null/no-grafts",
    "GIT_PROTOCOL_FROM_USER": "0",
    # A partial clone fetches a missing object from its promisor remote when asked for it. The
    # sources never ask for one (they list with `rev-list --missing=print` and test presence
    # first); this forbids it on git >= 2.44 too, and protocol.allow=never fails any attempt.
    "GIT_NO_LAZY_FETCH": "1",
    "LC_ALL": "C",
}
# Inherited variables that name a program for git to run.
_DROPPED_ENV = ("GIT_EXTERNAL_DIFF", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_PROXY_COMMAND")

Arg = str | bytes
PIPE_BYTES = 1 << 20
BLOCK_BYTES = 1 << 20  # the most ObjectReader.blocks holds of an object at a time


def argv(*args: Arg) -> list[Arg]:
    """The full argv of a safe git call: `git -c ... <args>`."""
    config = [part for item in (*SAFE_CONFIG, *MEMORY_CONFIG) for part in ("-c", item)]
    return ["git", "--no-pager", "--no-replace-objects", *config, *args]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
    env.update(SAFE_ENV)
    return env


def run(repo: str, *args: Arg, ok_codes: Sequence[int] = (0,), stdin: bytes = b"") -> bytes:
    """Run one git command in `repo` and return its stdout; any other exit is a ScanError."""
    try:
        proc = subprocess.run(argv(*args), cwd=repo, env=environment(), capture_output=True,
                              input=stdin)
    except FileNotFoundError:
        raise _no_git() from None
    if proc.returncode not in ok_codes:
        raise failure(repo, args, proc.stderr)
    return proc.stdout


def start(repo: str, *args: Arg,
          stdin: int | IO[bytes] | None = subprocess.PIPE) -> subprocess.Popen:
    """Start a long-lived git process (a reader); the caller ends it with `finish`."""
    try:
        proc = subprocess.Popen(argv(*args), cwd=repo, env=environment(), stdin=stdin,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError:
        raise _no_git() from None
    assert proc.stdout is not None
    _widen(proc.stdout.fileno())
    return proc


def finish(repo: str, proc: subprocess.Popen, args: Sequence[Arg]) -> None:
    """Close a started process and raise a ScanError if it failed."""
    if proc.stdin is not None:
        try:
            proc.stdin.close()
        except BrokenPipeError:
            pass
    stderr = proc.stderr.read() if proc.stderr is not None else b""
    if proc.stdout is not None:
        proc.stdout.close()
    if proc.wait() != 0:
        raise failure(repo, args, stderr)


def failure(repo: str, args: Sequence[Arg], stderr: bytes) -> ScanError:
    """Turn git's complaint into a one-line ScanError that says what to do."""
    text = stderr.decode("utf-8", "replace")
    if "dubious ownership" in text:
        where = os.path.abspath(repo)
        return ScanError(
            f"git refuses to read {where}: it is owned by another user. If you trust it, "
            f"allow it with: git config --global --add safe.directory {where}")
    if "not a git repository" in text.lower():
        return ScanError(f"not a git repository: {os.path.abspath(repo)}")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    marked = [line.split(": ", 1)[1] for line in lines if line.startswith(("fatal: ", "error: "))]
    detail = (marked or lines or ["no message"])[0]
    name = args[0].decode() if isinstance(args[0], bytes) else args[0]
    return ScanError(f"git {name} failed: {detail}")


def _widen(fd: int) -> None:
    """Let git write up to 1 MiB ahead of the reader (Linux pipes hold 64 KiB by default)."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):
        pass  # not Linux, or over /proc/sys/fs/pipe-max-size: the default size works too


def _no_git() -> ScanError:
    return ScanError("git is not installed or not on PATH; install git to scan git sources")


class ObjectReader:
    """One long-lived `git cat-file --batch` process that reads objects by name, in batches.

    Each batch ends with a request for a random name that cannot exist, so git's answer to the
    batch always ends with a line only this reader knows. If git ever sends less than it
    announced for an object (a corrupt object), that line arrives while bytes are still
    expected: the read fails with an error instead of waiting forever.
    """

    ARGS = ("cat-file", "--batch")

    def __init__(self, repo: str) -> None:
        self.repo = repo
        self._proc = start(repo, *self.ARGS)
        assert self._proc.stdout is not None
        self._fd = self._proc.stdout.fileno()
        self._sentinel = b"mistral-guard-end-" + secrets.token_hex(16).encode()
        self._end = self._sentinel + b" missing\n"
        self._buffer = bytearray()

    def read(self, names: Sequence[bytes]) -> Iterator[bytes | None]:
        """Contents of each name (`oid` or `rev:path`) in order; None when git has none."""
        writer = threading.Thread(target=self._write, args=(names,), daemon=True)
        writer.start()
        for _ in names:
            size = self._header()
            yield None if size is None else self._take(size, 1)  # and the newline after it
        self._end_batch()
        writer.join()

    def blocks(self, name: bytes) -> Iterator[bytes] | None:
        """One object's contents in blocks of at most BLOCK_BYTES, so a huge blob is never
        held whole; None when git has none. Read every block before the next request."""
        self._write([name])
        size = self._header()
        if size is None:
            self._end_batch()
            return None
        return self._blocks(size)

    def _blocks(self, size: int) -> Iterator[bytes]:
        while size > BLOCK_BYTES:
            yield self._take(BLOCK_BYTES)
            size -= BLOCK_BYTES
        yield self._take(size, 1)
        self._end_batch()

    def _header(self) -> int | None:
        """The size git announces for the next object, or None for a missing one."""
        fields = self._take_line().split()
        if len(fields) == 2:  # "<name> missing" or "<name> ambiguous"
            return None
        if len(fields) != 3 or not fields[2].isdigit():
            self._fail()
        return int(fields[2])

    def _end_batch(self) -> None:
        if self._take_line() + b"\n" != self._end:
            self._fail()

    def _write(self, names: Sequence[bytes]) -> None:
        assert self._proc.stdin is not None
        try:
            self._proc.stdin.write(b"".join(name + b"\n" for name in names))
            self._proc.stdin.write(self._sentinel + b"\n")
            self._proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass  # git stopped reading: the reading side reports why

    def _fill(self, needed: int) -> None:
        while len(self._buffer) < needed:
            if self._buffer.endswith(self._end):
                self._fail()  # git has answered everything, yet bytes are missing
            data = os.read(self._fd, 1 << 20)
            if not data:
                self._fail()
            self._buffer += data

    def _take(self, count: int, skip: int = 0) -> bytes:
        """The next `count` bytes (one copy), then `skip` more dropped."""
        self._fill(count + skip)
        with memoryview(self._buffer) as view, view[:count] as head:
            data = bytes(head)
        del self._buffer[:count + skip]
        return data

    def _take_line(self) -> bytearray:
        start = 0
        while (end := self._buffer.find(b"\n", start)) < 0:
            start = len(self._buffer)
            self._fill(start + 1)
        line = self._buffer[:end]
        del self._buffer[:end + 1]
        return line

    def _fail(self) -> NoReturn:
        if self._proc.poll() is not None:  # git stopped on its own: say what it said
            self.close()
        self._proc.kill()
        self._proc.wait()
        raise ScanError("git cat-file answered less than it announced: the repository has a "
                        "corrupt object (run git fsck)")

    def close(self) -> None:
        finish(self.repo, self._proc, self.ARGS)

    def __enter__(self) -> ObjectReader:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()
        else:
            self._proc.kill()
            self._proc.wait()


# Transports a mirror may use. Every other one (ext::, fd::, remote helpers such as
# testgit:: or a `<name>::<address>` form) can run a program, so it is refused.
MIRROR_PROTOCOLS = ("https", "ssh", "git", "file")
# `scheme://...`: the scheme of a URL-form repository address.
_URL_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*)://")
# `user@host:path` (scp-like ssh), with no slash before the colon (else it is a local path).
_SCP_LIKE = re.compile(r"^[^/:]+@?[^/:]*:(?!//)")


def mirror_transport(address: str) -> str:
    """The transport of a repository address (https, ssh, git, file or local), or a
    ScanError naming why it is refused."""
    if not address or address.startswith("-") or any(c in address for c in "\n\r\0"):
        raise ScanError(f"refused repository address {address[:80]!r}: not a URL or path")
    if "::" in address.split("/", 1)[0]:  # `ext::cmd`, `fd::3`, `helper::address`
        raise ScanError(f"refused repository address {address[:80]!r}: the "
                        f"{address.split('::', 1)[0]!r} transport can run programs "
                        "(only https, ssh, git, file and local paths)")
    url = _URL_SCHEME.match(address)
    if url:
        scheme = url["scheme"].lower()
        scheme = "ssh" if scheme in ("ssh", "git+ssh", "ssh+git") else scheme
        if scheme not in MIRROR_PROTOCOLS:
            raise ScanError(f"refused repository address {address[:80]!r}: transport "
                            f"{scheme!r} (only https, ssh, git, file and local paths)")
        return scheme
    if os.path.exists(address):
        return "file"
    if _SCP_LIKE.match(address):
        return "ssh"
    return "file"  # a local path that does not exist: git says so


def mirror(address: str, dest: str, timeout: float | None = None) -> bool:
    """Make `dest` a bare mirror of `address` (clone, or fetch when it exists). Returns True
    when a fetch was needed and made, False for a fresh clone.

    Only MIRROR_PROTOCOLS are allowed (`protocol.allow=never` for the rest, on the command
    line); no checkout, no hooks (an empty template directory), and nothing from the
    source's configuration is copied. `timeout`: seconds before git is stopped (a
    ScanError)."""
    transport = mirror_transport(address)
    allow = [part for name in MIRROR_PROTOCOLS
             for part in ("-c", f"protocol.{name}.allow=always")]
    # ssh without a prompt; a host key not yet known is refused.
    ssh = ["-c", "core.sshCommand=ssh -oBatchMode=yes"] if transport == "ssh" else []
    fetching = os.path.isdir(dest)
    if fetching:
        args = ["fetch", "--prune", "--no-write-fetch-head", "--quiet", "origin"]
        cwd = dest
    else:
        os.makedirs(os.path.dirname(os.path.abspath(dest)), exist_ok=True)
        address = os.path.abspath(address) if transport == "file" and "://" not in address \
            else address
        # Cloned beside `dest` and renamed when complete: a clone stopped half-way (timeout,
        # Ctrl-C, a lost worker) never looks like a mirror to fetch into.
        partial = f"{dest}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        args = ["clone", "--mirror", "--quiet", "--template=", "--", address, partial]
        cwd = None
    command = argv(*allow, *ssh, *args)
    try:  # its own process group, so a timeout stops git's helpers (ssh, remote-https) too
        proc = subprocess.Popen(command, cwd=cwd, env=environment(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
    except FileNotFoundError:
        raise _no_git() from None
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        if sys.exc_info()[0] is subprocess.TimeoutExpired:
            raise ScanError(f"git {args[0]} timed out after {timeout:g}s") from None
        raise
    if proc.returncode != 0:
        raise failure(dest if fetching else ".", args, stderr)
    if not fetching:
        os.rename(partial, dest)
    return fetching
