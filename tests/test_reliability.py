"""Issue 16, the reliability pass: one test per hostile input of the review (real files, real
git, generated keys), with time and peak memory measured for the ones that used to hang or
blow up. Figures are in docs/RELIABILITY.md."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote

import pytest

from scanner.pipeline.workers import JOBS_PER_CORE, capped_jobs
from scanner.rules.check import generate_fake_key
from tests.conftest import CliResult, git, init_repo, run_cli, unprivileged_prefix

MIB = 1024 * 1024
RSS_LIMIT_KIB = 200 * 1024  # the bound: 200 MiB of peak RSS per hostile input
SECONDS_PER_MB = 2.0
_MEASURE = ("import resource, subprocess, sys, time\n"
            "started = time.perf_counter()\n"
            "with open(sys.argv[2], 'rb') as stdin:\n"
            "    code = subprocess.run(sys.argv[3:], stdin=stdin).returncode\n"
            "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
            "open(sys.argv[1], 'w').write(f'{time.perf_counter() - started} {peak}')\n"
            "sys.exit(code)\n")


def measured(tmp_path: Path, *args: str, cwd: Path, stdin: Path | None = None,
             env: dict[str, str] | None = None) -> tuple[CliResult, float, int]:
    """Run the CLI in a fresh process whose only child is the scan: (result, seconds, peak
    RSS in KiB of the scan and every process it started)."""
    figures = tmp_path / "figures.txt"
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(figures), str(stdin or os.devnull),
         sys.executable, "-m", "scanner", *args],
        cwd=cwd, capture_output=True, timeout=600, env={**os.environ, "NO_COLOR": "1", **(env or {})})
    seconds, peak = figures.read_text().split()
    result = CliResult(proc.returncode, proc.stdout.decode("utf-8", "replace"),
                       proc.stderr.decode("utf-8", "replace"))
    return result, float(seconds), int(peak)


def findings(result: CliResult) -> list[tuple[str, str, int]]:
    assert result.code in (0, 1), result.stderr
    return [(f["path"], f["rule_id"], f["line"]) for f in json.loads(result.stdout)["findings"]]


def one_line_error(result: CliResult, *words: str) -> None:
    assert result.code == 2, (result.code, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mistral-guard: error: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def commit_all(repo: Path, message: str = "c", **env: str) -> None:
    git(repo, "add", "-A")
    subprocess.run(["git", "commit", "-qm", message], cwd=repo, check=True,
                   env={**os.environ, **env})


# -- item 2 and 14: notebooks -----------------------------------------------------------------


def _notebook(key: str, output_lines: int, extra_metadata: dict | None = None) -> str:
    stream = [f"step {i}: wrote /tmp/run/{i}.csv\n" for i in range(output_lines)]
    cells = [
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "source": ["!make\n"],
         "outputs": [{"name": "stdout", "output_type": "stream", "text": stream}]},
        {"cell_type": "code", "execution_count": 2, "metadata": {},
         "source": ["import os\n", "os.environ['MISTRAL_API_KEY']\n"],
         "outputs": [{"data": {"text/plain": [f"'{key}'"]}, "execution_count": 2,
                      "metadata": {}, "output_type": "execute_result"}]},
    ]
    metadata = {"kernelspec": {"name": "python3"}, **(extra_metadata or {})}
    return json.dumps({"cells": cells, "metadata": metadata, "nbformat": 4,
                       "nbformat_minor": 5}, indent=1)


@pytest.mark.parametrize("escaped_slashes", [False, True])
def test_large_notebook_is_scanned_in_linear_time(tmp_path, key, escaped_slashes):
    text = _notebook(key, 50_000)
    if escaped_slashes:  # some writers escape '/' as '\/': the strings no longer match dumps()
        text = text.replace("/", "\\/")
    (tmp_path / "run.ipynb").write_text(text)
    result, seconds, peak = measured(tmp_path, "scan", "run.ipynb", "--format", "json",
                                     cwd=tmp_path)
    key_line = next(n for n, line in enumerate(text.splitlines(), 1) if key in line)
    assert [(path, line) for path, _, line in findings(result)] == [("run.ipynb", key_line)]
    size_mb = len(text) / MIB
    assert seconds < SECONDS_PER_MB * size_mb + 1, (seconds, size_mb)
    assert peak < RSS_LIMIT_KIB


def test_notebook_output_is_read_after_its_cell_and_metadata_is_scanned(tmp_path, key):
    other = generate_fake_key()
    text = _notebook(key, 3, {"env": {"MISTRAL_API_KEY": other}})
    (tmp_path / "a.ipynb").write_text(text)
    found = findings(run_cli("scan", "a.ipynb", "--format", "json", cwd=tmp_path))
    lines = [next(n for n, line in enumerate(text.splitlines(), 1) if secret in line)
             for secret in (key, other)]
    assert [line for _, _, line in found] == lines
    # Negative: the same token printed by a cell that has nothing to do with a key.
    text = _notebook(key, 3).replace("os.environ['MISTRAL_API_KEY']", "print(run_id)")
    (tmp_path / "a.ipynb").write_text(text)
    assert findings(run_cli("scan", "a.ipynb", "--format", "json", cwd=tmp_path)) == []


# -- item 3: files the tool reads for itself ----------------------------------------------------


def test_ignore_files_that_are_devices_or_fifos_are_named_not_read(tmp_path, key):
    repo = init_repo(tmp_path / "repo")
    (repo / "app.py").write_text(f'MISTRAL_API_KEY = "{key}"\n')
    (repo / ".gitignore").symlink_to("/dev/zero")
    (repo / "sub").mkdir()
    os.mkfifo(repo / "sub" / ".gitignore")
    (repo / ".git" / "info" / "exclude").unlink()
    os.mkfifo(repo / ".git" / "info" / "exclude")
    result, seconds, peak = measured(tmp_path, "scan", ".", "--format", "json", cwd=repo)
    assert findings(result) == [("app.py", "MG001", 1)]
    assert ("(ignore file not a regular file): .git/info/exclude, .gitignore, sub/.gitignore"
            in result.stderr)
    assert seconds < 10 and peak < RSS_LIMIT_KIB


@pytest.mark.parametrize("kind", ["device", "fifo", "huge"])
def test_config_rules_and_baseline_that_are_not_regular_files_are_one_line_errors(tmp_path, kind):
    if kind == "device":
        bad = "/dev/zero"
    elif kind == "fifo":
        bad = str(tmp_path / "pipe")
        os.mkfifo(bad)
    else:
        bad = str(tmp_path / "huge.toml")
        with open(bad, "wb") as handle:
            handle.truncate(40 * MIB)  # sparse: over the 32 MiB cap, costs no disk
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "extra.toml").write_text(f'extra-rules = ["{bad}"]\n')
    (tmp_path / "base.toml").write_text(f'baseline = "{bad}"\n')
    reason = "larger than 32 MiB" if kind == "huge" else "not a regular file"
    for args in (["scan", "a.py", "--baseline", bad], ["scan", "a.py", "--config", "base.toml"],
                 ["scan", "a.py", "--config", "extra.toml"], ["rules", "check", bad],
                 ["scan", "a.py", "--config", bad]):
        result, _, peak = measured(tmp_path, *args, cwd=tmp_path)
        one_line_error(result, reason)
        assert "not found" not in result.stderr and peak < RSS_LIMIT_KIB


# -- item 4: stdin --------------------------------------------------------------------------


def test_stdin_is_streamed_with_bounded_memory_and_honours_max_file_size(tmp_path, key):
    big = tmp_path / "stdin.txt"
    line = "x" * 99 + "\n"
    with open(big, "w") as handle:
        handle.write(line * (MIB // 100) * 100)  # 100 MiB of lines
        handle.write(f"MISTRAL_API_KEY={key}\n")
    lines = (MIB // 100) * 100 + 1
    result, seconds, peak = measured(tmp_path, "scan", "-", "--max-file-size", "0",
                                     "--format", "json", cwd=tmp_path, stdin=big)
    assert findings(result) == [("<stdin>", "MG001", lines)]
    assert peak < RSS_LIMIT_KIB and seconds < SECONDS_PER_MB * 100
    # The default limit applies to stdin as to any file: skipped and named, never read whole.
    result, _, peak = measured(tmp_path, "scan", "-", cwd=tmp_path, stdin=big)
    assert result.code == 0 and "skipped 1 file (too large): <stdin>" in result.stderr
    assert peak < RSS_LIMIT_KIB
    small = tmp_path / "small.txt"
    small.write_text(f"MISTRAL_API_KEY={key}\n")
    assert findings(run_cli("scan", "-", "--format", "json", stdin=small.read_bytes())) == [
        ("<stdin>", "MG001", 1)]


# -- item 5: provenance streams big blobs ---------------------------------------------------------


def test_provenance_streams_a_big_blob_found_at_several_paths(tmp_path, key):
    repo = init_repo(tmp_path / "repo")
    body = ("y" * 63 + "\n") * (64 * MIB // 64) + f"MISTRAL_API_KEY={key}\n"
    (repo / "a.txt").write_text(body)
    commit_all(repo, "one")
    for name in ("b.txt", "c.txt"):
        shutil.copy(repo / "a.txt", repo / name)
        commit_all(repo, name)
    result, seconds, peak = measured(tmp_path, "history", "--max-file-size", "0", "--format",
                                     "json", cwd=repo)
    line = 64 * MIB // 64 + 1
    assert sorted(findings(result)) == [(name, "MG001", line) for name in ("a.txt", "b.txt", "c.txt")]
    assert peak < RSS_LIMIT_KIB, peak


# -- items 6 and 7: the worker pool ---------------------------------------------------------------


def test_jobs_are_capped_at_a_multiple_of_the_cores(tmp_path, key):
    cores = len(os.sched_getaffinity(0))
    assert capped_jobs(5000) == JOBS_PER_CORE * cores
    assert capped_jobs(1) == 1 and capped_jobs(2) == min(2, JOBS_PER_CORE * cores)
    for index in range(300):
        (tmp_path / f"f{index}.py").write_text(f"x = {index}\n")
    (tmp_path / "leak.env").write_text(f"MISTRAL_API_KEY={key}\n")
    started = time.perf_counter()
    result = run_cli("scan", ".", "--jobs", "5000", "--format", "json", cwd=tmp_path)
    assert findings(result) == [("leak.env", "MG001", 1)]
    assert time.perf_counter() - started < 30


def _children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(child) for child in (task / "children").read_text().split())
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_workers_end_with_the_parent_on_sigterm(tmp_path):
    for index in range(16):  # the first chunk, read by the parent itself
        (tmp_path / f"a{index:02}.txt").write_text("x\n")
    block = ("z" * 63 + "\n") * (40 * MIB // 64)
    for index in range(6):  # then about 15 s of work for the workers
        (tmp_path / f"b{index}.txt").write_text(block)
    proc = subprocess.Popen([sys.executable, "-m", "scanner", "scan", ".", "--jobs", "3",
                             "--max-file-size", "0"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while not workers and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
            workers = _children(proc.pid)
        assert workers, "no worker started"
        time.sleep(0.5)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 5
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_alive, workers)), "workers outlived the parent"
    finally:
        if proc.poll() is None:
            proc.kill()


# -- item 8: terminal injection -------------------------------------------------------------------

HOSTILE = "\x1b]0;owned\x07\x1b[31mred\x7f\x9b2J\u202eevil"
RAW_CONTROLS = ("\x1b", "\x07", "\x7f", "\x9b", "\u202e")


def _no_raw_controls(text: str) -> None:
    for char in RAW_CONTROLS:
        assert char not in text, repr(char)


def test_repository_text_is_escaped_in_text_github_and_errors(tmp_path, key):
    repo = init_repo(tmp_path / "repo")
    name = f"a{HOSTILE}.env"
    (repo / name).write_text(f"MISTRAL_API_KEY={key}\n")
    commit_all(repo, "add", GIT_AUTHOR_NAME=f"Mallory {HOSTILE}")
    history = run_cli("history", cwd=repo)
    assert history.code == 1 and "introduced:" in history.stdout and "Mallory" in history.stdout
    _no_raw_controls(history.stdout + history.stderr)
    assert "\\x1b]0;owned\\x07" in history.stdout  # shown escaped, not dropped
    for args in (["scan", "."], ["scan", ".", "--format", "github"]):
        result = run_cli(*args, cwd=repo)
        assert result.code == 1
        _no_raw_controls(result.stdout + result.stderr)
    (repo / "bad.toml").write_text(f'{json.dumps("unknown" + HOSTILE)} = 1\n')  # TOML escapes
    result = run_cli("scan", ".", "--config", "bad.toml", cwd=repo)
    one_line_error(result, "unknown")
    _no_raw_controls(result.stderr)
    # Negative: plain text is shown as is.
    (repo / "plain.toml").write_text('"unknown-key" = 1\n')
    assert "'unknown-key'" in run_cli("scan", ".", "--config", "plain.toml", cwd=repo).stderr


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_json_reports_stay_valid_and_escape_bidi_and_c1(tmp_path, key, fmt):
    name = f"a{HOSTILE}.env"
    (tmp_path / name).write_text(f"MISTRAL_API_KEY={key}\n")
    result = run_cli("scan", ".", "--format", fmt, cwd=tmp_path)
    assert result.code == 1
    _no_raw_controls(result.stdout)
    strings, stack = [], [json.loads(result.stdout)]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            strings.append(item)
    # The same path, read back (SARIF gives it as a percent-encoded URI).
    assert any(name in string or name in unquote(string) for string in strings)


# -- item 9: --output -----------------------------------------------------------------------------


def test_output_writes_through_devices_links_and_pipes(tmp_path, key):
    (tmp_path / "leak.env").write_text(f"MISTRAL_API_KEY={key}\n")
    link = tmp_path / "null-link"
    link.symlink_to("/dev/null")
    result = run_cli("scan", "leak.env", "-o", str(link), cwd=tmp_path)
    assert result.code == 1 and link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    one_line_error(run_cli("scan", "leak.env", "-o", "/dev/full", cwd=tmp_path),
                   "/dev/full", "No space left on device")
    result = run_cli("scan", "leak.env", "--format", "json", "-o", "/dev/stdout", cwd=tmp_path)
    assert json.loads(result.stdout.split("\n1 finding")[0])["findings"]
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    result = run_cli("scan", "leak.env", "--format", "json", "-o", str(fifo), cwd=tmp_path)
    reader.join(30)
    assert result.code == 1 and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(received[0])["findings"][0]["rule_id"] == "MG001"
    # A regular file is still replaced atomically.
    report = tmp_path / "report.json"
    report.write_text("old")
    run_cli("scan", "leak.env", "--format", "json", "-o", str(report), cwd=tmp_path)
    assert json.loads(report.read_text())["findings"]


# -- item 10: closed stdout, narrow encodings, bad config bytes --------------------------------------


def test_closed_stdout_and_narrow_encodings_keep_exit_codes(tmp_path, key):
    (tmp_path / "leak.env").write_text(f"MISTRAL_API_KEY={key}\n")
    for fmt in ("text", "json"):
        proc = subprocess.run(["sh", "-c", f'exec >&-; exec "$0" -m scanner scan leak.env '
                                          f'--format {fmt}', sys.executable],
                              cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert proc.stderr.strip().splitlines() == ["mistral-guard: error: standard output is closed"]
    for encoding in ("ascii", "latin-1"):
        result = run_cli("scan", "leak.env", env={"PYTHONIOENCODING": encoding}, cwd=tmp_path)
        assert result.code == 1 and "internal error" not in result.stderr
        assert f"secret: {key[:4]}..." in result.stdout and "1 finding" in result.stdout
    (tmp_path / "caf\u00e9\U0001f600.env").write_text(f"MISTRAL_API_KEY={key}\n")
    result = run_cli("scan", ".", "--format", "json", env={"PYTHONIOENCODING": "ascii"},
                     cwd=tmp_path)  # still valid JSON: what ASCII lacks becomes \\uXXXX
    paths = {f["path"] for f in json.loads(result.stdout)["findings"]}
    assert result.code == 1 and paths == {"leak.env", "caf\u00e9\U0001f600.env"}
    (tmp_path / "bad.toml").write_bytes(b'min-severity = "\xff"\n')
    one_line_error(run_cli("scan", "leak.env", "--config", "bad.toml", cwd=tmp_path),
                   "not UTF-8")


# -- item 11: permission denied on a named path ---------------------------------------------------


def test_named_file_in_an_unreadable_folder_says_permission_denied(tmp_path, key):
    prefix = unprivileged_prefix()
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "app.env").write_text(f"MISTRAL_API_KEY={key}\n")
    (tmp_path / "open.env").write_text(f"MISTRAL_API_KEY={key}\n")
    (tmp_path / "locked").chmod(0)
    try:
        proc = subprocess.run([*prefix, sys.executable, "-m", "scanner", "scan",
                               "locked/app.env", "open.env"], cwd=tmp_path, capture_output=True,
                              text=True, timeout=60, env={**os.environ, "NO_COLOR": "1"})
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert proc.returncode == 1, proc.stderr
    assert "(permission denied): locked/app.env" in proc.stderr
    assert "does not exist" not in proc.stderr and "open.env" in proc.stdout
    missing = run_cli("scan", "nope.env", cwd=tmp_path)
    one_line_error(missing, "path does not exist")


# -- item 12: tracked files that .gitignore matches ----------------------------------------------


def test_tracked_files_are_scanned_even_when_gitignored(tmp_path, key):
    repo = init_repo(tmp_path / "repo")
    (repo / ".env").write_text(f"MISTRAL_API_KEY={key}\n")
    (repo / "conf").mkdir()
    (repo / "conf" / "prod.env").write_text(f"MISTRAL_API_KEY={key}\n")
    commit_all(repo)
    (repo / ".gitignore").write_text(".env\nconf/\nlocal.env\n")
    (repo / "local.env").write_text(f"MISTRAL_API_KEY={key}\n")  # ignored and untracked
    (repo / "conf" / "dev.env").write_text(f"MISTRAL_API_KEY={key}\n")
    found = findings(run_cli("scan", ".", "--format", "json", cwd=repo))
    assert [path for path, _, _ in found] == [".env", "conf/prod.env"]
    # Outside a work tree, .gitignore alone decides.
    plain = tmp_path / "plain"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git"))
    assert findings(run_cli("scan", ".", "--format", "json", cwd=plain)) == []


# -- item 13: escaped quotes and string prefixes ----------------------------------------------------

QUOTED = [
    ('package.json', '{"scripts": {"ask": "MISTRAL_API_KEY=\\"{K}\\" node ask.js"}}'),
    ('tool.json', '{"code": "client = Mistral(api_key=\\"{K}\\")"}'),
    ('gen.py', 'code = "client = Mistral(api_key=\\"{K}\\")"'),
    ('ci.yaml', 'run: "export MISTRAL_API_KEY=\\"{K}\\""'),
    ('f.py', 'MISTRAL_API_KEY = f"{K}"'),
    ('r.py', "MISTRAL_API_KEY = r'{K}'"),
    ('u.py', 'client = Mistral(api_key=u"{K}")'),
    ('b.py', 'MISTRAL_API_KEY = b"{K}"'),
    ('t.py', 'MISTRAL_API_KEY = """{K}"""'),
    ('conflict.ipynb', '<<<<<<< HEAD\n{"source": ["MISTRAL_API_KEY = \\"{K}\\"\\n"]}\n=======\n'),
]


@pytest.mark.parametrize("name, template", QUOTED)
def test_keys_behind_escaped_quotes_and_string_prefixes_are_found(tmp_path, key, name, template):
    (tmp_path / name).write_text(template.replace("{K}", key) + "\n")
    found = findings(run_cli("scan", ".", "--format", "json", cwd=tmp_path))
    line = 2 if name == "conflict.ipynb" else 1
    assert len(found) == 1 and found[0][0] == name and found[0][2] == line, found


@pytest.mark.parametrize("text", [
    'cmd = "curl -H \\"Authorization: Bearer ${MISTRAL_API_KEY}\\""',
    'MISTRAL_API_KEY = f"{os.environ[\'MISTRAL_API_KEY\']}"',
    'MISTRAL_API_KEY = """YOUR_API_KEY"""',
])
def test_escaped_quotes_around_references_are_not_findings(tmp_path, text):
    (tmp_path / "ok.py").write_text(text + "\n")
    assert findings(run_cli("scan", ".", "--format", "json", cwd=tmp_path)) == []


# -- item 15: grafts and submodules ---------------------------------------------------------------


def test_grafts_cannot_hide_commits_from_history(tmp_path, key):
    repo = init_repo(tmp_path / "repo")
    (repo / "old.env").write_text(f"MISTRAL_API_KEY={key}\n")
    commit_all(repo, "key")
    (repo / "old.env").unlink()
    (repo / "a.txt").write_text("a\n")
    commit_all(repo, "remove")
    (repo / "b.txt").write_text("b\n")
    commit_all(repo, "more")
    middle = git(repo, "rev-parse", "HEAD~1").strip()
    (repo / ".git" / "info" / "grafts").write_text(middle + "\n")  # HEAD~1 becomes a root
    assert "key" not in git(repo, "log", "--format=%s")  # git itself no longer sees it
    found = findings(run_cli("history", "--format", "json", cwd=repo))
    assert found == [("old.env", "MG001", 1)]


def test_submodules_are_named_as_not_scanned(tmp_path, key):
    inner = init_repo(tmp_path / "inner")
    (inner / "x.txt").write_text("x\n")
    commit_all(inner)
    outer = init_repo(tmp_path / "outer")
    (outer / "app.py").write_text("x = 1\n")
    subprocess.run(["git", "-c", "protocol.file.allow=always", "submodule", "add", "-q",
                    str(inner), "vendor/inner"], cwd=outer, check=True, capture_output=True)
    staged = run_cli("staged", cwd=outer)
    assert staged.code == 0 and "(submodule, not scanned" in staged.stderr
    assert "vendor/inner" in staged.stderr
    commit_all(outer)
    history = run_cli("history", cwd=outer)
    assert history.code == 0 and "vendor/inner" in history.stderr
    plain = init_repo(tmp_path / "plain")
    (plain / "a.txt").write_text("a\n")
    commit_all(plain)
    assert "submodule" not in run_cli("history", cwd=plain).stderr


# -- item 16: UTF-32 ----------------------------------------------------------------------------


@pytest.mark.parametrize("codec, bom", [("utf-32-le", b"\xff\xfe\x00\x00"),
                                        ("utf-32-be", b"\x00\x00\xfe\xff")])
def test_utf32_with_bom_is_decoded(tmp_path, key, codec, bom):
    text = f"# settings\nMISTRAL_API_KEY={key}\n"
    (tmp_path / "a.env").write_bytes(bom + text.encode(codec))
    (tmp_path / "nobom.env").write_bytes(text.encode(codec))  # no BOM: binary, skipped, named
    result = run_cli("scan", ".", "--format", "json", cwd=tmp_path)
    assert findings(result) == [("a.env", "MG001", 2)]
    assert "(binary): nobom.env" in result.stderr


# -- smaller defects ------------------------------------------------------------------------------


def test_lone_cr_line_ends_give_right_line_numbers(tmp_path, key):
    (tmp_path / "mac.env").write_bytes(f"a=1\rb=2\rMISTRAL_API_KEY={key}\r".encode())
    (tmp_path / "dos.env").write_bytes(f"a=1\r\nMISTRAL_API_KEY={key}\r\n".encode())
    found = findings(run_cli("scan", ".", "--format", "json", cwd=tmp_path))
    assert found == [("dos.env", "MG001", 2), ("mac.env", "MG001", 3)]


def test_odd_config_globs_print_no_python_warning(tmp_path, key):
    (tmp_path / "a.env").write_text(f"MISTRAL_API_KEY={key}\n")
    (tmp_path / ".mistral-guard.toml").write_text('exclude = ["[[a-z]-x", "b[[]c"]\n')
    result = run_cli("scan", ".", cwd=tmp_path)
    assert result.code == 1 and "Warning" not in result.stderr and "site-packages" not in result.stderr


def test_archives_are_skipped_as_binary_and_named(tmp_path, key):
    import gzip
    import zipfile

    with zipfile.ZipFile(tmp_path / "bundle.zip", "w") as archive:
        archive.writestr("a.env", f"MISTRAL_API_KEY={key}\n")
    (tmp_path / "a.env.gz").write_bytes(gzip.compress(f"MISTRAL_API_KEY={key}\n".encode()))
    result = run_cli("scan", ".", cwd=tmp_path)
    assert result.code == 0 and "(binary): a.env.gz, bundle.zip" in result.stderr


def test_help_says_what_hook_reads_and_that_outside_links_are_followed():
    hook = " ".join(run_cli("hook", "--help").stdout.split())  # unwrapped
    assert "as they are on disk" in hook and "mistral-guard staged" in hook
    scan = " ".join(run_cli("scan", "--help").stdout.split())
    assert "outside the scanned tree" in scan and "Archives" in scan


# -- the no-leak sweep over the new paths ----------------------------------------------------------


def test_new_paths_never_show_the_key(tmp_path, key):
    tail = key[4:]
    (tmp_path / "a.ipynb").write_text(_notebook(key, 3, {"token": key}))
    (tmp_path / "q.py").write_text(f'MISTRAL_API_KEY = f"{key}"\n')
    (tmp_path / "bad.toml").write_text(f'baseline = "{key}"\n')
    (tmp_path / "key.toml").write_text(f'"{key}" = 1\n')
    runs = [
        run_cli("scan", ".", cwd=tmp_path),
        run_cli("scan", ".", "--format", "github", cwd=tmp_path),
        run_cli("scan", ".", env={"PYTHONIOENCODING": "ascii"}, cwd=tmp_path),
        run_cli("scan", "-", "--format", "json", stdin=f"MISTRAL_API_KEY={key}\n".encode()),
        run_cli("scan", "q.py", "--config", "bad.toml", cwd=tmp_path),
        run_cli("scan", "q.py", "--config", "key.toml", cwd=tmp_path),
        run_cli("scan", "q.py", "-o", "/dev/full", cwd=tmp_path),
    ]
    assert [run.code for run in runs] == [1, 1, 1, 1, 2, 2, 2]
    for run in runs:
        assert tail not in run.stdout and tail not in run.stderr
