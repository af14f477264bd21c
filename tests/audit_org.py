"""Generated organisations for the audit tests: small real repositories with known keys."""

from __future__ import annotations

import json
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from scanner.rules.check import generate_fake_key
from tests.conftest import init_repo, run_cli

MONTH = 31 * 24 * 3600
START = 1_700_000_000  # November 2023


@dataclass
class Org:
    """The repositories, and each one's keys (those still at HEAD marked)."""

    repos: list[Path]
    keys: dict[str, set[str]] = field(default_factory=dict)  # repo name -> keys in history
    shared: str = ""  # a key committed to three repositories


def commit_stream(commits: list[tuple[int, dict[str, str]]]) -> bytes:
    """A `git fast-import` stream: each commit (time, {path: text}) on refs/heads/main."""
    stream = bytearray()
    for number, (when, files) in enumerate(commits):
        message = f"commit {number}".encode()
        stream += b"commit refs/heads/main\ncommitter Dev <dev@example.invalid> %d +0000\n" % when
        stream += b"data %d\n%s\n" % (len(message), message)
        for path, text in files.items():
            data = text.encode()
            stream += b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(data), data)
    return bytes(stream)


def make_repo(path: Path, commits: list[tuple[int, dict[str, str]]]) -> Path:
    init_repo(path)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=path, input=commit_stream(commits),
                   check=True, capture_output=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=path, check=True)
    return path


def make_org(root: Path, count: int = 20) -> Org:
    """`count` repositories: every fifth is clean; the others leak their own key (removed from
    HEAD again in the even ones); the first three also share one key."""
    org = Org(repos=[], shared=generate_fake_key())
    for index in range(count):
        name = f"repo-{index:02d}"
        when = START + index * MONTH // 3
        own = generate_fake_key()
        keys: set[str] = set()
        first = {"README.md": f"# {name}\n", "app.py": "import os\n"}
        if index % 5 != 4:
            first["app.py"] = f'import os\nMISTRAL_API_KEY = "{own}"\n'
            keys.add(own)
        commits = [(when, first)]
        if index < 3:
            commits.append((when + 3600, {
                "settings.py": f'from mistralai import Mistral\n'
                               f'client = Mistral(api_key="{org.shared}")\n'}))
            keys.add(org.shared)
        if index % 2 == 0:
            commits.append((when + 7200, {"app.py": 'import os\n'
                                          'MISTRAL_API_KEY = os.environ["MISTRAL_API_KEY"]\n'}))
        commits.append((when + 9000, {f"docs/notes{n}.md": f"note {n}\n" for n in range(5)}))
        org.repos.append(make_repo(root / name, commits))
        org.keys[name] = keys
    return org


def audit(*args: str, cwd: Path | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    """`mistral-guard audit ...` on a local cluster of two workers."""
    import os
    import sys

    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "scanner", "audit", *args, "--workers", "2"],
                          cwd=cwd, capture_output=True, text=True, env=env, timeout=timeout)


def history_findings(repo: Path) -> set[tuple]:
    """What `mistral-guard history` reports for the repository, as comparable tuples."""
    result = run_cli("history", "--repo", str(repo), "--format", "json")
    assert result.code in (0, 1), result.stderr
    return {(f["rule_id"], f["path"], f["secret_sha256"], f["commit"], f["in_head"])
            for f in json.loads(result.stdout)["findings"]}


def stored_findings(db: Path, address: str | None = None) -> list[tuple]:
    """The store's findings (of one repository), as (address, rule, path, sha, commit, in_head)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT r.address, f.rule_id, f.path, f.secret_sha256, f.commit_id, f.in_head "
            "FROM findings f JOIN repositories r ON r.id = f.repository_id").fetchall()
    return [row for row in rows if address is None or row[0] == address]


def repo_status(db: Path) -> dict[str, tuple[str, str | None]]:
    with sqlite3.connect(db) as conn:
        return {a: (s, e) for a, s, e in
                conn.execute("SELECT address, status, error FROM repositories")}
