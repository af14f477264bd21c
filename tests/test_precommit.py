"""A real `pre-commit try-repo` of this repository against a real git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, git, init_repo

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


@pytest.fixture(scope="module")
def hook_source(tmp_path_factory) -> Path:
    """A committed copy of this working tree, so try-repo installs exactly what is here."""
    source = tmp_path_factory.mktemp("hook-source") / "mistral-guard"
    shutil.copytree(REPO_ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "*.egg-info", ".pytest_cache", "build", "dist"))
    init_repo(source)
    git(source, "add", "-A")
    git(source, "commit", "-q", "-m", "snapshot")
    return source


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(repo: Path, hook_source: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(hook_source), "mistral-guard", "--color", "never"],
        cwd=repo, capture_output=True, text=True, env=env, timeout=600,
    )


def test_pre_commit_blocks_a_staged_key_and_passes_clean_files(tmp_path, key, hook_source,
                                                               pre_commit_home):
    repo = init_repo(tmp_path / "project")
    (repo / "app.py").write_text("print('hello')\n")
    git(repo, "add", "app.py")
    clean = try_repo(repo, hook_source, pre_commit_home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout

    (repo / "settings.py").write_text(f'MISTRAL_API_KEY = "{key}"\n')
    git(repo, "add", "settings.py")
    dirty = try_repo(repo, hook_source, pre_commit_home)
    assert dirty.returncode == 1
    assert "Failed" in dirty.stdout
    assert "settings.py:1:20  MG001" in dirty.stdout
    assert key not in dirty.stdout + dirty.stderr
