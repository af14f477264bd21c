"""`mistral-guard staged` scans the index: exactly what the next commit will contain."""

from __future__ import annotations

from tests.conftest import run_cli
from tests.gitrepo import Repo, leak


def staged(repo: Repo, *args: str):
    return run_cli("staged", *args, cwd=repo.path)


def test_staged_key_in_a_new_file_points_at_path_and_line(tmp_path, key):
    repo = Repo(tmp_path / "repo")
    repo.commit("init", **{"app.py": "x = 1\n"})
    repo.write("conf/settings.py", "DEBUG = 1\n" + leak(key))
    repo.git("add", "conf/settings.py")
    result = staged(repo)
    assert result.code == 1
    assert "conf/settings.py:2:20  MG001" in result.stdout
    assert key not in result.stdout + result.stderr


def test_staged_scans_the_index_not_the_working_tree(tmp_path, key):
    repo = Repo(tmp_path / "repo")
    repo.commit("init", **{"app.py": "x = 1\n", "old.py": leak(key)})
    assert staged(repo).code == 0  # committed content is not staged content
    repo.write("app.py", "x = 2\n")
    repo.git("add", "app.py")
    repo.write("app.py", "x = 2\n" + leak(key))  # unstaged: not in the next commit
    assert staged(repo).code == 0
    repo.git("add", "app.py")
    repo.write("app.py", "x = 2\n")  # staged key, cleaned only in the working tree
    result = staged(repo)
    assert result.code == 1 and "app.py:2:20" in result.stdout
    repo.git("rm", "-q", "--cached", "old.py")  # a deletion has nothing to scan
    assert "old.py" not in staged(repo).stdout


def test_staged_in_a_repository_without_commits(tmp_path, key):
    repo = Repo(tmp_path / "repo")
    assert staged(repo).code == 0
    repo.write(".env", leak(key))
    repo.git("add", ".env")
    result = staged(repo)
    assert result.code == 1 and ".env:1:20" in result.stdout


def test_staged_skips_binary_and_large_blobs(tmp_path, key):
    repo = Repo(tmp_path / "repo")
    repo.commit("init", **{"a.py": "x = 1\n"})
    repo.write("blob.bin", b"\0\1\2" + leak(key).encode())
    repo.write("big.py", "#" * 4000 + "\n" + leak(key))
    repo.git("add", "-A")
    result = staged(repo, "--max-file-size", "2KB")
    assert result.code == 0
    assert "skipped 1 file (binary): blob.bin" in result.stderr
    assert "skipped 1 file (too large): big.py" in result.stderr


def test_staged_from_a_subdirectory_and_with_repo_option(tmp_path, key):
    repo = Repo(tmp_path / "repo")
    repo.commit("init", **{"a.py": "x = 1\n"})
    repo.write("src/deep/app.py", leak(key))
    repo.git("add", "-A")
    inside = run_cli("staged", cwd=repo.path / "src")
    assert inside.code == 1 and "src/deep/app.py:1:20" in inside.stdout
    outside = run_cli("staged", "--repo", str(repo.path), cwd=tmp_path)
    assert outside.code == 1 and "src/deep/app.py:1:20" in outside.stdout


def test_staged_submodule_entry_is_not_read(tmp_path, key):
    repo = Repo(tmp_path / "repo")
    commit = repo.commit("init", **{"a.py": "x = 1\n"})
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{commit},vendor/lib")
    repo.write("b.py", leak(key))
    repo.git("add", "b.py")
    result = staged(repo)
    assert result.code == 1 and "b.py:1:20" in result.stdout and "vendor" not in result.stdout
