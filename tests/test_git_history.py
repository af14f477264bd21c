"""`mistral-guard history` on real repositories: where keys hide in history, and provenance."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from scanner.models import sha256_hex
from scanner.rules.check import generate_fake_key
from tests.conftest import git, run_cli
from tests.gitrepo import Repo, history, leak


@pytest.fixture
def repo(tmp_path) -> Repo:
    return Repo(tmp_path / "repo")


def places(findings: list[dict]) -> set[tuple[str, int]]:
    return {(f["path"], f["line"]) for f in findings}


def test_key_added_then_removed_is_found_with_provenance(repo, key):
    repo.commit("init", **{"app.py": "x = 1\n"})
    leaked = repo.commit("add settings", **{"settings.py": "DEBUG = True\n" + leak(key)})
    repo.commit("unrelated", **{"app.py": "x = 2\n"})
    repo.commit("remove the key", **{"settings.py": "DEBUG = True\n"})
    code, findings, report, stderr = history(repo)
    assert code == 1, stderr
    (finding,) = findings
    assert (finding["path"], finding["line"], finding["column"]) == ("settings.py", 2, 20)
    assert finding["commit"] == leaked
    assert finding["author"] == "Test <test@example.invalid>"
    assert finding["date"].startswith("2023-11-14T22:") and finding["date"].endswith("+00:00")
    assert finding["in_head"] is False
    assert finding["secret_sha256"] == sha256_hex(key)
    assert report["stats"]["commits"] == 4
    text = run_cli("history", cwd=repo.path)
    assert text.code == 1
    assert f"introduced: {leaked[:12]} by Test <test@example.invalid>" in text.stdout
    assert "(in 2 commits)" in text.stdout  # "add settings" and "unrelated"
    assert "only in history: rotate the key; if the repository was ever public, purge it " \
           "with git filter-repo" in text.stdout
    assert key not in text.stdout + text.stderr


def test_key_still_in_head_says_so_and_counts_commits(repo, key):
    leaked = repo.commit("leak", **{"config.py": leak(key)})
    repo.commit("more", **{"other.py": "y = 1\n"})
    repo.commit("edit the same file", **{"config.py": "# settings\n" + leak(key)})
    code, findings, _, _ = history(repo)
    assert code == 1
    (finding,) = findings  # one finding per (rule, secret, path), not one per blob
    assert finding["commit"] == leaked and finding["in_head"] is True and finding["line"] == 1
    text = run_cli("history", cwd=repo.path)
    assert "still in HEAD: remove it and rotate the key" in text.stdout
    assert "(in 3 commits)" in text.stdout


def test_clean_history_exits_0(repo):
    repo.commit("one", **{"a.py": "x = 1\n"})
    repo.commit("two", **{"b.py": "y = 2\n"})
    code, findings, report, stderr = history(repo)
    assert (code, findings, stderr) == (0, [], "")
    assert report["stats"]["commits"] == 2 and report["stats"]["files"] == 2


def test_key_only_on_a_side_branch(repo, key):
    repo.commit("init", **{"a.py": "x = 1\n"})
    repo.git("checkout", "-q", "-b", "side")
    leaked = repo.commit("side work", **{"side.py": leak(key)})
    repo.git("checkout", "-q", "main")
    repo.commit("main work", **{"a.py": "x = 2\n"})
    code, findings, _, _ = history(repo)
    assert code == 1
    assert [(f["path"], f["commit"], f["in_head"]) for f in findings] == \
        [("side.py", leaked, False)]


def test_key_only_in_a_tag(repo, key):
    repo.commit("init", **{"a.py": "x = 1\n"})
    tagged = repo.commit("release", **{"release.py": leak(key)})
    repo.git("tag", "-a", "-m", "v1", "v1")
    repo.git("reset", "-q", "--hard", "HEAD~1")
    code, findings, _, _ = history(repo)
    assert code == 1
    assert [(f["path"], f["commit"]) for f in findings] == [("release.py", tagged)]


def test_key_only_in_the_stash_even_an_older_entry(repo, key):
    other = generate_fake_key()
    repo.commit("init", **{"a.py": "x = 1\n", "b.py": "y = 1\n"})
    repo.write("a.py", leak(key))
    repo.git("stash", "-q")
    repo.write("b.py", leak(other))
    repo.git("stash", "-q")  # the first stash is now stash@{1}, only in the stash's reflog
    code, findings, _, _ = history(repo)
    assert code == 1
    assert {(f["path"], f["secret_sha256"]) for f in findings} == \
        {("a.py", sha256_hex(key)), ("b.py", sha256_hex(other))}


def test_unreachable_commit_and_blob_need_include_unreachable(repo, key):
    blob_key = generate_fake_key()
    repo.commit("init", **{"a.py": "x = 1\n"})
    lost = repo.commit("oops", **{"secret.py": leak(key)})
    repo.git("reset", "-q", "--hard", "HEAD~1")
    repo.git("reflog", "expire", "--expire=now", "--all")
    repo.write("loose.txt", leak(blob_key))
    blob = repo.git("hash-object", "-w", "loose.txt").strip()
    (repo.path / "loose.txt").unlink()
    code, findings, _, _ = history(repo)
    assert (code, findings) == (0, [])
    code, findings, _, _ = history(repo, "--include-unreachable")
    assert code == 1
    by_path = {f["path"]: f for f in findings}
    assert by_path["secret.py"]["commit"] == lost
    assert by_path[f"(blob {blob[:12]} without a path)"]["commit"] is None


def test_key_moved_between_files(repo, key):
    first = repo.commit("leak", **{"a.py": "x = 1\n" + leak(key)})
    moved = repo.commit("move", **{"a.py": "x = 1\n", "b.py": leak(key)})
    code, findings, _, _ = history(repo)
    assert code == 1
    assert [(f["path"], f["commit"], f["in_head"]) for f in findings] == \
        [("a.py", first, False), ("b.py", moved, True)]


def test_copied_file_reports_each_path(repo, key):
    repo.commit("leak", **{"a.py": leak(key)})
    copied = repo.commit("copy", **{"copy/a.py": leak(key)})
    code, findings, _, _ = history(repo)
    assert code == 1
    assert [(f["path"], f["commit"] == copied) for f in findings] == \
        [("a.py", False), ("copy/a.py", True)]


def test_binary_blobs_are_skipped_and_named(repo, key):
    repo.write("image.bin", b"\x89PNG\0\0" + leak(key).encode())
    repo.commit("binary")
    code, findings, _, stderr = history(repo)
    assert (code, findings) == (0, [])
    assert "warning: skipped 1 file (binary): image.bin" in stderr


def test_blobs_over_the_size_limit_are_skipped_and_counted(repo, key):
    repo.commit("big", **{"big.py": "#" * 5000 + "\n" + leak(key)})
    code, findings, _, stderr = history(repo, "--max-file-size", "1KB")
    assert (code, findings) == (0, [])
    assert "skipped 1 file (too large): big.py" in stderr


def test_non_utf8_file_name(repo, key):
    name = b"caf\xe9.env"
    repo.write(name, leak(key))
    leaked = repo.commit("latin-1 name")
    code, findings, _, _ = history(repo)
    assert code == 1
    (finding,) = findings
    assert finding["path"] == "caf\ufffd.env"
    assert finding["commit"] == leaked and finding["in_head"] is True


def test_shallow_clone_scans_what_exists_and_warns(tmp_path, key):
    origin = Repo(tmp_path / "origin")
    origin.commit("old leak", **{"old.py": leak(key)})
    origin.commit("remove", **{"old.py": "x = 1\n"})
    head_key = generate_fake_key()
    origin.commit("new leak", **{"new.py": leak(head_key)})
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin.path}", str(clone)],
                   check=True, capture_output=True)
    code, findings, report, stderr = history(clone)
    assert code == 1
    assert "warning: shallow clone" in stderr
    assert [(f["path"], f["secret_sha256"], f["in_head"]) for f in findings] == \
        [("new.py", sha256_hex(head_key), True)]
    assert report["stats"]["commits"] == 1


@pytest.fixture
def leaky_many(tmp_path) -> Repo:
    """Enough blobs for several chunks, with keys spread across them."""
    repo = Repo(tmp_path / "many")
    for batch in range(3):
        for number in range(400):
            text = f"value = {batch * 1000 + number}\n"
            if number % 97 == 0:
                text += leak(generate_fake_key())
            repo.write(f"pkg{batch}/mod{number}.py", text)
        repo.commit(f"batch {batch}")
    return repo


def test_jobs_1_and_2_give_identical_findings(leaky_many):
    one = run_cli("history", "--format", "json", "--jobs", "1", cwd=leaky_many.path)
    two = run_cli("history", "--format", "json", "--jobs", "2", cwd=leaky_many.path)
    assert one.code == two.code == 1, one.stderr + two.stderr
    findings = json.loads(one.stdout)["findings"]
    assert len(findings) == 15
    assert findings == json.loads(two.stdout)["findings"]
    assert json.loads(one.stdout)["stats"]["files"] == 1200
    assert one.stderr == two.stderr == ""  # progress only on a terminal


def test_progress_on_a_terminal_shows_counts_only(leaky_many):
    import pty

    controller, terminal = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run(
        [os.fspath(__import__("sys").executable), "-m", "scanner", "history", "--jobs", "2"],
        cwd=leaky_many.path, stdout=subprocess.PIPE, stderr=terminal, env=env, timeout=120)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    assert proc.returncode == 1
    text = shown.decode()
    assert " blobs, " in text and " MB/s" in text
    assert "MISTRAL" not in text and ".py" not in text


def test_no_output_contains_the_raw_key(repo, key):
    repo.commit("leak", **{"a.py": leak(key)})
    repo.commit("remove", **{"a.py": "x = 1\n"})
    for fmt in ("text", "json"):
        result = run_cli("history", "--format", fmt, "-v", cwd=repo.path)
        assert result.code == 1 and key not in result.stdout + result.stderr


def test_help_explains_with_examples():
    result = run_cli("history", "--help")
    assert result.code == 0
    for text in ("REV-RANGE", "origin/main..HEAD", "--include-unreachable", "--jobs", "--pre-push"):
        assert text in result.stdout
    staged = run_cli("staged", "--help")
    assert staged.code == 0 and "mistral-guard staged" in staged.stdout


def test_git_binary_never_imported_on_history_path(repo):
    repo.commit("one", **{"a.py": "x = 1\n"})
    probe = ("import sys\nfrom scanner.cli import main\n"
             "code = main(['history', '--jobs', '1'])\n"
             "print(code, sorted(m for m in sys.modules if m.split('.')[0] in {'git', 'gitdb'}))\n")
    out = subprocess.run([__import__("sys").executable, "-c", probe], cwd=repo.path,
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "0 []"
    assert git(repo.path, "status", "--porcelain") == ""


def test_bare_clone_history_and_no_index(tmp_path, key):
    origin = Repo(tmp_path / "origin")
    leaked = origin.commit("leak", **{"a.py": leak(key)})
    bare = tmp_path / "mirror.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(origin.path), str(bare)], check=True)
    code, findings, _, _ = history(tmp_path, "--repo", str(bare))
    assert code == 1 and [(f["path"], f["commit"]) for f in findings] == [("a.py", leaked)]
    staged = run_cli("staged", "--repo", str(bare))
    assert staged.code == 2 and "bare repository has no index" in staged.stderr


def test_history_suppression_inline_once_per_key_and_baseline(repo, key):
    allowed = f'MISTRAL_API_KEY = "{key}"  # mistral-guard: allow\n'
    repo.commit("fixture", **{"fixture.py": allowed})
    repo.commit("edit", **{"fixture.py": "x = 1\n" + allowed})
    code, findings, report, _ = history(repo)
    assert (code, findings) == (0, [])
    assert report["stats"]["suppressed"] == 1  # one key at one path, though in two blobs

    other = generate_fake_key()
    repo.commit("leak", **{"leak.py": leak(other)})
    baseline = repo.path.parent / "baseline.json"
    created = run_cli("baseline", "create", "--baseline", str(baseline), cwd=repo.path)
    assert created.code == 0, created.stderr
    code, findings, _, _ = history(repo, "--baseline", str(baseline))
    assert (code, findings) == (0, [])
