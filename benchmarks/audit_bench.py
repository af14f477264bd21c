"""Benchmark `mistral-guard audit` (a local Dask cluster) against a sequential loop of
`mistral-guard history` over the same mirrors.

    python benchmarks/audit_bench.py [--repos 200] [--workers N] [--dir DIR]

It generates `--repos` repositories of mixed sizes with `git fast-import` (most small, some
medium, a few large; keys generated at run time, so no key-shaped literal is stored here), runs
one audit into a fresh store and cache (clone + full-history scan + store), then runs
`mistral-guard history --repo MIRROR --format json` on every mirror the audit left, one after
the other (scan only: the loop is given the clones for free). It prints repositories per
minute for both, their ratio, and the audit's per-repository cost (seconds of worker time per
repository and per thousand commits) from which docs/AUDIT.md sizes larger audits.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scanner.rules.check import generate_fake_key

# (share of the repositories, commits, files touched per commit, lines per file)
SIZES = {"small": (0.70, 4, 4, 20), "medium": (0.25, 25, 10, 60), "large": (0.05, 120, 20, 120)}


def generate(path: Path, commits: int, files: int, lines: int, rnd: random.Random) -> int:
    """One repository; every third gets a key in some early commit. Returns its commit count."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    stream = bytearray()
    leak_at = rnd.randrange(commits) if rnd.random() < 1 / 3 else -1
    for number in range(commits):
        stream += (b"commit refs/heads/main\ncommitter Bench <b@example.invalid> %d +0000\n"
                   b"data 1\nc\n" % (1_650_000_000 + number * 86_400))
        for index in range(files):
            body = "\n".join(f"value_{number}_{index}_{n} = {rnd.random():.6f}"
                             for n in range(lines))
            if number == leak_at and index == 0:
                body += f'\nMISTRAL_API_KEY = "{generate_fake_key()}"'
            data = (body + "\n").encode()
            stream += b"M 100644 inline src/m%d.py\ndata %d\n%s\n" % (index, len(data), data)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=path, input=bytes(stream), check=True)
    return commits


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repos", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--dir", type=Path, default=None, help="work here (default: a temp dir)")
    args = parser.parse_args()
    work = args.dir or Path(tempfile.mkdtemp(prefix="mg-audit-bench-"))
    rnd = random.Random(18)
    repos, commits = [], 0
    kinds = list(SIZES)
    weights = [SIZES[k][0] for k in kinds]
    for index in range(args.repos):
        kind = rnd.choices(kinds, weights)[0]
        _, count, files, lines = SIZES[kind]
        path = work / "org" / f"{kind}-{index:04d}"
        commits += generate(path, count, files, lines, rnd)
        repos.append(str(path))
    print(f"{len(repos)} repositories, {commits} commits, in {work}")

    db, cache = work / "audit.db", work / "cache"
    started = time.perf_counter()
    audit = subprocess.run([sys.executable, "-m", "scanner", "audit", *repos, "--db", str(db),
                            "--cache", str(cache), "--workers", str(args.workers)],
                           capture_output=True, text=True)
    audit_seconds = time.perf_counter() - started
    if audit.returncode not in (0, 1):
        print(audit.stderr, file=sys.stderr)
        return 2
    with sqlite3.connect(db) as conn:
        worker_seconds, done = conn.execute(
            "SELECT sum(seconds), count(*) FROM repositories WHERE status = 'done'").fetchone()
        audit_findings = conn.execute("SELECT count(*) FROM findings").fetchone()[0]

    mirrors = sorted(str(p) for p in cache.glob("*.git"))
    started = time.perf_counter()
    loop_findings = 0
    for mirror in mirrors:
        run = subprocess.run([sys.executable, "-m", "scanner", "history", "--repo", mirror,
                              "--format", "json", "--jobs", "1"], capture_output=True, text=True)
        if run.returncode not in (0, 1):
            print(run.stderr, file=sys.stderr)
            return 2
        loop_findings += len(json.loads(run.stdout)["findings"])
    loop_seconds = time.perf_counter() - started

    audit_rate = done / audit_seconds * 60
    loop_rate = len(mirrors) / loop_seconds * 60
    print(f"audit ({args.workers} workers, clone + scan + store): {audit_seconds:.1f}s, "
          f"{audit_rate:.0f} repositories/min, {audit_findings} findings")
    print(f"sequential history loop (scan only): {loop_seconds:.1f}s, "
          f"{loop_rate:.0f} repositories/min, {loop_findings} findings")
    print(f"ratio audit/loop: {audit_rate / loop_rate:.2f}x")
    print(f"audit worker time: {worker_seconds / done:.3f}s per repository, "
          f"{worker_seconds / commits * 1000:.1f}s per 1000 commits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
