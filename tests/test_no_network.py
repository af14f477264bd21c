"""No scan opens a socket: commands run with socket creation blocked in Python, and in a
network namespace with no interfaces when the machine allows one (unshare -rn)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import git, init_repo

GUARD = """
import socket, sys
real_socket = socket.socket
def refuse(*args, **kwargs):
    sys.stderr.write("NETWORK-ATTEMPT\\n")
    raise OSError("network blocked by test")
def guarded_socket(family=socket.AF_INET, *args, **kwargs):
    # A pipe between our own processes (socketpair, AF_UNIX) is not network.
    if family == socket.AF_UNIX:
        return real_socket(family, *args, **kwargs)
    return refuse()
socket.socket = guarded_socket
socket.create_connection = refuse
socket.getaddrinfo = refuse
from scanner.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _unshare_works() -> bool:
    tool = shutil.which("unshare")
    return bool(tool) and subprocess.run([tool, "-rn", "true"], capture_output=True).returncode == 0


COMMANDS = [
    ["scan", "."],
    ["scan", ".", "--format", "json"],
    ["hook", "settings.py"],
    ["rules", "list"],
]


@pytest.fixture
def leaky_repo(tmp_path, key):
    repo = init_repo(tmp_path / "repo")
    (repo / "settings.py").write_text(f'MISTRAL_API_KEY = "{key}"\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "leak")
    return repo


@pytest.mark.parametrize("isolate", [False, True], ids=["socket-blocked", "no-network-namespace"])
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_commands_open_no_socket(leaky_repo, args, isolate):
    prefix = []
    if isolate:
        if not _unshare_works():
            pytest.skip("unshare -rn is not permitted on this machine")
        prefix = ["unshare", "-rn"]
    proc = subprocess.run([*prefix, sys.executable, "-c", GUARD, *args], cwd=leaky_repo,
                          capture_output=True, text=True, timeout=120)
    assert "NETWORK-ATTEMPT" not in proc.stderr
    assert "Traceback" not in proc.stderr
    expected = 0 if args[0] == "rules" else 1
    assert proc.returncode == expected, proc.stderr
