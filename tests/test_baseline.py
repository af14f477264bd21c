"""The baseline: create, check, prune; never churns; merges; rejects what it cannot trust."""

from __future__ import annotations

import json
import os

import pytest

from scanner.suppress.baseline import DEFAULT_NAME, Entry, load_baseline, render
from scanner.errors import ScanError
from scanner.models import sha256_hex
from scanner.rules.check import generate_fake_key
from tests.conftest import git, init_repo, run_cli


def leak(key: str) -> str:
    return f'MISTRAL_API_KEY="{key}"\n'


@pytest.fixture
def project(tmp_path, key):
    root = init_repo(tmp_path / "project")
    (root / "src").mkdir()
    (root / "src" / "settings.py").write_text("import os\n" + leak(key))
    (root / "b.env").write_text(leak(key))
    return root


def create(root, *args):
    result = run_cli("baseline", "create", *args, cwd=root)
    assert result.code == 0, result.stderr
    return (root / DEFAULT_NAME).read_text()


def test_create_writes_sorted_entries_without_lines_or_secrets(project, key):
    text = create(project)
    assert key not in text
    document = json.loads(text)
    assert document["tool"] == "mistral-guard" and document["format"] == 1
    assert document["version"] == "0.1.0"
    assert document["entries"] == [
        {"rule_id": "MG001", "path": "b.env", "secret_sha256": sha256_hex(key)},
        {"rule_id": "MG001", "path": "src/settings.py", "secret_sha256": sha256_hex(key)},
    ]
    entry_lines = [line for line in text.splitlines() if '"rule_id"' in line]
    assert len(entry_lines) == 2  # one entry a line: merges by line
    assert "line" not in text.replace("secret_sha256", "")


def test_scan_with_baseline_reports_nothing_and_counts_suppressed(project):
    create(project)
    result = run_cli("scan", "--baseline", DEFAULT_NAME, "--show-suppressed", cwd=project)
    assert result.code == 0, result.stdout
    assert result.stdout.strip().endswith(", 2 suppressed")
    assert f"by baseline {DEFAULT_NAME} entry MG001 b.env sha256:" in result.stdout


def test_moving_code_changes_nothing(project, key):
    before = create(project)
    settings = project / "src" / "settings.py"
    settings.write_text("# filler\n" * 100 + settings.read_text() + "# more\n" * 10)
    check = run_cli("baseline", "check", cwd=project)
    assert check.code == 0, check.stdout
    assert create(project) == before


def test_changed_secret_on_a_baselined_line_is_new(project, key):
    create(project)
    new_key = generate_fake_key()
    (project / "b.env").write_text(leak(new_key))
    check = run_cli("baseline", "check", cwd=project)
    assert check.code == 1
    assert "b.env:1:18  MG001" in check.stdout and "src/settings.py" not in check.stdout
    assert "1 baseline entry is no longer found" in check.stderr
    assert new_key not in check.stdout + check.stderr


def test_check_lists_only_new_findings_and_prune_drops_stale(project, key):
    create(project)
    (project / "new.env").write_text(leak(generate_fake_key()))
    check = run_cli("baseline", "check", "--format", "json", cwd=project)
    assert check.code == 1
    assert [f["path"] for f in json.loads(check.stdout)["findings"]] == ["new.env"]

    (project / "b.env").unlink()
    before = (project / DEFAULT_NAME).read_text()
    prune = run_cli("baseline", "prune", cwd=project)
    assert prune.code == 0 and "dropped 1, kept 1" in prune.stdout
    entries = json.loads((project / DEFAULT_NAME).read_text())["entries"]
    assert [e["path"] for e in entries] == ["src/settings.py"]  # new.env is not added
    assert before != (project / DEFAULT_NAME).read_text()
    unchanged = run_cli("baseline", "prune", cwd=project)
    assert unchanged.code == 0 and "dropped 0, kept 1" in unchanged.stdout


def test_crlf_file(project, key):
    (project / "win.env").write_bytes(f"A=1\r\nMISTRAL_API_KEY={key}\r\n".encode())
    create(project)
    entries = json.loads((project / DEFAULT_NAME).read_text())["entries"]
    assert {"rule_id": "MG001", "path": "win.env", "secret_sha256": sha256_hex(key)} in entries
    (project / "win.env").write_bytes(f"B=2\r\nC=3\r\nA=1\r\nMISTRAL_API_KEY={key}\r\n".encode())
    assert run_cli("baseline", "check", cwd=project).code == 0


def test_windows_style_entry_paths_are_read_as_posix(project, key):
    document = json.loads(create(project))
    for entry in document["entries"]:
        entry["path"] = entry["path"].replace("/", "\\")
    (project / DEFAULT_NAME).write_text(json.dumps(document))
    assert '"src\\\\settings.py"' in (project / DEFAULT_NAME).read_text()
    assert run_cli("baseline", "check", cwd=project).code == 0
    (project / "b.env").unlink()
    assert run_cli("baseline", "prune", cwd=project).code == 0
    entries = json.loads((project / DEFAULT_NAME).read_text())["entries"]
    assert [e["path"] for e in entries] == ["src/settings.py"]  # rewritten POSIX


def test_posix_paths_match_findings_on_every_os(tmp_path):
    path = tmp_path / "b.json"
    path.write_text(render([Entry("src/app.py", "MG001", "a" * 64)], "0.1.0"))
    assert load_baseline(path).entries == {Entry("src/app.py", "MG001", "a" * 64)}


@pytest.mark.parametrize("content, message", [
    ("{not json", "is corrupt: not valid JSON (line 1)"),
    ('{"tool": "other", "format": 1, "entries": []}', "is not a mistral-guard baseline"),
    ('{"tool": "mistral-guard", "format": 2, "entries": []}',
     "has format 2, newer than this mistral-guard reads (1); upgrade"),
    ('{"tool": "mistral-guard", "format": "1", "entries": []}', "'format' must be"),
    ('{"tool": "mistral-guard", "format": 1, "entries": {}}', "'entries' must be a list"),
    ('{"tool": "mistral-guard", "format": 1, "entries": [{"rule_id": "MG001"}]}',
     "entry 1: must be an object with exactly path, rule_id, secret_sha256"),
    ('{"tool": "mistral-guard", "format": 1, "entries": [{"rule_id": "MG001", "path": "a", '
     '"secret_sha256": "' + "G" * 64 + '"}]}', "entry 1: secret_sha256 must be"),
])
def test_corrupt_or_newer_baseline_is_exit_2(project, content, message):
    (project / DEFAULT_NAME).write_text(content)
    for args in (["scan", "--baseline", DEFAULT_NAME], ["baseline", "check"],
                 ["baseline", "prune"], ["hook", "--baseline", DEFAULT_NAME, "b.env"]):
        result = run_cli(*args, cwd=project)
        assert result.code == 2, args
        assert message in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    with pytest.raises(ScanError):
        load_baseline(project / DEFAULT_NAME)


def test_missing_baseline_is_exit_2(project):
    result = run_cli("scan", "--baseline", "nope.json", cwd=project)
    assert result.code == 2 and "baseline not found: nope.json" in result.stderr
    assert run_cli("baseline", "check", cwd=project).code == 2


def test_baseline_from_config_is_used_by_scan_and_written_by_create(project):
    (project / ".mistral-guard.toml").write_text('baseline = "ci/known.json"\n')
    (project / "ci").mkdir()
    run_cli("baseline", "create", cwd=project)
    assert (project / "ci" / "known.json").is_file() and not (project / DEFAULT_NAME).exists()
    assert run_cli("scan", cwd=project).code == 0
    assert run_cli("scan", "src", cwd=project).code == 1  # paths differ: src is the root


def test_only_the_baseline_is_written_atomically(project):
    before = sorted(p.name for p in project.iterdir())
    create(project)
    after = sorted(p.name for p in project.iterdir())
    assert after == sorted(before + [DEFAULT_NAME])  # no temp file left behind
    assert oct(os.stat(project / DEFAULT_NAME).st_mode & 0o777) == "0o644"
    run_cli("scan", "--baseline", DEFAULT_NAME, cwd=project)
    run_cli("baseline", "check", cwd=project)
    assert sorted(p.name for p in project.iterdir()) == after


def test_two_branches_adding_entries_merge_cleanly(project):
    create(project)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "baseline")
    git(project, "checkout", "-q", "-b", "one")
    (project / "a.env").write_text(leak(generate_fake_key()))
    create(project)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "one")
    git(project, "checkout", "-q", "main")
    git(project, "checkout", "-q", "-b", "two")
    (project / "c.env").write_text(leak(generate_fake_key()))
    create(project)
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "two")
    git(project, "merge", "-q", "--no-edit", "one")  # raises on a conflict
    entries = json.loads((project / DEFAULT_NAME).read_text())["entries"]
    assert [e["path"] for e in entries] == ["a.env", "b.env", "c.env", "src/settings.py"]
    assert run_cli("baseline", "check", cwd=project).code == 0
    assert create(project) == (project / DEFAULT_NAME).read_text()


def test_finish_run_applies_the_baseline_for_any_command(tmp_path, key, capsys):
    """Commands that gather findings their own way (staged, history) end in finish_run."""
    from scanner.pipeline.run import ReportOptions, build_detector, finish_run
    from scanner.models import Fragment, Stats

    options = ReportOptions(baseline_flag=str(tmp_path / DEFAULT_NAME), root=str(tmp_path))
    detector = build_detector(options)
    old = detector.detect(Fragment("app.py", leak(key), 1, "staged"))
    new = detector.detect(Fragment("new.py", leak(generate_fake_key()), 1, "staged"))
    (tmp_path / DEFAULT_NAME).write_text(render([Entry.of(f) for f in old], "0.1.0"))
    assert finish_run(old, Stats(), [], options) == 0
    assert capsys.readouterr().out.strip().endswith(", 1 suppressed")
    assert finish_run(old + new, Stats(), [], options) == 1
    out = capsys.readouterr().out
    assert "new.py:1:18  MG001" in out and "app.py" not in out
