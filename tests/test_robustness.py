"""Inputs that once stopped a run or misreported it: each now scans or fails cleanly."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli


def findings(result) -> list[dict]:
    return json.loads(result.stdout)["findings"]


def test_malformed_gitignore_line_is_ignored_like_git_does(tmp_path, key):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / ".gitignore").write_text("!\n\\\nignored.env\n")
    (tmp_path / "sub" / "ignored.env").write_text(f"MISTRAL_API_KEY={key}\n")
    (tmp_path / "sub" / "app.env").write_text(f"MISTRAL_API_KEY={key}\n")
    result = run_cli("scan", str(tmp_path), "--format", "json")
    assert result.code == 1 and "Traceback" not in result.stderr
    assert [f["path"] for f in findings(result)] == ["sub/app.env"]


def test_gitignore_set_holding_a_bracket_is_read_as_pathspec_reads_it(tmp_path, key):
    # `[[]` (a `[` inside a set): pathspec takes it as "a `[`", and no warning is printed.
    (tmp_path / ".gitignore").write_text("[[]*.env\n")
    (tmp_path / "[old.env").write_text(f"MISTRAL_API_KEY={key}\n")
    (tmp_path / "app.env").write_text(f"MISTRAL_API_KEY={key}\n")
    result = run_cli("scan", str(tmp_path), "--format", "json")
    assert result.code == 1 and result.stderr == ""
    assert [f["path"] for f in findings(result)] == ["app.env"]


def test_bad_glob_in_config_is_a_one_line_error(tmp_path):
    (tmp_path / ".mistral-guard.toml").write_text('exclude = ["!"]\n')
    for args in (["scan", str(tmp_path)], ["config", str(tmp_path)]):
        result = run_cli(*args)
        assert result.code == 2
        assert "key 'exclude'" in result.stderr and "not a valid gitignore-style pattern" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_a_key_pasted_as_an_allowlisted_hash_is_not_echoed(tmp_path, key):
    (tmp_path / ".mistral-guard.toml").write_text(f'[allow]\nsecret-sha256 = ["{key}"]\n')
    result = run_cli("scan", str(tmp_path))
    assert result.code == 2 and "entry 1 is not a sha256" in result.stderr
    assert key[:5].lower() not in result.stderr.lower()


def test_stdout_on_a_full_disk_is_exit_2(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    with open("/dev/full", "w") as full:
        import subprocess
        import sys

        proc = subprocess.run([sys.executable, "-m", "scanner", "scan", str(tmp_path)],
                              stdout=full, stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 2
    assert "No space left on device" in proc.stderr and "Traceback" not in proc.stderr


def test_deeply_nested_notebook_is_scanned_as_text(tmp_path, key):
    (tmp_path / "deep.ipynb").write_text('{"mistral": ' + "[" * 100_000 + "]" * 100_000 + "}")
    (tmp_path / "ok.ipynb").write_text(f'{{"x": "MISTRAL_API_KEY={key}"}}')
    result = run_cli("scan", str(tmp_path), "--format", "json")
    assert result.code == 1 and "Traceback" not in result.stderr
    assert [f["path"] for f in findings(result)] == ["ok.ipynb"]


def test_thousands_of_keys_on_one_line_are_placed_exactly(tmp_path):
    from scanner.rules.check import generate_fake_key

    keys = [generate_fake_key() for _ in range(3000)]
    line = ";".join(f'n.Mistral({{apiKey:"{k}"}})' for k in keys)
    (tmp_path / "bundle.min.js").write_text("// built\n" + line + "\n")
    result = run_cli("scan", str(tmp_path), "--format", "json")
    reported = findings(result)
    assert len(reported) == 3000
    assert all(f["line"] == 2 for f in reported)
    first = line.index(keys[0]) + 1
    assert reported[0]["column"] == first and reported[-1]["column"] == line.index(keys[-1]) + 1


@pytest.mark.parametrize("args", [["a.env", "a.env"], [".", "./a.env"]])
def test_a_file_named_twice_is_read_once(tmp_path, key, args):
    (tmp_path / "a.env").write_text(f"MISTRAL_API_KEY={key}\n")
    result = run_cli("scan", *args, "--format", "json", cwd=tmp_path)
    assert len(findings(result)) == 1


def test_control_characters_in_file_names_are_escaped(tmp_path, key):
    (tmp_path / "evil\nfake.env").write_text(f"MISTRAL_API_KEY={key}\n")
    result = run_cli("scan", str(tmp_path))
    assert result.code == 1
    assert "evil\\nfake.env:1:17" in result.stdout
    assert "\nfake.env:1:17" not in result.stdout
