"""Run one mistral-guard command with the bytes gate on one engine; print the CPU it took.

    python benchmarks/gate_engine.py python|hyperscan|default history --jobs 1

`python` never switches to hyperscan, `hyperscan` uses it from the first byte (tree) or
blob (history, where it is the default when installed). The command's own output is
discarded; the line printed gives its exit code, wall time, the CPU of this process and of
its children (git, workers) and the load average, for docs/PERFORMANCE.md.
"""

from __future__ import annotations

import os
import resource
import sys
import time

import scanner.engine.prefilter as prefilter

engine, args = sys.argv[1], sys.argv[2:]
if engine == "python":
    prefilter.SIMD_AFTER_BYTES = 1 << 62
    prefilter.simd_available = lambda: False  # history asks this before choosing
elif engine == "hyperscan":
    prefilter.SIMD_AFTER_BYTES = 0

from scanner.cli import main  # noqa: E402 - after the engine is chosen

started = time.perf_counter()
saved = os.dup(1), os.dup(2)
quiet = os.open(os.devnull, os.O_WRONLY)
os.dup2(quiet, 1)
os.dup2(quiet, 2)
code = main(args)
sys.stdout.flush()
sys.stderr.flush()
os.dup2(saved[0], 1)
os.dup2(saved[1], 2)
wall = time.perf_counter() - started
own = resource.getrusage(resource.RUSAGE_SELF)
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{engine} {' '.join(args)}: exit {code}, wall {wall:.2f} s, "
      f"CPU here {own.ru_utime + own.ru_stime:.2f} s, "
      f"children {children.ru_utime + children.ru_stime:.2f} s, load {os.getloadavg()[0]:.1f}")
