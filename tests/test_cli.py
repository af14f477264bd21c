"""The real CLI: exit codes, formats, colour, stdin, errors, and no secret in any output."""

from __future__ import annotations

import json
import re

import pytest

from scanner.models import sha256_hex
from tests.conftest import run_cli

FINDING_KEYS = {
    "rule_id", "slug", "severity", "path", "line", "column", "end_column", "preview",
    "secret_sha256", "fingerprint", "fix", "commit", "author", "date", "in_head",
    "kind", "confidence", "evidence", "matched", "verification",
}


@pytest.fixture
def leaky_tree(tmp_path, key):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(
        'import os\n\nclient = Mistral(api_key="%s")\n' % key)
    (tmp_path / ".env").write_text("OTHER=1\nMISTRAL_API_KEY=%s\n" % key)
    (tmp_path / "clean.py").write_text("print('hello')\n")
    return tmp_path


def test_clean_tree_exits_0(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    result = run_cli("scan", str(tmp_path))
    assert result.code == 0
    assert result.stdout.startswith("no leaks found: 1 file (")


def test_text_report(leaky_tree, key):
    result = run_cli("scan", str(leaky_tree))
    assert result.code == 1
    assert ".env:2:17  MG001  Hardcoded Mistral API key  [critical]" in result.stdout
    assert "src/app.py:3:27  MG002" in result.stdout
    assert f"secret: {key[:4]}…" in result.stdout
    assert "fix: " in result.stdout
    assert result.stdout.rstrip().endswith(", 0 suppressed") and "2 findings (2 critical)" in result.stdout
    assert "\033[" not in result.stdout


def test_json_contract(leaky_tree, key):
    result = run_cli("scan", str(leaky_tree), "--format", "json")
    assert result.code == 1
    report = json.loads(result.stdout)
    assert set(report) == {"tool", "findings", "unique_keys", "stats"}
    assert report["tool"] == {"name": "mistral-guard", "version": "0.1.0"}
    assert set(report["stats"]) == {"files", "bytes", "commits", "seconds", "suppressed"}
    assert report["stats"]["files"] == 3
    first, second = report["findings"]
    assert set(first) == FINDING_KEYS
    assert (first["path"], first["line"], first["column"], first["end_column"]) == (".env", 2, 17, 49)
    assert first["secret_sha256"] == sha256_hex(key)
    assert first["preview"] == key[:4] + "…"
    assert first["commit"] is None and first["in_head"] is None
    assert second["rule_id"] == "MG002" and second["slug"] == "mistral-client-key-argument"


def test_output_file_gets_the_report_terminal_the_summary(leaky_tree, tmp_path):
    out = tmp_path / "report.json"
    result = run_cli("scan", str(leaky_tree / "src"), "--format", "json", "--output", str(out))
    assert result.code == 1
    assert json.loads(out.read_text())["findings"][0]["rule_id"] == "MG002"
    assert result.stdout.startswith("1 finding (1 critical)") and "report written to" in result.stdout


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_no_output_contains_the_raw_key(leaky_tree, tmp_path, key, fmt):
    out = tmp_path / f"out.{fmt}"
    for args in (["--format", fmt], ["--format", fmt, "--output", str(out)], ["--format", fmt, "-v"]):
        result = run_cli("scan", str(leaky_tree), *args)
        assert result.code == 1
        assert key not in result.stdout and key not in result.stderr
    assert key not in out.read_text()
    hook = run_cli("hook", str(leaky_tree / ".env"), "--format", fmt)
    assert hook.code == 1 and key not in hook.stdout + hook.stderr


def test_colour_only_when_asked_and_allowed(leaky_tree):
    # stdout is a pipe here, so colour stays off even without NO_COLOR.
    result = run_cli("scan", str(leaky_tree), env={"NO_COLOR": ""})
    assert "\033[" not in result.stdout


def test_colour_on_a_terminal_respects_no_color(leaky_tree):
    import os
    import pty
    import subprocess
    import sys

    def run_on_tty(extra_env: dict[str, str], *args: str) -> bytes:
        leader, follower = pty.openpty()
        env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"} | extra_env
        proc = subprocess.run([sys.executable, "-m", "scanner", "scan", str(leaky_tree), *args],
                              stdout=follower, stderr=subprocess.DEVNULL, env=env, timeout=60)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert proc.returncode == 1
        return b"".join(chunks)

    assert b"\033[" in run_on_tty({})
    assert b"\033[" not in run_on_tty({"NO_COLOR": "1"})
    assert b"\033[" not in run_on_tty({}, "--no-color")


def test_stdin(key):
    result = run_cli("scan", "-", stdin=f"export MISTRAL_API_KEY={key}\n".encode())
    assert result.code == 1 and "<stdin>:1:24  MG001" in result.stdout
    assert run_cli("scan", "-", stdin=b"nothing\n").code == 0


def test_hook_without_files_is_clean():
    assert run_cli("hook").code == 0


def test_min_severity_filters(tmp_path, key):
    (tmp_path / "a.env").write_text(f"MISTRAL_API_KEY={key}\n")
    assert run_cli("scan", str(tmp_path), "--min-severity", "critical").code == 1


@pytest.mark.parametrize("args, message", [
    (["scan", "does/not/exist"], "path does not exist"),
    (["scan", ".", "--format", "yaml"], "Invalid value"),
    (["scan", ".", "--max-file-size", "lots"], "is not a size"),
    (["rules", "explain", "MG999"], "unknown rule id"),
    (["frobnicate"], "No such command"),
])
def test_errors_are_one_line_and_exit_2(tmp_path, args, message):
    result = run_cli(*args, cwd=tmp_path)
    assert result.code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_mistyped_command_is_suggested_whichever_module_defines_it(tmp_path):
    if "Did you mean 'scan'?" not in run_cli("scna", cwd=tmp_path).stderr:
        pytest.skip("this click version suggests no command names")
    for typo, command in [("histroy", "history"), ("stagd", "staged"), ("baselin", "baseline"),
                          ("confg", "config"), ("rulse", "rules")]:
        result = run_cli(typo, cwd=tmp_path)
        assert result.code == 2 and f"Did you mean '{command}'?" in result.stderr, typo


def test_unwritable_output_is_exit_2(leaky_tree, tmp_path, key):
    result = run_cli("scan", str(leaky_tree), "--output", str(tmp_path / "no" / "dir" / "r.txt"))
    assert result.code == 2 and "cannot write" in result.stderr
    assert key not in result.stdout + result.stderr


def test_inline_allow(tmp_path, key):
    (tmp_path / "a.env").write_text(
        f"MISTRAL_API_KEY={key}  # mistral-guard: allow\n"
        f"MISTRAL_API_KEY={key}  # mistral-guard: allow[MG002]\n"
        f"MISTRAL_API_KEY={key}  # mistral-guard: allow[MG001]\n")
    report = json.loads(run_cli("scan", str(tmp_path), "--format", "json").stdout)
    assert [f["line"] for f in report["findings"]] == [2]


def test_rules_list_and_explain():
    listing = run_cli("rules", "list")
    assert listing.code == 0
    ids = [line.split()[0] for line in listing.stdout.splitlines()]
    assert ids == sorted(ids) and {"MG001", "MG002", "MG003", "MG004"} <= set(ids)
    explained = run_cli("rules", "explain", "mg003")
    assert explained.code == 0
    for section in ("What:", "Why:", "Example:", "Use instead:", "Fix:", "References:"):
        assert section in explained.stdout


def test_help_explains_every_option_with_an_example():
    for command in (["scan"], ["hook"], ["rules", "check"]):
        result = run_cli(*command, "--help")
        assert result.code == 0 and "Example" in result.stdout
    scan_help = run_cli("scan", "--help").stdout
    for option in ("--format", "--output", "--min-severity", "--max-file-size", "--no-color", "--verbose"):
        assert option in scan_help
    assert scan_help.count("Example:") >= 6


def test_version():
    result = run_cli("--version")
    assert result.code == 0 and "0.1.0" in result.stdout


@pytest.mark.parametrize("command", ["scan", "hook"])
def test_plain_invocation_answers_as_the_command_line_does(tmp_path, key, command):
    """`scan PATH` / `hook FILE` with no option run without click (scanner.cli); with an
    option that changes nothing (`--format text`) they go through click: same answer."""
    (tmp_path / "app.env").write_text(f"MISTRAL_API_KEY={key}\n")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG\0\0binary")
    targets = {"scan": [str(tmp_path)], "hook": [str(tmp_path / "app.env"), str(tmp_path / "logo.png")]}
    for paths in (targets[command], [str(tmp_path / "missing")]):
        plain = run_cli(command, *paths)
        through_click = run_cli(command, *paths, "--format", "text")
        untimed = [(r.code, re.sub(r" in \d+\.\d+s", "", r.stdout), r.stderr)
                   for r in (plain, through_click)]
        assert untimed[0] == untimed[1]
    assert run_cli(command, *targets[command]).code == 1
