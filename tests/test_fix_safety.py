"""What `mistral-guard fix` refuses and what it keeps: line endings, read-only files,
symlinks, files edited between the scan and the write, client-side code, the project files
it adds, and never a whole key in its output."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from scanner.fix.apply import write_fix
from scanner.fix.plan import make_plan
from scanner.pipeline.run import ReportOptions, scan_files
from tests.conftest import git, init_repo, run_cli


def test_crlf_file_keeps_crlf(tmp_path, key):
    path = tmp_path / "app.py"
    path.write_bytes(f'"""Doc."""\r\nMISTRAL_API_KEY = "{key}"\r\nprint(1)\r\n'.encode())
    assert run_cli("fix", "--write", cwd=tmp_path).code == 1
    assert path.read_bytes() == (b'"""Doc."""\r\nimport os\r\n'
                                 b'MISTRAL_API_KEY = os.environ["MISTRAL_API_KEY"]\r\nprint(1)\r\n')


def test_read_only_file_is_refused_and_unchanged(tmp_path, key):
    path = tmp_path / "app.py"
    original = f'MISTRAL_API_KEY = "{key}"\n'
    path.write_text(original)
    path.chmod(0o444)
    result = run_cli("fix", "--write", cwd=tmp_path)
    assert result.code == 1
    assert "app.py:1:20  MG001  " in result.stdout and "read-only" in result.stdout
    assert path.read_text() == original
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert key not in result.stdout + result.stderr


def test_symlink_is_refused_and_its_target_outside_the_scan_untouched(tmp_path, key):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "secrets.py"
    original = f'MISTRAL_API_KEY = "{key}"\n'
    target.write_text(original)
    project = tmp_path / "project"
    project.mkdir()
    (project / "settings.py").symlink_to(target)
    result = run_cli("fix", "--write", ".", cwd=project)
    assert result.code == 1
    assert "settings.py" in result.stdout and "symbolic link" in result.stdout
    assert (project / "settings.py").is_symlink()
    assert target.read_text() == original
    assert not (project / ".env.example").exists(), "nothing fixed, nothing added"


def test_permissions_of_a_fixed_file_are_kept(tmp_path, key):
    path = tmp_path / "run.py"
    path.write_text(f'#!/usr/bin/env python3\nMISTRAL_API_KEY = "{key}"\n')
    path.chmod(0o750)
    assert run_cli("fix", "--write", cwd=tmp_path).code == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o750
    assert path.read_text().startswith("#!/usr/bin/env python3\nimport os\n")


def _scan(root: Path):
    options = ReportOptions(root=str(root))
    result, _ = scan_files((str(root),), honour_gitignore=True, options=options, jobs=1)
    return result.findings


def test_file_edited_between_scan_and_write_is_refused(tmp_path, key):
    path = tmp_path / "app.py"
    path.write_text(f'MISTRAL_API_KEY = "{key}"\n')
    plan = make_plan(_scan(tmp_path), str(tmp_path))
    assert len(plan.files) == 1 and not plan.not_fixed
    edited = f'# the user was here\nMISTRAL_API_KEY = "{key}"\n'
    path.write_text(edited)
    assert write_fix(plan.files[0]) == "changed since the scan: not touched"
    assert path.read_text() == edited


def test_key_changed_after_the_scan_is_not_touched(tmp_path, key):
    path = tmp_path / "app.py"
    path.write_text(f'MISTRAL_API_KEY = "{key}"\n')
    findings = _scan(tmp_path)
    changed = f'MISTRAL_API_KEY = "{key[::-1]}"\n'
    path.write_text(changed)
    plan = make_plan(findings, str(tmp_path))
    assert not plan.files
    assert [item.reason for item in plan.not_fixed] == ["changed since the scan: not touched"]
    assert path.read_text() == changed


def test_diff_context_never_shows_a_key_left_alone(tmp_path, key):
    other = key[16:] + key[:16]
    path = tmp_path / "app.py"
    path.write_text(f"# old key, Mistral: {other}\nMISTRAL_API_KEY = \"{key}\"\n")
    result = run_cli("fix", cwd=tmp_path)
    assert result.code == 1
    assert key not in result.stdout and other not in result.stdout + result.stderr
    assert f" # old key, Mistral: {other[:4]}…" in result.stdout
    assert f"-MISTRAL_API_KEY = \"{key[:4]}…\"" in result.stdout


def test_client_side_and_bundled_keys_are_listed_with_their_hint(tmp_path, key):
    component = tmp_path / "Chat.js"
    component.write_text(f'"use client";\nconst client = new Mistral({{ apiKey: "{key}" }});\n')
    (tmp_path / "dist").mkdir()
    bundle = tmp_path / "dist" / "app.min.js"
    bundle.write_text(f'var c=new Mistral({{apiKey:"{key}"}});\n')
    before = component.read_text(), bundle.read_text()
    result = run_cli("fix", "--write", cwd=tmp_path)
    assert result.code == 1
    assert "server route" in result.stdout and "minified bundle" in result.stdout
    assert (component.read_text(), bundle.read_text()) == before
    assert "revoke" in result.stdout.splitlines()[-1]


def test_project_files_env_example_gitignore_and_dotenv(tmp_path, key):
    repo = init_repo(tmp_path / "repo")
    (repo / ".gitignore").write_text("__pycache__/")  # no final newline
    (repo / ".env.example").write_text("OTHER=\n")
    (repo / "app.py").write_text(f'import os\nMISTRAL_API_KEY = "{key}"\n')
    dry = run_cli("fix", "--move-to-dotenv", cwd=repo)
    assert "would change .env: move the value of MISTRAL_API_KEY" in dry.stdout
    assert not (repo / ".env").exists() and (repo / ".gitignore").read_text() == "__pycache__/"

    result = run_cli("fix", "--write", "--move-to-dotenv", cwd=repo)
    assert result.code == 1 and key not in result.stdout + result.stderr
    assert (repo / ".env.example").read_text() == "OTHER=\nMISTRAL_API_KEY=\n"
    assert (repo / ".gitignore").read_text() == "__pycache__/\n.env\n"
    assert (repo / ".env").read_text() == f"MISTRAL_API_KEY={key}\n"
    assert stat.S_IMODE((repo / ".env").stat().st_mode) == 0o600
    assert git(repo, "check-ignore", ".env").strip() == ".env"
    assert run_cli("scan", ".", cwd=repo).code == 0, "the git-ignored .env is not scanned"


def test_a_tracked_dotenv_never_receives_the_key(tmp_path, key):
    repo = init_repo(tmp_path / "repo")
    (repo / ".env").write_text("DEBUG=1\n")
    git(repo, "add", ".env")
    (repo / "app.py").write_text(f'MISTRAL_API_KEY = "{key}"\n')
    result = run_cli("fix", "--write", "--move-to-dotenv", cwd=repo)
    assert result.code == 1
    assert ".env: tracked by git" in result.stdout
    assert (repo / ".env").read_text() == "DEBUG=1\n"
    assert key not in (repo / "app.py").read_text()


def test_a_key_in_a_dotenv_file_is_left_with_its_hint(tmp_path, key):
    (tmp_path / ".env").write_text(f"MISTRAL_API_KEY={key}\n")
    result = run_cli("fix", "--write", cwd=tmp_path)
    assert result.code == 1
    assert ".env:1:17  MG001" in result.stdout and "git rm --cached" in result.stdout
    assert (tmp_path / ".env").read_text() == f"MISTRAL_API_KEY={key}\n"
    assert key not in result.stdout + result.stderr


def test_without_gitignore_none_is_created_unless_moving_to_dotenv(tmp_path, key):
    (tmp_path / "app.py").write_text(f'MISTRAL_API_KEY = "{key}"\n')
    assert run_cli("fix", "--write", cwd=tmp_path).code == 1
    assert (tmp_path / ".env.example").read_text() == "MISTRAL_API_KEY=\n"
    assert not (tmp_path / ".gitignore").exists() and not (tmp_path / ".env").exists()


def test_a_medium_confidence_key_is_listed_not_rewritten(tmp_path, key):
    (tmp_path / "requirements.txt").write_text("mistralai\n")
    (tmp_path / "app").mkdir()
    config = tmp_path / "app" / "config.py"
    config.write_text(f'API_KEY = "{key}"\n')
    result = run_cli("fix", "--write", cwd=tmp_path)
    assert result.code == 1
    assert "app/config.py:1:12  MG031" in result.stdout and "confidence below high" in result.stdout
    assert config.read_text() == f'API_KEY = "{key}"\n'
    assert not (tmp_path / ".env.example").exists()


def test_clean_tree_and_errors(tmp_path, key):
    (tmp_path / "app.py").write_text('import os\nkey = os.environ["MISTRAL_API_KEY"]\n')
    clean = run_cli("fix", "--write", cwd=tmp_path)
    assert clean.code == 0 and "No leaked key to fix" in clean.stdout
    assert sorted(os.listdir(tmp_path)) == ["app.py"], "nothing added when nothing is fixed"
    stdin = run_cli("fix", "-", cwd=tmp_path, stdin=f'MISTRAL_API_KEY = "{key}"\n'.encode())
    assert stdin.code == 2
    assert stdin.stderr == "mistral-guard: error: fix works on files: it cannot rewrite standard input\n"
    missing = run_cli("fix", "nope.py", cwd=tmp_path)
    assert missing.code == 2 and missing.stderr.startswith("mistral-guard: error: ")


def test_help_explains_the_options_with_examples():
    result = run_cli("fix", "--help")
    assert result.code == 0
    for text in ("--write", "--move-to-dotenv", "Example", "revoke", "MISTRAL_API_KEY",
                 "CODESTRAL_API_KEY", "args: [--fix]"):
        assert text in result.stdout
    assert "--fix" in run_cli("hook", "--help").stdout


def test_diff_of_a_long_repetitive_file_shows_only_the_change(tmp_path, key):
    filler = "x = 1\n\n" * 150
    (tmp_path / "big.py").write_text(f"import os\n{filler}MISTRAL_API_KEY = \"{key}\"\n{filler}")
    result = run_cli("fix", cwd=tmp_path)
    hunk = result.stdout.split("@@", 2)[2].split("would change")[0]
    assert hunk.count("\n-") == 1 and hunk.count("\n+") == 1
    assert "@@ -299,7 +299,7 @@" in result.stdout
