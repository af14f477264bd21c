"""Shared test helpers: fake keys, running the real CLI, real git repositories."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from scanner.rules.check import generate_fake_key

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: Path | str | None = None, stdin: bytes | None = None,
            env: dict[str, str] | None = None) -> CliResult:
    """Run the installed CLI (`python -m scanner`) in a subprocess, as a user would."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "scanner", *args], cwd=cwd, input=stdin,
        capture_output=True, env=full_env, timeout=120,
    )
    return CliResult(proc.returncode, proc.stdout.decode("utf-8", "replace"),
                     proc.stderr.decode("utf-8", "replace"))


def unprivileged_prefix() -> list[str]:
    """The command prefix that makes permission bits deny reads: nothing for a normal user;
    for root, `setpriv` without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH (skips the test when
    setpriv is missing)."""
    import shutil

    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permission bits cannot deny a read")
    return [setpriv, "--bounding-set", "-dac_override,-dac_read_search", "--"]


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return proc.stdout


def init_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "test@example.invalid")
    git(path, "config", "user.name", "Test")
    git(path, "config", "commit.gpgsign", "false")
    return path


@pytest.fixture
def key() -> str:
    """A freshly generated fake key with the shape of a Mistral key."""
    return generate_fake_key()


@pytest.fixture
def cli():
    return run_cli
