"""Awkward files: huge, single-line, UTF-16 without BOM, unreadable folders, vanishing files.

Each is scanned, or skipped with a counted warning: never a crash.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from scanner.engine.detector import Detector
from scanner.models import Fragment
from scanner.rules.loader import default_rules
from scanner.pipeline.fragments import scan_fragments
from scanner.rules.check import generate_fake_key
from scanner.sources.files import PIECE_CHARS, FileSource, pieces
from tests.conftest import run_cli, unprivileged_prefix

FILLER = b"const value = compute(alpha, beta) + gamma; // filler text line\n"
MiB = 1024 * 1024


def leak(key: str) -> str:
    return f'MISTRAL_API_KEY="{key}"\n'


def scan_json(path, *args):
    result = run_cli("scan", str(path), "--format", "json", *args)
    return result, json.loads(result.stdout) if result.stdout.strip() else None


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector(default_rules())


def positions(findings) -> list[tuple[int, int, int, str]]:
    return [(f.line, f.column, f.end_column, f.rule_id) for f in findings]


def streamed(text: str, detector: Detector, size: int, overlap: int):
    """Findings of `text` cut by `pieces` into small overlapping pieces."""
    fragments = [Fragment("big.env", piece, line, start_column=column, continued=index > 0)
                 for index, (piece, line, column) in
                 enumerate(pieces(iter([text[i:i + 1000] for i in range(0, len(text), 1000)]),
                                  size, overlap))]
    result = scan_fragments(fragments, detector)
    assert result.stats.files == 1
    return result.findings


@pytest.mark.parametrize("shift", range(0, 64, 7))
def test_pieces_find_every_key_once_at_its_place(detector, shift):
    # Small pieces, keys at every offset relative to the cuts: same findings as the whole text.
    lines = []
    for number in range(400):
        if number % 13 == 5:
            lines.append("x" * ((number + shift) % 50) + leak(generate_fake_key()).rstrip("\n"))
        else:
            lines.append(f"line {number} of filler, nothing secret here")
    text = "\n".join(lines) + "\n"
    whole = detector.detect(Fragment("big.env", text))
    assert len(whole) == 31
    assert positions(streamed(text, detector, 2048, 512)) == positions(whole)


def test_pieces_of_one_long_line_keep_columns(detector):
    # A minified bundle: no line end to cut at, keys right across where cuts would fall.
    parts = []
    for number in range(40):
        parts.append("var a%d=function(b){return b+1};" % number * 7)
        parts.append(f'e.MISTRAL_API_KEY="{generate_fake_key()}";')
    text = "".join(parts)
    whole = detector.detect(Fragment("bundle.min.js", text))
    assert len(whole) == 40
    assert positions(streamed(text, detector, 2048, 512)) == positions(whole)


def test_pieces_of_a_token_run_without_breaks_are_not_keys(detector):
    text = "A1" * 40_000 + "\n"
    assert streamed(text, detector, 2048, 512) == []


def test_one_gigabyte_file_is_streamed_with_bounded_memory(tmp_path):
    # 1 GiB of filler written in 16 MiB blocks, with keys inside blocks and on the line that
    # straddles the first piece's end; the scan runs in a wrapper that reports its child's
    # peak RSS.
    block = FILLER * (16 * MiB // len(FILLER))
    keys = [generate_fake_key() for _ in range(3)]
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.write(block[:PIECE_CHARS - 10])
        handle.write(leak(keys[0]).encode())  # line 1 ends near PIECE_CHARS: a cut falls here
        for number in range(64):
            handle.write(block)
            if number in (20, 50):
                handle.write(leak(keys[1 if number == 20 else 2]).encode())
    assert big.stat().st_size > 1024 * MiB
    lines_per_block = len(block) // len(FILLER)
    first = (PIECE_CHARS - 10) // len(FILLER) + 1
    expected_lines = [first, first + 21 * lines_per_block + 1, first + 51 * lines_per_block + 2]
    wrapper = ("import resource, subprocess, sys\n"
               "proc = subprocess.run(sys.argv[1:], capture_output=True)\n"
               "sys.stdout.buffer.write(proc.stdout)\n"
               "print(proc.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
               " file=sys.stderr)\n")
    proc = subprocess.run(
        [sys.executable, "-c", wrapper, sys.executable, "-m", "scanner", "scan", str(big),
         "--max-file-size", "0", "--format", "json"],
        capture_output=True, timeout=300, check=True)
    code, peak_kib = map(int, proc.stderr.split())
    report = json.loads(proc.stdout)
    assert code == 1
    columns = [(PIECE_CHARS - 10) % len(FILLER) + 18, 18, 18]
    assert [(f["line"], f["column"]) for f in report["findings"]] == list(
        zip(expected_lines, columns))
    assert report["stats"]["files"] == 1
    assert peak_kib < 200 * 1024, f"peak RSS {peak_kib} KiB"


def test_default_limit_still_skips_large_files(tmp_path, key):
    (tmp_path / "big.txt").write_bytes(FILLER * (11 * MiB // len(FILLER)) + leak(key).encode())
    result, report = scan_json(tmp_path)
    assert result.code == 0 and "skipped 1 file (too large): big.txt" in result.stderr
    result, report = scan_json(tmp_path, "--max-file-size", "0")
    assert result.code == 1 and len(report["findings"]) == 1


def test_ten_megabyte_single_line_bundle(tmp_path, key):
    chunk = "function(a,b){return a.map(function(c){return c*b})};var q=[1,2,3];"
    body = chunk * (5_000_000 // len(chunk))
    prefix = 'var k="MISTRAL_API_KEY='
    (tmp_path / "app.min.js").write_text(body + prefix + key + '";' + body)
    result, report = scan_json(tmp_path)
    assert result.code == 1
    (finding,) = report["findings"]
    assert (finding["line"], finding["column"]) == (1, len(body) + len(prefix) + 1)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_decoded(tmp_path, key, encoding):
    ps1 = f'# deploy settings\r\n$env:MISTRAL_API_KEY = "{key}"\r\n'
    config = ('<?xml version="1.0" encoding="utf-16"?>\r\n<configuration><appSettings>\r\n'
              f'<add key="Mistral:ApiKey" value="{key}" />\r\n</appSettings></configuration>\r\n')
    (tmp_path / "deploy.ps1").write_bytes(ps1.encode(encoding))
    (tmp_path / "app.config").write_bytes(config.encode(encoding))
    result, report = scan_json(tmp_path)
    assert result.code == 1, result.stderr
    assert sorted((f["path"], f["line"]) for f in report["findings"]) == [
        ("app.config", 3), ("deploy.ps1", 2)]
    assert "binary" not in result.stderr


def test_binary_with_nuls_everywhere_is_still_binary(tmp_path, key):
    (tmp_path / "blob.bin").write_bytes(b"\0\0\x01\x02" * 100 + leak(key).encode())
    result, _ = scan_json(tmp_path)
    assert result.code == 0 and "skipped 1 file (binary): blob.bin" in result.stderr


def test_permission_denied_folder_is_skipped_and_counted(tmp_path, key):
    # Root reads through permission bits; `setpriv` runs the scan without that capability.
    for name in ("locked", "open"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "app.py").write_text(leak(key))
    prefix = unprivileged_prefix()
    (tmp_path / "locked").chmod(0)
    try:
        proc = subprocess.run([*prefix, sys.executable, "-m", "scanner", "scan", str(tmp_path),
                               "--format", "json"], capture_output=True, text=True, timeout=120,
                              env={**os.environ, "NO_COLOR": "1"})
    finally:
        (tmp_path / "locked").chmod(0o755)
    report = json.loads(proc.stdout)
    assert proc.returncode == 1, proc.stderr
    assert [f["path"] for f in report["findings"]] == ["open/app.py"]
    assert "skipped 1 folder (permission denied): locked/" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_files_deleted_between_listing_and_reading(tmp_path, key):
    # The walk lists every file first; some vanish (or lose their symlink target) before
    # they are read.
    for number in range(20):
        (tmp_path / f"f{number:02}.py").write_text(leak(key))
    (tmp_path / "target.py").write_text(leak(key))
    (tmp_path / "link.py").symlink_to(tmp_path / "target.py")
    source = FileSource((str(tmp_path),))
    listed = list(source.files())
    for number in range(0, 20, 3):
        (tmp_path / f"f{number:02}.py").unlink()
    (tmp_path / "target.py").unlink()
    fragments = list(source.fragments(listed))
    assert sorted(f.path for f in fragments) == sorted(
        f"f{n:02}.py" for n in range(20) if n % 3)
    reasons = sorted((s.path, s.reason) for s in source.skipped)
    assert reasons == sorted([("link.py", "broken symlink"), ("target.py", "no such file or directory")]
                             + [(f"f{n:02}.py", "no such file or directory")
                                for n in range(0, 20, 3)])


def test_files_deleted_while_the_cli_scans(tmp_path, key):
    # A background process deletes files while the real CLI walks a large tree: whatever the
    # timing, the run ends with findings or counted skips, never a traceback.
    for folder in range(20):
        (tmp_path / f"d{folder:02}").mkdir()
        for number in range(100):
            (tmp_path / f"d{folder:02}" / f"f{number:03}.py").write_text(leak(key))
    deleter = subprocess.Popen([sys.executable, "-c", (
        "import os, sys\n"
        "for folder in sorted(os.listdir(sys.argv[1]), reverse=True):\n"
        "    for name in os.listdir(os.path.join(sys.argv[1], folder)):\n"
        "        os.unlink(os.path.join(sys.argv[1], folder, name))\n"), str(tmp_path)])
    try:
        result, report = scan_json(tmp_path, "--verbose")
    finally:
        deleter.wait(timeout=60)
    assert result.code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    # Every file holds one key: each file read gives one finding, the rest were never listed
    # or are named as skipped.
    assert report["stats"]["files"] == len(report["findings"]) <= 2000


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_device_files_are_skipped_and_named(tmp_path, key):
    # A symlink to an endless device would hang a reader that does not check the file type.
    (tmp_path / "zero").symlink_to("/dev/zero")
    (tmp_path / "null").symlink_to("/dev/null")
    (tmp_path / "app.py").write_text(leak(key))
    result, report = scan_json(tmp_path)
    assert result.code == 1 and [f["path"] for f in report["findings"]] == ["app.py"]
    assert "skipped 2 files (not a regular file): null, zero" in result.stderr
