"""Issue 9: scanning a repository someone else controls never runs that repository's programs.

The repository's config, `.gitattributes` and hooks point every setting that can run a program
at a trap that creates a marker file. Every CLI command runs on it; no marker may appear. Plain git porcelain on the same repository then shows the traps are armed.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from scanner.rules.check import generate_fake_key
from tests.conftest import run_cli
from tests.gitrepo import Repo, leak

TRAPPED_CONFIG = {
    "core.fsmonitor": "fsmonitor",
    "core.sshCommand": "ssh",
    "core.pager": "pager",
    "core.editor": "editor",
    "core.askPass": "askpass",
    "core.alternateRefsCommand": "alternate-refs",
    "sequence.editor": "sequence-editor",
    "diff.external": "diff-external",
    "diff.evil.textconv": "textconv",
    "filter.evil.clean": "clean",
    "filter.evil.smudge": "smudge",
    "uploadpack.packObjectsHook": "pack-objects-hook",
    "gpg.program": "gpg",
    "credential.helper": "credential",
}
HOOKS = ("pre-commit", "post-commit", "post-checkout", "post-index-change", "pre-push",
         "reference-transaction", "pre-auto-gc", "fsmonitor-watchman", "post-rewrite")


def trap(directory: Path, markers: Path, name: str) -> str:
    script = directory / f"trap-{name}"
    script.write_text(f"#!/bin/sh\ntouch '{markers}/{name}'\ncat >/dev/null 2>&1 </dev/null\n")
    script.chmod(0o755)
    return str(script)


def fake_signature(repo: Repo) -> None:
    """Rewrite HEAD as a 'signed' commit, so log.showSignature would call gpg.program."""
    body = repo.git("cat-file", "commit", "HEAD")
    header, message = body.split("\n\n", 1)
    signed = (header + "\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQE=\n"
              " -----END PGP SIGNATURE-----\n\n" + message)
    proc = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"],
                          cwd=repo.path, input=signed.encode(), capture_output=True, check=True)
    repo.git("update-ref", "refs/heads/main", proc.stdout.decode().strip())


def armed_repository(tmp_path: Path, key: str) -> tuple[Repo, Path]:
    repo = Repo(tmp_path / "untrusted")
    repo.commit("init", **{"app.py": "x = 1\n", ".gitattributes": "* filter=evil diff=evil\n"})
    repo.commit("leak", **{"app.py": "x = 1\n" + leak(key)})
    fake_signature(repo)
    repo.write("staged.py", leak(generate_fake_key()))
    repo.git("add", "staged.py")
    repo.write("app.py", "x = 2\n")  # a working-tree change porcelain would filter and diff

    markers = tmp_path / "markers"
    markers.mkdir()
    traps = tmp_path / "traps"
    traps.mkdir()
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for setting, name in TRAPPED_CONFIG.items():
        command = trap(traps, markers, name)
        repo.git("config", setting, f"!{command}" if setting == "credential.helper" else command)
    repo.git("config", "log.showSignature", "true")
    repo.git("config", "core.hooksPath", str(hooks))
    for hook in HOOKS:
        for where in (hooks, repo.path / ".git" / "hooks"):
            (where / hook).write_text(Path(trap(traps, markers, f"hook-{hook}")).read_text())
            (where / hook).chmod(0o755)
    return repo, markers


def test_no_command_runs_a_program_the_scanned_repository_names(tmp_path, key):
    repo, markers = armed_repository(tmp_path, key)
    head = repo.git("rev-parse", "HEAD").strip()
    push_env = {"PRE_COMMIT_FROM_REF": f"{head}~1", "PRE_COMMIT_TO_REF": head,
                "PRE_COMMIT_REMOTE_NAME": "origin"}
    runs = [
        ("scan", "."),
        ("hook", "app.py", "staged.py"),
        ("staged",),
        ("history",),
        ("history", "HEAD~1..HEAD"),
        ("history", "--include-unreachable", "--jobs", "2"),
        ("history", "--format", "json"),
    ]
    for args in runs:
        result = run_cli(*args, cwd=repo.path)
        assert result.code == 1, (args, result.stdout, result.stderr)
        assert key not in result.stdout + result.stderr
        assert sorted(p.name for p in markers.iterdir()) == [], args
    pushed = run_cli("history", "--pre-push", cwd=repo.path, env=push_env)
    assert pushed.code == 1, pushed.stderr
    baseline = str(tmp_path / "baseline.json")
    for args in (("baseline", "create", "--baseline", baseline),
                 ("baseline", "check", "--baseline", baseline), ("config",), ("rules", "list")):
        result = run_cli(*args, cwd=repo.path)
        assert result.code == 0, (args, result.stdout, result.stderr)
    assert sorted(p.name for p in markers.iterdir()) == []

    # The traps are real: ordinary porcelain on the same repository springs them.
    for porcelain in (["status"], ["diff"], ["log", "-1"]):
        subprocess.run(["git", *porcelain], cwd=repo.path, capture_output=True)
    sprung = {p.name for p in markers.iterdir()}
    assert {"fsmonitor", "clean", "diff-external", "gpg"} <= sprung, sprung
