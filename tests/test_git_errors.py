"""Every way a git scan can be impossible gives one line and exit 2, never "no leaks"."""

from __future__ import annotations

import os
import zlib

import pytest

from tests.conftest import run_cli
from tests.gitrepo import Repo, leak


def one_error_line(result) -> str:
    assert result.code == 2, result.stdout + result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mistral-guard: error: ")
    return lines[0]


@pytest.mark.parametrize("command", ["staged", "history"])
def test_not_a_git_repository(tmp_path, command):
    line = one_error_line(run_cli(command, cwd=tmp_path))
    assert "not a git repository" in line


def test_history_of_an_empty_repository(tmp_path):
    repo = Repo(tmp_path / "repo")
    line = one_error_line(run_cli("history", cwd=repo.path))
    assert "no commits yet" in line and "mistral-guard staged" in line


def test_missing_repo_directory(tmp_path):
    line = one_error_line(run_cli("history", "--repo", str(tmp_path / "nope")))
    assert "nope" in line


@pytest.mark.parametrize("damage", [
    zlib.compress(b"blob 999\0shorter than its header says"),  # git streams it without a word
    b"\x78\x01 not a zlib stream at all",
])
def test_corrupt_object(tmp_path, key, damage):
    repo = Repo(tmp_path / "repo")
    repo.commit("init", **{"a.py": "x = 1\n" + leak(key)})
    blob = repo.git("rev-parse", "HEAD:a.py").strip()
    loose = repo.path / ".git" / "objects" / blob[:2] / blob[2:]
    loose.chmod(0o644)
    loose.write_bytes(damage)
    for command in (["history"], ["history", "--jobs", "2"], ["history", "HEAD"]):
        line = one_error_line(run_cli(*command, cwd=repo.path))
        assert key not in line and "corrupt" in line


def test_missing_object(tmp_path):
    repo = Repo(tmp_path / "repo")
    repo.commit("init", **{"a.py": "x = 1\n"})
    blob = repo.git("rev-parse", "HEAD:a.py").strip()
    (repo.path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    one_error_line(run_cli("history", cwd=repo.path))


def test_no_git_binary(tmp_path):
    repo = Repo(tmp_path / "repo")
    repo.commit("init", **{"a.py": "x = 1\n"})
    empty = tmp_path / "bin"
    empty.mkdir()
    for command in ("history", "staged"):
        line = one_error_line(run_cli(command, cwd=repo.path, env={"PATH": str(empty)}))
        assert "git is not installed" in line


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root to give the repository to another user")
def test_repository_owned_by_another_user(tmp_path):
    repo = Repo(tmp_path / "repo")
    repo.commit("init", **{"a.py": "x = 1\n"})
    for path in [repo.path, *repo.path.rglob("*")]:
        os.lchown(path, 4242, 4242)
    for command in ("history", "staged"):
        line = one_error_line(run_cli(command, cwd=repo.path, env={"HOME": str(tmp_path)}))
        assert "owned by another user" in line
        assert f"git config --global --add safe.directory {repo.path}" in line


def test_pre_push_outside_pre_commit_is_an_error(tmp_path):
    repo = Repo(tmp_path / "repo")
    repo.commit("init", **{"a.py": "x = 1\n"})
    env = {name: "" for name in ("PRE_COMMIT_TO_REF", "PRE_COMMIT_LOCAL_BRANCH",
                                 "PRE_COMMIT_FROM_REF")}
    line = one_error_line(run_cli("history", "--pre-push", cwd=repo.path, env=env))
    assert "PRE_COMMIT_TO_REF" in line



def test_conflicting_history_options(tmp_path):
    repo = Repo(tmp_path / "repo")
    repo.commit("init", **{"a.py": "x = 1\n"})
    for args in (["HEAD~1..HEAD", "--include-unreachable"], ["HEAD", "--pre-push"]):
        assert "takes no REV-RANGE" in one_error_line(run_cli("history", *args, cwd=repo.path))
