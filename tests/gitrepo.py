"""A real git repository in a temp dir, with commits at distinct, increasing dates."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.conftest import init_repo, run_cli


class Repo:
    def __init__(self, path: Path) -> None:
        self.path = init_repo(path)
        self.clock = 1_700_000_000

    def git(self, *args: str | bytes) -> str:
        self.clock += 60
        date = f"@{self.clock} +0000"
        env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        proc = subprocess.run(["git", *args], cwd=self.path, capture_output=True, env=env,
                              check=True)
        return proc.stdout.decode("utf-8", "replace")

    def write(self, name: str | bytes, text: str | bytes) -> None:
        path = self.path / os.fsdecode(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode() if isinstance(text, str) else text)

    def commit(self, message: str, **files: str) -> str:
        """Write `files` (name=text; None deletes), commit everything, return the commit id."""
        for name, text in files.items():
            if text is None:
                (self.path / name).unlink()
            else:
                self.write(name, text)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.head()

    def head(self) -> str:
        return self.git("rev-parse", "HEAD").strip()


def history(repo: Repo | Path, *args: str, env: dict[str, str] | None = None):
    """Run `history --format json` and return (exit code, findings, report or None, stderr)."""
    cwd = repo.path if isinstance(repo, Repo) else repo
    result = run_cli("history", "--format", "json", *args, cwd=cwd, env=env)
    report = json.loads(result.stdout) if result.code in (0, 1) else None
    return result.code, (report or {}).get("findings", []), report, result.stderr


def leak(key: str) -> str:
    return f'MISTRAL_API_KEY = "{key}"\n'
