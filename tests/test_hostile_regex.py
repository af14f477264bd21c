"""Issue 16 item 1: rule patterns and merged candidate windows stay linear on hostile lines
(the reproduction took 33 s for 97 KB before every repetition in the rules was bounded and the
detector's windows were capped; the budget is 2 s per MB)."""

from __future__ import annotations

import time

import pytest

from scanner.rules.check import generate_fake_key
from tests.conftest import run_cli

SECONDS_PER_MB = 2.0
STARTUP_SECONDS = 1.0  # the interpreter and the rules, whatever the input


def _hostile_line(size: int) -> str:
    """Runs of `mistral-` each followed by a key-shaped token and `-`, about `size` chars."""
    parts = []
    while sum(map(len, parts)) < size:
        parts.append("mistral-" * 300 + generate_fake_key() + "-")
    return "".join(parts)


@pytest.mark.parametrize("first_line", ["api_key: x", "[mistral]"])
def test_keyword_runs_with_tokens_scan_in_linear_time(tmp_path, first_line):
    text = f"{first_line}\n{_hostile_line(97_000)}\n"
    (tmp_path / "config.yaml").write_text(text)
    started = time.perf_counter()
    result = run_cli("scan", "config.yaml", cwd=tmp_path)
    seconds = time.perf_counter() - started
    assert result.code in (0, 1) and "Traceback" not in result.stderr
    assert seconds < STARTUP_SECONDS + SECONDS_PER_MB * len(text) / 1e6, seconds
