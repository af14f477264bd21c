"""Nothing leaks: the raw key never appears in any output of any command, format or error.

A repository holds a generated key in the working tree, the index, the history, an inline
allowed line and a config-allowed file. Every command runs on it with every format (report to
a file and to stdout), with and without --verbose and --show-suppressed, and through its error
paths. Only the redacted form (the first four characters and "…") may ever be shown, so the
test looks for the key's last 28 characters: in stdout, stderr and every file written.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scanner.pipeline.run import FORMATS
from scanner.rules.check import generate_fake_key
from tests.conftest import git, init_repo, run_cli
from tests.test_rules_loader import VALID

KEY = generate_fake_key()
TAIL = KEY[4:]  # what redaction hides; the test fails if any output holds it

# A team rule file holding the raw key in an example that fails (it gives no finding).
RULE_FILE = VALID.replace("""examples = ['ACME_MISTRAL = "{KEY}"']""",
                          f"""examples = ['ACME_MISTRAL = "{KEY}"', 'acme {KEY}']""")


def leak(name: str = "MISTRAL_API_KEY") -> str:
    return f'{name}="{KEY}"\n'


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = init_repo(tmp_path_factory.mktemp("noleak") / "repo")
    (root / "old.env").write_text(leak())
    git(root, "add", "-A")
    git(root, "commit", "-qm", "add a key")
    (root / "old.env").unlink()
    (root / "app.py").write_text("import os\n" + leak())
    (root / "allowed.py").write_text(f'MISTRAL_API_KEY="{KEY}"  # mistral-guard: allow\n')
    (root / "fixtures").mkdir()
    (root / "fixtures" / "sample.env").write_text(leak("CODESTRAL_API_KEY"))
    (root / ".mistral-guard.toml").write_text('[allow]\npaths = ["fixtures/**"]\n')
    (root / "image.png").write_bytes(b"\x89PNG\0\0" + leak().encode())
    (root / "team-rules.toml").write_text(RULE_FILE)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "remove it, add others")
    (root / "staged.py").write_text(leak())
    git(root, "add", "staged.py")
    first = git(root, "rev-list", "--max-parents=0", "HEAD").strip()
    (root / ".range").write_text(f"{first}..HEAD")
    return root


def assert_no_leak(*texts: str, written: Path | None = None) -> None:
    for text in texts:
        assert TAIL not in text
    if written is not None:
        for path in written.rglob("*"):
            if path.is_file():
                assert TAIL.encode() not in path.read_bytes(), path
                assert TAIL.encode("utf-16-le") not in path.read_bytes(), path


COMMANDS = {
    "scan": ["scan", "."],
    "scan-file": ["scan", "app.py", "allowed.py", "fixtures/sample.env"],
    "hook": ["hook", "app.py", "allowed.py", "staged.py", "image.png"],
    "staged": ["staged"],
    "history": ["history"],
    "history-range": ["history", "RANGE"],
    "baseline-check": ["baseline", "check", "--baseline", "BASELINE"],
}
FLAGS = {"plain": [], "verbose": ["--verbose", "--show-suppressed"]}


@pytest.fixture(scope="module")
def baseline_file(repo, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("baseline") / "baseline.json"
    result = run_cli("baseline", "create", "--baseline", str(path), cwd=repo)
    assert result.code == 0, result.stderr
    assert_no_leak(result.stdout, result.stderr, written=path.parent)
    return path


@pytest.mark.parametrize("flags", FLAGS)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", COMMANDS)
def test_no_command_format_or_flag_shows_the_key(repo, baseline_file, tmp_path, command, fmt,
                                                 flags):
    args = [str(baseline_file) if a == "BASELINE" else a for a in COMMANDS[command]]
    args = [(repo / ".range").read_text() if a == "RANGE" else a for a in args]
    result = run_cli(*args, "--format", fmt, "--output", str(tmp_path / f"report.{fmt}"),
                     "--format", fmt, *FLAGS[flags], cwd=repo)
    assert result.code in (0, 1), result.stderr
    assert command == "baseline-check" or result.code == 1  # the key was found
    assert (tmp_path / f"report.{fmt}").exists()
    assert_no_leak(result.stdout, result.stderr, written=tmp_path)


def test_other_commands_do_not_show_the_key(repo, tmp_path):
    runs = [
        run_cli("config", cwd=repo),
        run_cli("config", "--disable", "MG001", "--baseline", "b.json", cwd=repo),
        run_cli("rules", "list"),
        run_cli("rules", "check", "team-rules.toml", cwd=repo),
        run_cli("rules", "docs", "--output", str(tmp_path / "RULES.md")),
        run_cli("scan", "-", stdin=leak().encode()),
        run_cli("baseline", "create", "--baseline", str(tmp_path / "b.json"), cwd=repo),
        run_cli("baseline", "prune", "--baseline", str(tmp_path / "b.json"), cwd=repo),
    ]
    assert runs[3].code == 1 and "MG900 example 2:" in runs[3].stdout  # the example fails
    assert runs[5].code == 1
    for result in runs:
        assert_no_leak(result.stdout, result.stderr)
    assert_no_leak(written=tmp_path)


# Paths and revision ranges typed on the command line are named as typed in their error
# messages; they are not scanned text.
ERRORS = {
    "output-is-a-directory": ["scan", ".", "--format", "json", "--output", "OUT"],
    "output-in-missing-dir": ["scan", ".", "--format", "sarif", "--output", "OUT/no/such/r.sarif"],
    "bad-config": ["scan", ".", "--config", "CONFIG"],
    "corrupt-baseline": ["scan", ".", "--baseline", "CORRUPT"],
    "bad-max-size": ["scan", ".", "--max-file-size", KEY],
    "bad-disable": ["scan", ".", "--disable", KEY],
    "rule-file-with-the-key": ["rules", "check", "BADRULES"],
}


@pytest.mark.parametrize("case", ERRORS)
def test_error_paths_do_not_show_the_key(repo, tmp_path, case):
    (tmp_path / "config.toml").write_text(f'min-severity = "{KEY}"\nexclude = "{KEY}"\n')
    (tmp_path / "corrupt.json").write_text(
        '{"format": 1, "entries": [{"rule_id": "' + KEY + '", "x": "' + KEY + '"}]}')
    (tmp_path / "bad-rules.toml").write_text(RULE_FILE.replace('"high"', f'"{KEY}"'))
    replace = {"OUT": str(tmp_path), "CONFIG": str(tmp_path / "config.toml"),
               "CORRUPT": str(tmp_path / "corrupt.json"),
               "BADRULES": str(tmp_path / "bad-rules.toml")}
    args = [replace.get(a, a) for a in ERRORS[case]]
    args = [a.replace("OUT/", str(tmp_path) + "/") for a in args]
    result = run_cli(*args, cwd=repo)
    assert result.code == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert_no_leak(result.stdout, result.stderr)
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.suffix not in (".toml", ".json"):
            assert TAIL.encode() not in path.read_bytes()


def test_interrupted_scan_does_not_show_the_key():
    # Ctrl-C while `scan -` still reads a standard input that already holds the key.
    proc = subprocess.Popen([sys.executable, "-m", "scanner", "scan", "-", "--verbose"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"})
    proc.stdin.write(leak().encode() * 100)
    proc.stdin.flush()
    time.sleep(2.0)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode in (130, -signal.SIGINT), err  # the latter: before Python started
    assert_no_leak(out.decode(), err.decode())
