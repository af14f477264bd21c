"""Ctrl-C stops a scan with exit code 130 and no traceback."""

from __future__ import annotations

import platform
import signal
import subprocess
import sys
import time
from pathlib import Path

READ_SYSCALL = {"x86_64": "0", "aarch64": "63"}


def wait_until_reading_stdin(pid: int, timeout: float = 60.0) -> None:
    """Block until the process sits in read(0, ...), i.e. it has started and is scanning stdin."""
    number = READ_SYSCALL.get(platform.machine())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            fields = Path(f"/proc/{pid}/syscall").read_text().split()
        except OSError:
            fields = []
        if number is not None and fields[:2] == [number, "0x0"]:
            return
        time.sleep(0.05)
    raise AssertionError("the scan never started reading stdin")


def test_sigint_while_reading_stdin_exits_130(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "scanner", "scan", "-"], cwd=tmp_path,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        proc.stdin.write(b"partial content, the pipe stays open\n")
        proc.stdin.flush()
        wait_until_reading_stdin(proc.pid)
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert b"interrupted" in stderr and b"Traceback" not in stderr
