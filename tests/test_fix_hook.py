"""The pre-commit hook with `args: [--fix]`, run by the real pre-commit in a real git
repository: it rewrites the staged file, fails the commit, and passes once the fix is staged."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import git, init_repo
from tests.test_precommit import hook_source, pre_commit_home, run_hooks  # noqa: F401 (fixtures)


def fixing_repo(tmp_path: Path, hook_source: Path) -> Path:
    """A git repository whose pre-commit config runs this hook with `args: [--fix]`."""
    repo = init_repo(tmp_path / "project")
    rev = git(hook_source, "rev-parse", "HEAD").strip()
    hook = {"id": "mistral-guard", "args": ["--fix"]}
    config = {"repos": [{"repo": str(hook_source), "rev": rev, "hooks": [hook]}]}
    (repo / ".pre-commit-config.yaml").write_text(json.dumps(config))  # JSON is YAML
    return repo


def test_hook_with_fix_rewrites_fails_then_passes_once_staged(tmp_path, key, hook_source,
                                                              pre_commit_home):
    repo = fixing_repo(tmp_path, hook_source)
    (repo / "settings.py").write_text(f'MISTRAL_API_KEY = "{key}"\n')
    (repo / "notes.txt").write_text("nothing here\n")
    git(repo, "add", "-A")

    first = run_hooks(repo, pre_commit_home)
    output = first.stdout + first.stderr
    assert first.returncode == 1, output
    assert "Failed" in first.stdout and "files were modified by this hook" in first.stdout
    assert key not in output and f"{key[:4]}…" in output
    assert "revoke" in output
    assert (repo / "settings.py").read_text() == (
        'import os\nMISTRAL_API_KEY = os.environ["MISTRAL_API_KEY"]\n')
    staged = git(repo, "show", ":settings.py")
    assert key in staged, "the hook does not stage: the user reviews the change first"

    git(repo, "add", "settings.py")
    second = run_hooks(repo, pre_commit_home)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "Passed" in second.stdout
    git(repo, "commit", "-q", "-m", "read the key from the environment")
    assert key not in git(repo, "show", "HEAD:settings.py")


def test_hook_with_fix_still_fails_on_a_key_it_cannot_fix(tmp_path, key, hook_source,
                                                          pre_commit_home):
    repo = fixing_repo(tmp_path, hook_source)
    (repo / "config.json").write_text(f'{{"mistral": {{"api_key": "{key}"}}}}\n')
    git(repo, "add", "-A")
    result = run_hooks(repo, pre_commit_home)
    assert result.returncode == 1
    assert "Not fixed" in result.stdout and "config.json" in result.stdout
    assert (repo / "config.json").read_text() == f'{{"mistral": {{"api_key": "{key}"}}}}\n'
    assert key not in result.stdout + result.stderr
