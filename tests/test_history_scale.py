"""`mistral-guard history` (and `staged`) at scale: huge blobs are streamed with bounded memory,
and the whole report is the same for any number of jobs, forked or spawned workers."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from scanner.pipeline import workers
from scanner.pipeline.history import CHUNK_BLOBS
from scanner.rules.check import generate_fake_key
from scanner.sources.files import PIECE_CHARS, STREAM_AFTER_BYTES
from tests.conftest import run_cli
from tests.gitrepo import Repo, leak

FILLER = b"const value = compute(alpha, beta) + gamma; // filler text line\n"
MiB = 1024 * 1024

# Runs argv, prints its stdout, and on stderr its exit code and the peak RSS (KiB) of the
# largest process of its tree that was waited for (the scanner and its git readers).
_PEAK = ("import resource, subprocess, sys\n"
         "proc = subprocess.run(sys.argv[1:], capture_output=True)\n"
         "sys.stdout.buffer.write(proc.stdout)\n"
         "print(proc.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,"
         " file=sys.stderr)\n")


def test_huge_blob_is_streamed_with_bounded_memory(tmp_path):
    # 320 MiB of text in one blob: held whole (bytes, buffer, text) it would take over 1 GiB.
    block = FILLER * (16 * MiB // len(FILLER))
    keys = [leak(generate_fake_key()).encode() for _ in range(3)]
    repo = Repo(tmp_path / "repo")
    # Line 1 ends near PIECE_CHARS, so a cut falls in the first key's line.
    parts = [block[:PIECE_CHARS - 10], keys[0], *[block] * 8, keys[1], *[block] * 12, keys[2]]
    with open(repo.path / "big.txt", "wb") as handle:
        handle.writelines(parts)
    repo.git("-c", "core.compression=1", "add", "big.txt")
    repo.git("commit", "-q", "-m", "huge")
    lines_per_block = len(block) // len(FILLER)
    first = (PIECE_CHARS - 10) // len(FILLER) + 1
    proc = subprocess.run(
        [sys.executable, "-c", _PEAK, sys.executable, "-m", "scanner", "history", "--jobs", "1",
         "--max-file-size", "0", "--format", "json"],
        cwd=repo.path, capture_output=True, timeout=300, check=True)
    code, peak_kib = map(int, proc.stderr.split())
    report = json.loads(proc.stdout)
    assert code == 1
    assert [(f["path"], f["line"]) for f in report["findings"]] == [
        ("big.txt", first), ("big.txt", first + 8 * lines_per_block + 1),
        ("big.txt", first + 20 * lines_per_block + 2)]
    assert report["stats"]["files"] == 1
    assert peak_kib < 200 * 1024, f"peak RSS {peak_kib} KiB"


def test_large_staged_blob_is_streamed(tmp_path, key):
    repo = Repo(tmp_path / "repo")
    lines = (STREAM_AFTER_BYTES + MiB) // len(FILLER)
    repo.write("big.txt", FILLER * lines + leak(key).encode())
    repo.git("add", "big.txt")
    result = run_cli("staged", "--max-file-size", "0", "--format", "json", cwd=repo.path)
    assert result.code == 1, result.stderr
    assert [(f["path"], f["line"]) for f in json.loads(result.stdout)["findings"]] == [
        ("big.txt", lines + 1)]


def test_large_binary_blob_is_skipped_and_the_next_blobs_still_read(tmp_path, key):
    repo = Repo(tmp_path / "repo")
    repo.write("a.bin", bytes(range(256)) * (STREAM_AFTER_BYTES // 256 + 1))
    repo.write("b.py", leak(key))
    repo.git("add", "-A")
    repo.git("commit", "-q", "-m", "binary and text")
    result = run_cli("history", "--max-file-size", "0", "--format", "json", cwd=repo.path)
    assert result.code == 1, result.stderr
    assert [f["path"] for f in json.loads(result.stdout)["findings"]] == ["b.py"]
    assert "skipped 1 file (binary): a.bin" in result.stderr


def test_whole_report_is_identical_for_any_number_of_jobs(tmp_path):
    """Findings, inline-suppressed findings, counts and the skipped list (binary, too large),
    over several chunks and a streamed blob, with 1, 2 and 3 jobs."""
    rnd = random.Random(3)
    repo = Repo(tmp_path / "many")
    for batch in range(3):
        files = {}
        for number in range(CHUNK_BLOBS // 2):
            text = f"value = {batch * 1000 + number}\n"
            if rnd.random() < 0.03:
                text += leak(generate_fake_key())
            if rnd.random() < 0.02:
                text += leak(generate_fake_key()).rstrip("\n") + "  # mistral-guard: allow\n"
            files[f"pkg{batch}/mod{number}.py"] = text
        for number in range(3):
            repo.write(f"img{batch}/pic{number}.png", bytes([0, batch, number]) * 100)
        repo.write(f"big{batch}.txt", FILLER * ((STREAM_AFTER_BYTES + MiB) // len(FILLER))
                   + leak(generate_fake_key()).encode())
        repo.write(f"huge{batch}.txt", b"%d" % batch * (13 * MiB))
        repo.commit(f"batch {batch}", **files)
    reports = []
    for jobs in ("1", "2", "3"):
        result = run_cli("history", "--jobs", jobs, "--max-file-size", "12MB", "--format",
                         "json", "--show-suppressed", cwd=repo.path)
        assert result.code == 1, result.stderr
        report = json.loads(result.stdout)
        del report["stats"]["seconds"]
        reports.append((report, result.stderr))
    report, stderr = reports[0]
    assert len(report["findings"]) > 10 and report["stats"]["suppressed"] > 3
    assert "skipped 3 files (too large)" in stderr and "skipped 9 files (binary)" in stderr
    assert all(other == reports[0] for other in reports[1:])


def many_files(repo: Repo) -> Repo:
    """One commit of 2.5 chunks of small files, one in 101 with a key."""
    files = {f"m{number}.py": f"value = {number}\n" + (leak(generate_fake_key())
                                                        if number % 101 == 0 else "")
             for number in range(CHUNK_BLOBS * 5 // 2)}
    repo.commit("many", **files)
    return repo


@pytest.fixture(scope="module")
def three_chunks(tmp_path_factory) -> Repo:
    return many_files(Repo(tmp_path_factory.mktemp("chunks") / "repo"))


def _scan(repo: Repo, jobs: int) -> tuple:
    from scanner.pipeline.run import ReportOptions
    from scanner.pipeline.history import scan_blobs
    from scanner.sources import git

    repository = git.Repository.open(str(repo.path))
    listing = git.BlobListing(repository, git.all_refs(repository, False))
    scanned = scan_blobs(repository.root, listing.blobs(),
                         ReportOptions(root=repository.root), jobs)
    return scanned.hits, scanned.skipped, scanned.suppressed, scanned.stats


def test_spawned_history_workers_give_the_same_result(three_chunks, monkeypatch):
    reference = _scan(three_chunks, 1)
    assert len(reference[0]) == 13
    assert _scan(three_chunks, 2) == reference  # forked on Linux
    monkeypatch.setattr(workers, "START_METHOD", "spawn")  # the default off Linux
    assert _scan(three_chunks, 2) == reference


def test_error_in_a_worker_ends_the_scan_with_its_message(tmp_path):
    repo = many_files(Repo(tmp_path / "repo"))
    blobs = [line.split()[0] for line in repo.git("rev-list", "--objects", "--all").splitlines()
             if line.endswith(".py")]
    victim = blobs[CHUNK_BLOBS + 100]  # read by a worker, in the second chunk
    loose = repo.path / ".git" / "objects" / victim[:2] / victim[2:]
    loose.chmod(0o644)
    loose.write_bytes(zlib.compress(b"blob 999\0shorter than its header says"))
    result = run_cli("history", "--jobs", "2", cwd=repo.path)
    assert result.code == 2, result.stderr
    assert "corrupt" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork on Linux")
def test_forked_worker_holds_none_of_the_parents_pipes():
    read_end, write_end = os.pipe()
    try:
        (held,) = workers.ordered([None], _descriptors, None, 1)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert read_end not in held and write_end not in held
    assert set(held) >= {0, 1, 2} and len(held) <= 6  # stdio, its two pipes, the listing itself


@contextmanager
def _descriptors(_state: None) -> Iterator:
    yield lambda _task: [int(fd) for fd in os.listdir("/proc/self/fd")]
