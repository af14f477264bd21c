"""Ctrl-C during a parallel history scan: workers and git children stop, no report is left
behind, exit 130 and no traceback."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import init_repo

COMMITS, FILES, LINES, BODIES = 40, 300, 200, 64


def big_history(path: Path) -> Path:
    """COMMITS x FILES distinct text blobs (~180 MB: a numbered header over one of BODIES
    texts), written by one `git fast-import`: enough to keep `--jobs 2` busy for seconds."""
    init_repo(path)
    rnd = random.Random(8)
    words = ["".join(rnd.choices("abcdefghijklmnopqrstuvwxyz", k=rnd.randint(2, 9)))
             for _ in range(400)]
    lines = [" ".join(rnd.choices(words, k=12)) for _ in range(2000)]
    bodies = ["\n".join(rnd.choices(lines, k=LINES)).encode() + b"\n" for _ in range(BODIES)]
    stream = bytearray()
    for commit in range(COMMITS):
        for number in range(FILES):
            mark = commit * FILES + number + 1
            text = b"# %d\n%s" % (mark, bodies[mark % BODIES])
            stream += b"blob\nmark :%d\ndata %d\n%s\n" % (mark, len(text), text)
        stream += b"commit refs/heads/main\ncommitter T <t@example.invalid> %d +0000\n" \
                  b"data 2\nc\n" % (1_700_000_000 + commit)
        stream += b"".join(b"M 100644 :%d d%d/f%d.txt\n" % (commit * FILES + n + 1, n % 10, n)
                           for n in range(FILES))
    subprocess.run(["git", "-c", "pack.compression=1", "fast-import", "--quiet", "--depth=0"],
                   cwd=path, input=bytes(stream),
                   check=True, capture_output=True)
    return path


def session(leader: int) -> list[tuple[int, str, str]]:
    """(pid, command, state) of every process in the session `leader` started."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[3]) == leader:
            found.append((int(entry.name), name, fields[0]))
    return found


def worker_readers(leader: int) -> list[int]:
    """The `git cat-file --batch` readers of the scan's worker processes."""
    readers = []
    for pid, name, _ in session(leader):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if name == "git" and b"--batch" in argv:
            readers.append(pid)
    return readers


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory) -> Path:
    return big_history(tmp_path_factory.mktemp("interrupt") / "repo")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("whole_group", [True, False], ids=["terminal-ctrl-c", "kill-int"])
def test_ctrl_c_during_parallel_history_scan(big_repo, tmp_path, whole_group):
    out = tmp_path / "out"
    out.mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "scanner", "history", "--jobs", "2", "--format", "json",
         "--output", str(out / "report.json")],
        cwd=big_repo, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        env={**os.environ, "NO_COLOR": "1"})
    try:
        deadline = time.monotonic() + 60
        while len(worker_readers(proc.pid)) < 1 and time.monotonic() < deadline:
            assert proc.poll() is None, proc.stderr.read().decode()
            time.sleep(0.02)
        assert worker_readers(proc.pid), "the workers never started reading"
        assert proc.poll() is None, "the scan ended before Ctrl-C: make big_history larger"
        (os.killpg if whole_group else os.kill)(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, stderr.decode()
    assert stderr.decode().strip() == "mistral-guard: interrupted"
    assert list(out.iterdir()) == []  # no report, no temporary file
    deadline = time.monotonic() + 10
    while (alive := [p for p in session(proc.pid) if p[2] != "Z"]) and \
            time.monotonic() < deadline:
        time.sleep(0.05)
    assert alive == []  # zombies are dead already; their reaper is whoever adopted them


def test_output_is_replaced_by_rename(tmp_path, key):
    """--output goes through a temporary file renamed over the target: a reader sees the old
    report or the new one, and the file keeps its permissions."""
    (tmp_path / "a.env").write_text(f'MISTRAL_API_KEY="{key}"\n')
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    report.write_text("old report\n")
    report.chmod(0o640)
    before = report.stat().st_ino
    result = subprocess.run([sys.executable, "-m", "scanner", "scan", str(tmp_path / "a.env"),
                             "--format", "json", "--output", str(report)],
                            capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert report.stat().st_ino != before and oct(report.stat().st_mode & 0o777) == "0o640"
    assert '"findings"' in report.read_text() and key not in report.read_text()
    assert sorted(p.name for p in report.parent.iterdir()) == ["report.json"]
