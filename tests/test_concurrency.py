"""pre-commit runs the hook in parallel batches: the hook shares no state and writes no file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import init_repo


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for directory, _, names in os.walk(root):
        for name in names:
            path = os.path.join(directory, name)
            info = os.stat(path)
            found[os.path.relpath(path, root)] = (info.st_size, info.st_mtime_ns)
    return found


def test_parallel_hook_batches_write_nothing_and_agree(tmp_path, key):
    repo = init_repo(tmp_path / "repo")
    files = []
    for number in range(40):
        path = repo / f"module_{number}.py"
        body = f'MISTRAL_API_KEY = "{key}"\n' if number % 10 == 0 else f"VALUE = {number}\n"
        path.write_text(body)
        files.append(path.name)
    before = snapshot(tmp_path)
    batches = [files[i::4] for i in range(4)]
    procs = [subprocess.Popen([sys.executable, "-m", "scanner", "hook", *batch], cwd=repo,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env={**os.environ, "NO_COLOR": "1"}) for batch in batches]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert snapshot(tmp_path) == before
    reported = sorted(line.split(":")[0] for out, _ in outputs
                      for line in out.decode().splitlines() if "  MG001  " in line)
    assert reported == ["module_0.py", "module_10.py", "module_20.py", "module_30.py"]
    assert [p.returncode for p in procs] == [1 if any(f in ("module_0.py", "module_10.py",
                                             "module_20.py", "module_30.py") for f in b) else 0
                                             for b in batches]
