"""`mistral-guard audit` on a real LocalCluster (two worker processes) over generated local
repositories: same findings as `history`, a worker killed mid-run, Ctrl-C and resume, failures
recorded with their reason, nothing from a repository runs, incremental re-audits."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from scanner.errors import ScanError
from scanner.sources.gitcmd import mirror_transport
from tests.audit_org import (
    audit,
    history_findings,
    make_org,
    make_repo,
    repo_status,
    stored_findings,
)
from tests.conftest import git


def worker_pids(pid: int) -> list[int]:
    """The Dask worker processes started by process `pid` (its multiprocessing children)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == pid and b"spawn_main" in cmdline:
            found.append(int(entry))
    return found


def recorded(db: Path) -> int:
    """How many repositories the store has a result for (0 before it exists)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute(
                "SELECT count(*) FROM repositories WHERE status != 'pending'").fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0


@pytest.fixture(scope="module")
def org(tmp_path_factory):
    return make_org(tmp_path_factory.mktemp("org"))


@pytest.fixture(scope="module")
def killed_run(org, tmp_path_factory):
    """The organisation audited while one worker process is SIGKILLed after the first
    results are stored: (process result, db, killed pid)."""
    work = tmp_path_factory.mktemp("run")
    db = work / "audit.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "scanner", "audit", *map(str, org.repos), "--db", str(db),
         "--cache", str(work / "cache"), "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    killed, at_kill = None, 0
    deadline = time.monotonic() + 120
    while killed is None and proc.poll() is None and time.monotonic() < deadline:
        if recorded(db) >= 1 and (pids := worker_pids(proc.pid)):
            killed, at_kill = pids[0], recorded(db)
            os.kill(killed, signal.SIGKILL)
        time.sleep(0.01)
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, err, db, killed, at_kill


def test_audit_survives_a_killed_worker(org, killed_run):
    code, out, err, db, killed, at_kill = killed_run
    assert killed is not None, "the audit ended before a worker could be killed"
    assert 1 <= at_kill < len(org.repos), "the kill came mid-run"
    assert code == 1, err
    assert "Traceback" not in err
    assert f"{len(org.repos)} repositories audited, 0 failed" in out
    status = repo_status(db)
    assert sorted(status) == sorted(str(r) for r in org.repos)
    assert {s for s, _ in status.values()} == {"done"}
    rows = stored_findings(db)
    assert len(rows) == len(set(rows)), "a finding was stored twice"


def test_audit_finds_what_history_finds(org, killed_run):
    db = killed_run[3]
    for repo in org.repos:
        expected = history_findings(repo)
        stored = {(rule, path, sha, commit, None if head is None else bool(head))
                  for _, rule, path, sha, commit, head in stored_findings(db, str(repo))}
        assert stored == expected, repo.name
        import hashlib
        assert {sha for _, _, sha, _, _ in stored} == {
            hashlib.sha256(k.encode()).hexdigest() for k in org.keys[repo.name]}
    clean = [r for r in org.repos if not org.keys[r.name]]
    assert clean and all(not stored_findings(db, str(r)) for r in clean)


def test_store_holds_no_secret(org, killed_run):
    db = killed_run[3]
    raw = b"".join(p.read_bytes() for p in db.parent.glob("audit.db*"))
    for keys in org.keys.values():
        for key in keys:
            assert key.encode() not in raw
    assert b"\xe2\x80\xa6" in raw  # the previews are there: the check reads real rows


def test_same_command_again_scans_nothing_new(org, killed_run, tmp_path):
    db = killed_run[3]
    before = stored_findings(db)
    with sqlite3.connect(db) as conn:
        commits = conn.execute("SELECT sum(commits) FROM repositories").fetchone()[0]
    result = audit(*map(str, org.repos[:3]), "--db", str(db), "--cache",
                   str(db.parent / "cache"))
    assert result.returncode == 1, result.stderr
    assert sorted(stored_findings(db)) == sorted(before)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT sum(commits) FROM repositories").fetchone()[0] == commits


class HangingGitDaemon:
    """A TCP server on 127.0.0.1 that accepts git:// connections and never answers."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        self.server.close()
        for conn in self.held:
            conn.close()


def test_interrupt_then_resume_and_a_hanging_repository(org, tmp_path):
    """Ctrl-C: exit 130, what was recorded stays; the same command resumes with the rest.
    A repository that never answers is recorded as timed out."""
    daemon = HangingGitDaemon()
    hanging = f"git://127.0.0.1:{daemon.port}/stuck.git"
    db, cache = tmp_path / "audit.db", tmp_path / "cache"
    repos = [*map(str, org.repos), hanging]
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "scanner", "audit", *repos, "--db", str(db), "--cache",
             str(cache), "--workers", "2", "--timeout", "60"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while recorded(db) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 130, err
        assert "Traceback" not in err and "interrupted" in err
        first = recorded(db)
        assert 5 <= first < len(repos)

        started = time.monotonic()
        result = audit(*repos, "--db", str(db), "--cache", str(cache), "--timeout", "3")
        assert f"resuming audit run 1: {first} of {len(repos)}" in result.stderr
        assert result.returncode == 1, result.stderr
        assert time.monotonic() - started < 90
    finally:
        daemon.close()
    status = repo_status(db)
    assert status[hanging][0] == "failed" and "timed out after 3s" in status[hanging][1]
    assert [s for a, (s, _) in status.items() if a != hanging] == ["done"] * len(org.repos)
    rows = stored_findings(db)
    assert len(rows) == len(set(rows))
    assert {r[3] for r in rows} == {
        __import__("hashlib").sha256(k.encode()).hexdigest()
        for keys in org.keys.values() for k in keys}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
        assert conn.execute("SELECT finished FROM runs").fetchone()[0] is not None


def test_failures_are_recorded_and_the_audit_goes_on(tmp_path, key):
    good = make_repo(tmp_path / "good",
                     [(1_700_000_000, {"app.py": f'MISTRAL_API_KEY = "{key}"\n'})])
    empty = tmp_path / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    missing = tmp_path / "does-not-exist"
    db = tmp_path / "audit.db"
    result = audit(str(good), str(missing), str(empty), "--db", str(db),
                   "--cache", str(tmp_path / "cache"))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    status = repo_status(db)
    assert status[str(good)] == ("done", None)
    assert status[str(missing)][0] == "failed" and "does not exist" in status[str(missing)][1]
    assert status[str(empty)][0] == "failed" and "no commits" in status[str(empty)][1]
    assert f"warning: {missing}:" in result.stderr
    # Without findings, a failed repository makes the audit an error, never "clean".
    alone = audit(str(missing), "--db", str(tmp_path / "other.db"),
                  "--cache", str(tmp_path / "cache"))
    assert alone.returncode == 2 and "1 failed" in alone.stdout


def test_nothing_from_the_repository_runs(tmp_path, key):
    """Hooks, fsmonitor, filters, ssh and upload-pack settings of the audited repository
    never run, over a local path and a file:// URL; its key is still found."""
    marker = tmp_path / "ran"
    repo = make_repo(tmp_path / "hostile", [(1_700_000_000, {
        "app.py": f'MISTRAL_API_KEY = "{key}"\n', ".gitattributes": "* filter=evil\n"})])
    touch = f"touch {marker}"
    for name, value in (("core.fsmonitor", touch), ("filter.evil.smudge", touch),
                        ("filter.evil.clean", touch), ("core.sshCommand", touch),
                        ("uploadpack.packObjectsHook", touch), ("core.pager", touch),
                        ("core.hooksPath", str(tmp_path / "hooks"))):
        git(repo, "config", name, value)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    for hook in ("post-checkout", "pre-auto-gc", "post-merge", "reference-transaction"):
        (hooks / hook).write_text(f"#!/bin/sh\n{touch}\n")
        (hooks / hook).chmod(0o755)
        (repo / ".git" / "hooks" / hook).write_text(f"#!/bin/sh\n{touch}\n")
        (repo / ".git" / "hooks" / hook).chmod(0o755)
    db = tmp_path / "audit.db"
    result = audit(str(repo), repo.as_uri(), "--db", str(db), "--cache", str(tmp_path / "c"))
    assert result.returncode == 1, result.stderr
    assert not marker.exists()
    assert len(stored_findings(db)) == 2  # one per address, the same key


@pytest.mark.parametrize("address", [
    "ext::sh -c touch% {marker}", "fd::3", "testgit::{marker}", "http://127.0.0.1:9/r.git",
    "ftp://127.0.0.1/r.git", "--upload-pack=touch {marker}",
])
def test_program_running_transports_are_refused(tmp_path, address):
    marker = tmp_path / "ran"
    address = address.format(marker=marker)
    repos_file = tmp_path / "repos.txt"
    repos_file.write_text(f"# the organisation\n{address}\n")
    result = audit("--repos-file", str(repos_file), "--db", str(tmp_path / "a.db"),
                   "--cache", str(tmp_path / "c"))
    assert result.returncode == 2
    assert result.stderr.startswith("mistral-guard: error: refused repository address")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not marker.exists() and not (tmp_path / "a.db").exists()


def test_transports_allowed(tmp_path):
    assert mirror_transport("https://example.invalid/o/r.git") == "https"
    assert mirror_transport("ssh://git@example.invalid/o/r.git") == "ssh"
    assert mirror_transport("git@example.invalid:o/r.git") == "ssh"
    assert mirror_transport("git://example.invalid/r.git") == "git"
    assert mirror_transport("file:///srv/r.git") == "file"
    assert mirror_transport(str(tmp_path)) == "file"
    assert mirror_transport("relative/dir") == "file"
    for refused in ("ext::sh", "HTTP://example.invalid/r", "-oProxyCommand=x", "a\nb"):
        with pytest.raises(ScanError):
            mirror_transport(refused)


def test_unwritable_store_is_a_one_line_error(tmp_path, key):
    repo = make_repo(tmp_path / "r", [(1_700_000_000, {"a.py": "x = 1\n"})])
    for db in ("/proc/mistral-guard-audit.db", str(tmp_path / "a-file" / "audit.db")):
        (tmp_path / "a-file").write_text("not a directory")
        result = audit(str(repo), "--db", db, "--cache", str(tmp_path / "c"))
        assert result.returncode == 2
        assert result.stderr.startswith("mistral-guard: error: cannot open the audit store")
        assert len(result.stderr.strip().splitlines()) == 1


def test_incremental_audit_scans_only_new_history(tmp_path):
    from scanner.rules.check import generate_fake_key

    first_key, second_key = generate_fake_key(), generate_fake_key()
    repo = make_repo(tmp_path / "svc", [(1_700_000_000, {
        "app.py": f'MISTRAL_API_KEY = "{first_key}"\n', "b.md": "b\n"})])
    db, cache = tmp_path / "audit.db", tmp_path / "cache"
    args = (str(repo), "--db", str(db), "--cache", str(cache))
    assert audit(*args).returncode == 1
    assert [row[5] for row in stored_findings(db)] == [1]  # at HEAD

    (repo / "app.py").write_text('import os\nMISTRAL_API_KEY = os.environ["MISTRAL_API_KEY"]\n')
    (repo / "new.py").write_text(f'client = Mistral(api_key="{second_key}")\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "rotate")
    result = audit(*args)
    assert result.returncode == 1, result.stderr
    import hashlib

    by_sha = {row[3]: row for row in stored_findings(db)}
    first, second = (hashlib.sha256(k.encode()).hexdigest() for k in (first_key, second_key))
    assert set(by_sha) == {first, second}
    assert by_sha[first][5] == 0, "the removed key is no longer marked at HEAD"
    assert by_sha[second][5] == 1
    with sqlite3.connect(db) as conn:
        commits, tips = conn.execute("SELECT commits, tips FROM repositories").fetchone()
        runs = conn.execute("SELECT count(*) FROM runs WHERE finished IS NOT NULL").fetchone()[0]
    assert commits == 2, "the second audit scanned only the one new commit"
    assert git(repo, "rev-parse", "main").strip() in tips
    assert runs == 2


def test_scan_hook_and_history_do_not_load_the_audit(tmp_path, key):
    from tests.test_packaging import loaded_after

    repo = make_repo(tmp_path / "r", [(1_700_000_000, {"a.py": f'MISTRAL_API_KEY = "{key}"\n'})])
    audit_modules = ("dask", "distributed", "sqlite3", "scanner.audit", "scanner.cli.audit")
    for args in (["scan", str(repo)], ["hook", str(repo / "a.py")],
                 ["history", "--repo", str(repo)]):
        assert loaded_after(args, *audit_modules) == "1 []", args
    # the probe does see them when the audit runs
    assert "'sqlite3'" in loaded_after(["audit", str(repo), "--db", str(tmp_path / "x.db"),
                                        "--cache", str(tmp_path / "c"), "--workers", "1"],
                                       *audit_modules)


def test_report_never_changes_the_store(tmp_path):
    from tests.conftest import run_cli

    not_a_store = tmp_path / "empty.db"
    not_a_store.touch()
    result = run_cli("audit", "report", "--db", str(not_a_store))
    assert result.code == 2 and "is not an audit store" in result.stderr
    assert not_a_store.read_bytes() == b"" and sorted(tmp_path.iterdir()) == [not_a_store]


def test_joins_an_existing_cluster_with_scheduler(tmp_path, key):
    from distributed import LocalCluster

    repo = make_repo(tmp_path / "r", [(1_700_000_000, {"a.py": f'MISTRAL_API_KEY = "{key}"\n'})])
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        result = subprocess.run(
            [sys.executable, "-m", "scanner", "audit", str(repo), "--db", str(tmp_path / "a.db"),
             "--cache", str(tmp_path / "c"), "--scheduler", cluster.scheduler_address],
            capture_output=True, text=True, timeout=300)
        assert result.returncode == 1, result.stderr
        assert len(cluster.workers) == 1  # its worker did the work; it is still there
    assert len(stored_findings(tmp_path / "a.db")) == 1


def test_a_clone_stopped_half_way_is_not_taken_for_a_mirror(tmp_path, key):
    """A clone that timed out leaves no mirror behind; the next audit clones afresh."""
    from scanner.audit.task import mirror_path

    repo = make_repo(tmp_path / "r", [(1_700_000_000, {"a.py": f'MISTRAL_API_KEY = "{key}"\n'})])
    cache = tmp_path / "cache"
    stale = Path(mirror_path(str(cache), str(repo)) + ".partial")
    stale.mkdir(parents=True)
    (stale / "HEAD").write_text("a clone killed half-way\n")
    result = audit(str(repo), "--db", str(tmp_path / "a.db"), "--cache", str(cache))
    assert result.returncode == 1, result.stderr
    assert not stale.exists() and Path(mirror_path(str(cache), str(repo))).is_dir()


def test_progress_line_only_on_a_terminal(org, tmp_path):
    """On a terminal stderr shows `done/total repositories, findings, time left`; in a pipe
    (the other tests) nothing of it appears."""
    import pty

    leader, follower = pty.openpty()
    args = [*map(str, org.repos[:4]), "--db", str(tmp_path / "a.db"), "--cache",
            str(tmp_path / "c"), "--workers", "2"]
    proc = subprocess.Popen([sys.executable, "-m", "scanner", "audit", *args],
                            stdout=subprocess.PIPE, stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: the audit ended
            break
        if not chunk:
            break
        shown += chunk
    proc.wait(timeout=120)
    os.close(leader)
    assert b"4/4 repositories, " in shown and b" findings, ~" in shown
    piped = audit(*args[:-2])
    assert "repositories, " not in piped.stderr and "\r" not in piped.stderr
