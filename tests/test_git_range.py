"""`mistral-guard history A..B` reports what the range introduces, and nothing from before it."""

from __future__ import annotations

import pytest

from scanner.models import sha256_hex
from scanner.rules.check import generate_fake_key
from tests.gitrepo import Repo, history, leak


@pytest.fixture
def repo(tmp_path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.commit("init", **{"app.py": "import os\n", "notes.md": "# notes\n"})
    repo.git("branch", "base")
    return repo


def test_range_finds_a_key_added_to_a_file_that_existed_before(repo, key):
    added = repo.commit("configure", **{"app.py": "import os\n" + leak(key)})
    code, findings, report, _ = history(repo, "base..HEAD")
    assert code == 1
    assert [(f["path"], f["line"], f["commit"]) for f in findings] == [("app.py", 2, added)]
    assert report["stats"]["commits"] == 1


def test_range_finds_a_key_moved_between_files(repo, key):
    repo.commit("leak before the range", **{"app.py": "import os\n" + leak(key)})
    repo.git("branch", "-f", "base")
    moved = repo.commit("move it", **{"app.py": "import os\n", "settings.py": leak(key)})
    code, findings, _, _ = history(repo, "base..HEAD")
    assert code == 1
    assert [(f["path"], f["commit"], f["in_head"]) for f in findings] == \
        [("settings.py", moved, True)]


def test_range_finds_a_key_a_later_range_commit_deletes(repo, key):
    added = repo.commit("leak", **{"app.py": "import os\n" + leak(key)})
    repo.commit("delete", **{"app.py": "import os\n"})
    code, findings, _, _ = history(repo, "base..HEAD")
    assert code == 1
    assert [(f["path"], f["commit"], f["in_head"]) for f in findings] == \
        [("app.py", added, False)]


def test_range_does_not_report_keys_that_exist_only_before_it(repo, key):
    repo.commit("leak", **{"old.py": leak(key)})
    repo.commit("remove", **{"old.py": "x = 1\n"})
    repo.git("branch", "-f", "base")
    repo.commit("work", **{"old.py": "x = 2\n", "new.py": "y = 1\n"})
    code, findings, report, _ = history(repo, "base..HEAD")
    assert (code, findings) == (0, [])
    assert report["stats"]["commits"] == 1


def test_range_does_not_report_a_key_already_in_a_file_it_edits(repo, key):
    repo.commit("leak", **{"app.py": "import os\n" + leak(key)})
    repo.git("branch", "-f", "base")
    repo.commit("edit another line", **{"app.py": "import os, sys\n" + leak(key)})
    code, findings, _, _ = history(repo, "base..HEAD")
    assert (code, findings) == (0, [])
    other = generate_fake_key()
    repo.commit("add a second key", **{"app.py": "import os, sys\n" + leak(key) + leak(other)})
    code, findings, _, _ = history(repo, "base..HEAD")
    assert code == 1
    assert [f["secret_sha256"] for f in findings] == [sha256_hex(other)]


def test_range_over_a_merge_of_a_side_branch(repo, key):
    repo.git("checkout", "-q", "-b", "feature")
    added = repo.commit("feature leak", **{"feature.py": leak(key)})
    repo.git("checkout", "-q", "main")
    repo.commit("main work", **{"notes.md": "# notes\nmore\n"})
    repo.git("merge", "-q", "--no-edit", "feature")
    code, findings, _, _ = history(repo, "base..main")
    assert code == 1
    assert [(f["path"], f["commit"]) for f in findings] == [("feature.py", added)]
    code, findings, _, _ = history(repo, "feature..main")
    assert (code, findings) == (0, [])


def test_bad_revision_is_an_error_not_a_clean_run(repo):
    for spec in ("nope..HEAD", "base..nope", "-n1", "--output=x"):
        code, _, _, stderr = history(repo, "--", spec) if spec.startswith("-") else \
            history(repo, spec)
        assert code == 2, spec
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("mistral-guard: error: ")


def test_a_folder_given_as_the_range_is_an_error_that_points_at_repo(repo, key):
    repo.commit("leak", **{"app.py": "import os\n" + leak(key)})
    # git reads `.` as a path limit with no revision: it would scan nothing and say nothing.
    code, findings, _, stderr = history(repo, ".")
    assert (code, findings) == (2, [])
    assert stderr.strip().endswith("not a commit or range of commits here: '.'; "
                                   "to scan the repository in that folder: --repo '.'")
    for spec in ("HEAD~1...HEAD", "HEAD^!", "HEAD^-1", ":/leak"):  # git's other range forms
        code, findings, _, _ = history(repo, spec)
        assert (code, len(findings)) == (1, 1), spec
