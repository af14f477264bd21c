"""Real pre-commit runs of this repository (try-repo, and a config with args) in real
git repositories."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scanner.rules.check import generate_fake_key
from tests.conftest import REPO_ROOT, git, init_repo, run_cli

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


def run_hooks(repo: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run([str(PRE_COMMIT), "run", "--color", "never", *args], cwd=repo,
                          capture_output=True, text=True, env=env, timeout=600)


def test_hook_honours_the_baseline_named_in_its_args(tmp_path, key, hook_source,
                                                     pre_commit_home):
    rev = git(hook_source, "rev-parse", "HEAD").strip()
    repo = init_repo(tmp_path / "project")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_source}\n    rev: {rev}\n    hooks:\n"
        "      - id: mistral-guard\n        args: [--baseline, .mistral-guard-baseline.json]\n")
    (repo / "legacy.py").write_text(f'MISTRAL_API_KEY = "{key}"\n')
    created = run_cli("baseline", "create", cwd=repo)
    assert created.code == 0, created.stderr
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "legacy key, reviewed and baselined")

    reviewed = run_hooks(repo, pre_commit_home, "--all-files")
    assert reviewed.returncode == 0, reviewed.stdout + reviewed.stderr
    assert "Passed" in reviewed.stdout

    new_key = generate_fake_key()
    (repo / "new.py").write_text(f'client = Mistral(api_key="{new_key}")\n')
    (repo / "legacy.py").write_text("# moved down\n" * 5 + f'MISTRAL_API_KEY = "{key}"\n')
    git(repo, "add", "new.py", "legacy.py")
    staged = run_hooks(repo, pre_commit_home)
    assert staged.returncode == 1
    assert "new.py:1:27  MG002" in staged.stdout and "legacy.py" not in staged.stdout
    assert "1 suppressed" in staged.stdout
    assert key not in staged.stdout and new_key not in staged.stdout
