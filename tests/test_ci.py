"""The ready CI steps: the GitHub Action's script in a real temp repository, and the
GitLab template. Runs that need `mistral-guard history` skip until that command exists."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO_ROOT, git, init_repo

SCRIPT = REPO_ROOT / "ci" / "run-action.sh"
BIN = str(Path(sys.executable).parent)


def _history_available() -> bool:
    probe = subprocess.run([sys.executable, "-m", "scanner", "history", "--help"],
                           capture_output=True)
    return probe.returncode == 0


needs_history = pytest.mark.skipif(not _history_available(),
                                   reason="`mistral-guard history` is not on this branch yet")


def run_script(repo: Path, **env: str) -> subprocess.CompletedProcess:
    full_env = {"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "HOME": os.environ["HOME"],
                "NO_COLOR": "1", "RUNNER_TEMP": str(repo.parent), **env}
    return subprocess.run(["bash", str(SCRIPT)], cwd=repo, env=full_env, capture_output=True,
                          text=True, timeout=120)


def dry_run(repo: Path, **env: str) -> list[str]:
    result = run_script(repo, MG_DRY_RUN="1", **env)
    assert result.returncode == 0, result.stderr
    return shlex.split(result.stdout)


@pytest.fixture
def repo(tmp_path):
    path = init_repo(tmp_path / "repo")
    (path / "README.md").write_text("hello\n")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "base")
    return path


def _commit(repo: Path, name: str, text: str) -> str:
    (repo / name).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", f"add {name}")
    return git(repo, "rev-parse", "HEAD").strip()


def test_pull_request_scans_base_to_head_with_sarif_and_annotations(repo):
    args = dry_run(repo, MG_BASE="b1", MG_HEAD="h2", MG_SARIF_FILE="out dir/mg.sarif",
                   MG_EXTRA_ARGS="--min-severity high")
    assert args[:3] == ["mistral-guard", "history", "b1..h2"]
    assert args[3:5] == ["--min-severity", "high"]
    assert args[5:9] == ["--format", "sarif", "--output", "out dir/mg.sarif"]
    assert args[9:12] == ["--format", "github", "--output"]
    assert Path(args[12]).parent == repo.parent  # a temp file under RUNNER_TEMP
    assert args[13:] == ["--format", "text"]


def test_push_to_default_branch_scans_the_full_history(repo):
    args = dry_run(repo, MG_EVENT="push", MG_REF="refs/heads/main", MG_DEFAULT_BRANCH="main",
                   MG_BEFORE="a" * 40, MG_AFTER="b" * 40, MG_ANNOTATIONS="false")
    assert args == ["mistral-guard", "history", "--format", "text"]


def test_push_to_another_branch_scans_what_the_push_adds(repo):
    args = dry_run(repo, MG_EVENT="push", MG_REF="refs/heads/feature", MG_DEFAULT_BRANCH="main",
                   MG_BEFORE="a" * 40, MG_AFTER="b" * 40, MG_ANNOTATIONS="false")
    assert args[2] == f"{'a' * 40}..{'b' * 40}"
    new_branch = dry_run(repo, MG_EVENT="push", MG_REF="refs/heads/feature",
                         MG_DEFAULT_BRANCH="main", MG_BEFORE="0" * 40, MG_ANNOTATIONS="false")
    assert new_branch == ["mistral-guard", "history", "--format", "text"]


def test_no_sarif_unless_asked(repo):
    assert "sarif" not in dry_run(repo, MG_BASE="b", MG_HEAD="h")


def test_shallow_clone_is_an_error_not_a_clean_scan(repo, tmp_path):
    _commit(repo, "more.txt", "more\n")
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)],
                   check=True, capture_output=True)
    result = run_script(shallow, MG_ANNOTATIONS="false")
    assert result.returncode == 2 and "fetch-depth: 0" in result.stderr


def test_action_wires_the_script_and_gates_sarif_upload():
    action = yaml.safe_load((REPO_ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    assert {"base", "head", "args", "annotations", "upload-sarif", "sarif-file"} <= set(
        action["inputs"])
    steps = {step["name"]: step for step in action["runs"]["steps"]}
    install = next(s for s in steps.values() if "pip" in s.get("run", ""))
    assert '"$GITHUB_ACTION_PATH"' in install["run"]
    scan = next(s for s in steps.values() if "ci/run-action.sh" in s.get("run", ""))
    assert scan["id"] == "scan"
    upload = next(s for s in steps.values() if s.get("uses", "").startswith(
        "github/codeql-action/upload-sarif@"))
    assert "inputs.upload-sarif == 'true'" in upload["if"]
    assert "exit" in list(steps.values())[-1]["run"]


def test_gitlab_template_declares_the_reports():
    job = yaml.safe_load((REPO_ROOT / "ci" / "gitlab-mistral-guard.yml").read_text())[
        "mistral-guard"]
    assert job["variables"]["GIT_DEPTH"] == "0"
    reports = job["artifacts"]["reports"]
    script = "\n".join(job["script"])
    assert f"--output {reports['secret_detection']}" in script
    assert f"--output {reports['junit']}" in script
    assert re.search(r"mistral-guard history \$RANGE", script)


@needs_history
def test_action_script_finds_what_a_pull_request_adds(repo, key):
    base = git(repo, "rev-parse", "HEAD").strip()
    head = _commit(repo, "settings.py", f'MISTRAL_API_KEY = "{key}"\n')
    sarif_file = repo.parent / "mg.sarif"
    result = run_script(repo, MG_BASE=base, MG_HEAD=head, MG_SARIF_FILE=str(sarif_file))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "::error file=settings.py,line=1," in result.stdout
    assert sarif_file.exists() and key not in sarif_file.read_text()
    assert key not in result.stdout + result.stderr
    clean = run_script(repo, MG_BASE=head, MG_HEAD=_commit(repo, "ok.py", "x = 1\n"))
    assert clean.returncode == 0, clean.stdout + clean.stderr


@needs_history
def test_gitlab_template_script_runs(repo, key):
    base = git(repo, "rev-parse", "HEAD").strip()
    head = _commit(repo, "settings.py", f'MISTRAL_API_KEY = "{key}"\n')
    job = yaml.safe_load((REPO_ROOT / "ci" / "gitlab-mistral-guard.yml").read_text())[
        "mistral-guard"]
    script = job["script"][1].replace("/tmp/mistral-guard/bin/", "")
    env = {"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "HOME": os.environ["HOME"],
           "CI_MERGE_REQUEST_DIFF_BASE_SHA": base, "CI_COMMIT_SHA": head,
           "MISTRAL_GUARD_ARGS": ""}
    result = subprocess.run(["bash", "-ec", script], cwd=repo, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1, result.stdout + result.stderr
    assert (repo / "gl-secret-detection-report.json").exists()
    assert key not in (repo / "mistral-guard-junit.xml").read_text()
