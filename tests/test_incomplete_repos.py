"""Partial, shallow and damaged repositories: everything present is scanned, nothing is fetched,
and the objects that could not be read are counted (exit 2 unless --allow-incomplete)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from scanner.rules.check import generate_fake_key
from tests.conftest import run_cli
from tests.gitrepo import Repo, history, leak

MISSING = re.compile(r"scan incomplete: (\d+) objects? missing")


def missing_count(stderr: str) -> int:
    match = MISSING.search(stderr)
    assert match, stderr
    return int(match.group(1))


def clone(origin: Repo, target: Path, *options: str) -> Path:
    subprocess.run(["git", "clone", "-q", *options, f"file://{origin.path}", str(target)],
                   check=True, capture_output=True)
    return target


def serving(path: Path) -> Repo:
    """An origin that serves partial clones (as a hosting service does)."""
    repo = Repo(path)
    repo.git("config", "uploadpack.allowFilter", "true")
    repo.git("config", "uploadpack.allowAnySHA1InWant", "true")
    return repo


def scan_traced(path: Path, tmp_path: Path, *args: str, command: str = "history"):
    """Run a scan with GIT_TRACE on; return (result, whether git tried to fetch anything)."""
    trace = tmp_path / "git-trace.txt"
    trace.unlink(missing_ok=True)
    result = run_cli(command, *args, cwd=path, env={"GIT_TRACE": str(trace)})
    lines = trace.read_text().splitlines()
    assert any("built-in: git" in line for line in lines)  # the trace did record git
    fetched = any(re.search(r"\bgit (-c \S+ )*fetch\b", line) for line in lines)
    return result, fetched


@pytest.fixture
def origin(tmp_path, key) -> Repo:
    """An old key in a file that was later deleted; HEAD is clean."""
    repo = serving(tmp_path / "origin")
    repo.commit("old leak", **{"old.py": leak(key)})
    repo.commit("remove", **{"old.py": None, "app.py": "x = 1\n"})
    return repo


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_blobless_clone_scans_what_it_holds_and_fetches_nothing(tmp_path, origin, jobs):
    head_key = generate_fake_key()
    origin.commit("new leak", **{"new.py": leak(head_key)})
    partial = clone(origin, tmp_path / "partial", "--filter=blob:none")
    result, fetched = scan_traced(partial, tmp_path, "--jobs", jobs, "--format", "json")
    assert not fetched
    assert result.code == 1, result.stderr
    assert head_key in (partial / "new.py").read_text()
    assert '"path": "new.py"' in result.stdout and "old.py" not in result.stdout
    assert missing_count(result.stderr) == 1  # old.py's blob stayed on the server
    assert "warning: scan incomplete" in result.stderr and "Traceback" not in result.stderr


def test_clean_blobless_clone_is_incomplete_unless_allowed(tmp_path, origin):
    partial = clone(origin, tmp_path / "partial", "--filter=blob:none", "--no-checkout")
    result, fetched = scan_traced(partial, tmp_path)
    assert not fetched
    assert result.code == 2
    assert missing_count(result.stderr) == 2  # old.py and app.py: no blob was checked out
    assert "--allow-incomplete" in result.stderr
    for extra in ([], ["--include-unreachable"]):
        allowed, fetched = scan_traced(partial, tmp_path, "--allow-incomplete", *extra)
        assert not fetched and allowed.code == 0
        assert missing_count(allowed.stderr) == 2
        assert "warning: scan incomplete" in allowed.stderr


def test_blob_size_limit_clone_scans_small_blobs(tmp_path, key):
    origin = serving(tmp_path / "origin")
    small_key, big_key = generate_fake_key(), generate_fake_key()
    origin.commit("leaks", **{"small.py": leak(small_key),
                              "big.py": "# filler\n" * 300 + leak(big_key)})
    origin.commit("clean up", **{"small.py": "x = 1\n", "big.py": "# filler\n" * 300})
    partial = clone(origin, tmp_path / "partial", "--filter=blob:limit=1k")
    result, fetched = scan_traced(partial, tmp_path, "--format", "json")
    assert not fetched
    assert result.code == 1
    assert '"path": "small.py"' in result.stdout and '"path": "big.py"' not in result.stdout
    assert missing_count(result.stderr) == 1  # the old big.py; HEAD's was checked out
    for secret in (small_key, big_key):
        assert secret not in result.stdout + result.stderr


def test_range_in_a_blobless_clone_fetches_nothing(tmp_path, key):
    origin = serving(tmp_path / "origin")
    origin.commit("base", **{"a.py": leak(key)})
    base = origin.commit("more", **{"b.py": "y = 2\n"})
    origin.commit("new leak", **{"a.py": leak(key) + leak(generate_fake_key())})
    partial = clone(origin, tmp_path / "partial", "--filter=blob:none")
    result, fetched = scan_traced(partial, tmp_path, f"{base}..HEAD", "--format", "json")
    assert not fetched
    assert result.code == 1, result.stderr
    # a.py of the boundary commit is not in the clone: both keys count as introduced here
    assert len(json.loads(result.stdout)["findings"]) == 2


def test_shallow_clone_counts_the_cut_parents(tmp_path, origin):
    shallow = clone(origin, tmp_path / "shallow", "--depth", "1")
    result = run_cli("history", cwd=shallow)
    assert result.code == 2
    assert "warning: shallow clone" in result.stderr
    assert missing_count(result.stderr) == 1  # the parent of the one commit held
    assert run_cli("history", "--allow-incomplete", cwd=shallow).code == 0


def test_shallow_range_inside_the_clone_is_complete(tmp_path, origin):
    origin.commit("third", **{"c.py": "z = 3\n"})
    shallow = clone(origin, tmp_path / "shallow", "--depth", "2")
    result = run_cli("history", "HEAD~1..HEAD", cwd=shallow)
    assert result.code == 0, result.stderr
    assert "scan incomplete" not in result.stderr


def _drop(repo: Repo, spec: str) -> str:
    oid = repo.git("rev-parse", spec).strip()
    (repo.path / ".git" / "objects" / oid[:2] / oid[2:]).unlink()
    return oid


def test_copy_missing_a_blob(tmp_path, key):
    repo = Repo(tmp_path / "repo")
    repo.commit("init", **{"a.py": "x = 1\n", "b.py": leak(key)})
    _drop(repo, "HEAD:a.py")
    code, findings, _, stderr = history(repo)
    assert code == 1 and [f["path"] for f in findings] == ["b.py"]
    assert missing_count(stderr) == 1 and "warning: scan incomplete" in stderr


def test_copy_missing_the_blob_with_the_key(tmp_path, key):
    repo = Repo(tmp_path / "repo")
    repo.commit("leak", **{"a.py": "x = 1\n", "b.py": leak(key)})
    repo.commit("fix", **{"b.py": "x = 2\n"})
    _drop(repo, "HEAD~1:b.py")
    for jobs in ("1", "2"):
        result = run_cli("history", "--jobs", jobs, cwd=repo.path)
        assert result.code == 2 and missing_count(result.stderr) == 1
        assert result.stdout == "" and key not in result.stderr


def test_copy_missing_a_tree(tmp_path, key):
    repo = Repo(tmp_path / "repo")
    repo.commit("init", **{"lib/a.py": leak(key), "top.py": "x = 1\n"})
    repo.commit("more", **{"lib/a.py": "x = 2\n", "top.py": "x = 3\n"})
    _drop(repo, "HEAD~1:lib")
    result = run_cli("history", cwd=repo.path)
    assert result.code == 2 and missing_count(result.stderr) == 1
    # the key's blob is dangling now; the walk cannot read the tree: reported without a commit
    code, findings, _, stderr = history(repo, "--include-unreachable")
    assert code == 1 and missing_count(stderr) == 1
    assert [(f["path"][:6], f["commit"]) for f in findings] == [("(blob ", None)]
    assert key not in stderr


def test_copy_missing_a_commit_is_an_error_not_a_hang(tmp_path):
    repo = Repo(tmp_path / "repo")
    repo.commit("one", **{"a.py": "x = 1\n"})
    repo.commit("two", **{"a.py": "x = 2\n"})
    repo.commit("three", **{"a.py": "x = 3\n"})
    lost = _drop(repo, "HEAD~1")
    for args in (["history"], ["history", "--jobs", "2"], ["history", "--allow-incomplete"]):
        result = run_cli(*args, cwd=repo.path)
        assert result.code == 2 and lost in result.stderr
        assert "Traceback" not in result.stderr


def test_staged_blob_missing(tmp_path, key):
    repo = Repo(tmp_path / "repo")
    repo.commit("init", **{"a.py": "x = 1\n"})
    repo.write("new.py", "y = 2\n")
    repo.write("leak.py", leak(key))
    repo.git("add", "new.py", "leak.py")
    _drop(repo, ":new.py")
    result = run_cli("staged", cwd=repo.path)
    assert result.code == 1 and missing_count(result.stderr) == 1
    repo.git("rm", "-q", "--cached", "leak.py")
    assert run_cli("staged", cwd=repo.path).code == 2
    allowed = run_cli("staged", "--allow-incomplete", cwd=repo.path)
    assert allowed.code == 0 and missing_count(allowed.stderr) == 1


def test_staged_in_a_blobless_clone_fetches_nothing(tmp_path, origin):
    partial = clone(origin, tmp_path / "partial", "--filter=blob:none")
    old = origin.git("rev-parse", "HEAD~1:old.py").strip()
    subprocess.run(["git", "update-index", "--add", "--cacheinfo", f"100644,{old},old.py"],
                   cwd=partial, check=True, capture_output=True)
    (partial / "fresh.py").write_text(leak(generate_fake_key()))
    subprocess.run(["git", "add", "fresh.py"], cwd=partial, check=True)
    result, fetched = scan_traced(partial, tmp_path, command="staged")
    assert not fetched
    assert result.code == 1 and "fresh.py" in result.stdout
    assert missing_count(result.stderr) == 1
