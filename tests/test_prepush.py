"""The `mistral-guard-push` hook under a real `pre-commit install --hook-type pre-push` and a
real `git push` to a local bare remote."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.conftest import git, run_cli
from tests.gitrepo import Repo, leak
from tests.test_precommit import PRE_COMMIT, hook_source, pre_commit_home  # noqa: F401


@pytest.fixture
def project(tmp_path, hook_source, pre_commit_home) -> tuple[Repo, dict[str, str]]:  # noqa: F811
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    repo = Repo(tmp_path / "project")
    rev = git(hook_source, "rev-parse", "HEAD").strip()
    repo.write(".pre-commit-config.yaml",
               f"repos:\n  - repo: {hook_source}\n    rev: {rev}\n"
               "    hooks:\n      - id: mistral-guard-push\n")
    repo.git("remote", "add", "origin", str(remote))
    env = {**os.environ, "PRE_COMMIT_HOME": str(pre_commit_home), "NO_COLOR": "1"}
    subprocess.run([str(PRE_COMMIT), "install", "--hook-type", "pre-push"], cwd=repo.path,
                   env=env, check=True, capture_output=True)
    return repo, env


def push(repo: Repo, env: dict[str, str], *refs: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "push", "-q", "origin", *refs], cwd=repo.path, env=env,
                          capture_output=True, text=True, timeout=600)


def remote_has(repo: Repo, ref: str) -> bool:
    proc = subprocess.run(["git", "ls-remote", "origin", ref], cwd=repo.path,
                          capture_output=True, text=True, check=True)
    return bool(proc.stdout.strip())


def test_push_is_refused_when_a_pushed_commit_carries_a_key(project, key):
    repo, env = project
    repo.commit("init", **{"app.py": "x = 1\n"})
    clean = push(repo, env, "main")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert remote_has(repo, "refs/heads/main")

    leaked = repo.commit("leak", **{"app.py": "x = 1\n" + leak(key)})
    repo.commit("delete it again", **{"app.py": "x = 1\n"})
    refused = push(repo, env, "main")
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "app.py:2:20  MG001" in output and f"introduced: {leaked[:12]}" in output
    assert "only in history" in output and key not in output

    repo.git("reset", "-q", "--hard", "origin/main")
    repo.commit("clean work", **{"app.py": "x = 2\n"})
    allowed = push(repo, env, "main")
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr


def test_new_branch_push_scans_only_its_own_commits(project, key):
    repo, env = project
    repo.commit("init", **{"app.py": "x = 1\n"})
    assert push(repo, env, "main").returncode == 0
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit("feature", **{"feature.py": leak(key)})
    refused = push(repo, env, "feature")
    assert refused.returncode != 0
    assert "feature.py:1:20" in refused.stdout + refused.stderr
    assert not remote_has(repo, "refs/heads/feature")

    repo.git("checkout", "-q", "main")
    repo.git("checkout", "-q", "-b", "clean-feature")
    repo.commit("clean feature", **{"ok.py": "y = 1\n"})
    assert push(repo, env, "clean-feature").returncode == 0


def test_first_push_to_an_empty_remote_scans_the_whole_branch(project, key):
    repo, env = project
    repo.commit("root with a key", **{"settings.py": leak(key)})
    repo.commit("remove it", **{"settings.py": "x = 1\n"})
    refused = push(repo, env, "main")
    assert refused.returncode != 0
    assert "settings.py:1:20" in refused.stdout + refused.stderr
    assert not remote_has(repo, "refs/heads/main")


def test_pre_push_environment_directly(tmp_path, key):
    """What the hook does with pre-commit's variables, including an all-zero old tip."""
    repo = Repo(tmp_path / "repo")
    base = repo.commit("init", **{"app.py": "x = 1\n"})
    repo.commit("leak", **{"app.py": leak(key)})
    head = repo.commit("clean", **{"app.py": "x = 2\n"})
    cases = {
        (base, head): 1,
        ("0" * 40, head): 1,
        (head, head): 0,
    }
    for (old, new), expected in cases.items():
        env = {"PRE_COMMIT_FROM_REF": old, "PRE_COMMIT_TO_REF": new}
        result = run_cli("history", "--pre-push", cwd=repo.path, env=env)
        assert result.code == expected, (old, new, result.stdout, result.stderr)
    deletion = run_cli("history", "--pre-push", cwd=repo.path,
                       env={"PRE_COMMIT_FROM_REF": head, "PRE_COMMIT_TO_REF": "0" * 40})
    assert deletion.code == 0
