"""Property test of the whole CLI path, in-process: random mixtures of real snippets written to
a file, scanned by `scanner.cli.main` into a temp --output in every format. No exception, and
the same report (timings aside) every time."""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner.cli import main
from scanner.pipeline.run import FORMATS
from scanner.rules.loader import default_rules
from scanner.rules.check import fill, generate_fake_key

KEY = generate_fake_key()
SNIPPETS = [fill(e, KEY) for r in default_rules() for e in (*r.examples, *r.negative_examples)]
SEPARATORS = ["\n", " ", "\r\n", "", "\t", '"', "'", "=", "\\\n", "\ufeff", "\x00"]
NAMES = ["app.py", "config/settings.yaml", ".env", "src/client.ts", "web.config", "notes.md",
         "k8s/secret.yaml", "analysis.ipynb"]
CLI_EXAMPLES = 100
TIMINGS = re.compile(r'\d+\.\d+s\b|"seconds": [\d.]+|duration="[\d.]+"|time="[\d.]+"')


def run(directory: Path, fmt: str) -> tuple[int, str, str, str]:
    output = directory / f"report.{fmt}"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["scan", str(directory / "tree"), "--jobs", "1", "--no-color",
                     "--format", fmt, "--output", str(output), "--format", fmt])
    report = output.read_text(encoding="utf-8")
    return code, *(TIMINGS.sub("T", text) for text in (report, out.getvalue(), err.getvalue()))


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=CLI_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(files=st.lists(
    st.tuples(st.sampled_from(NAMES),
              st.lists(st.tuples(st.sampled_from(SNIPPETS), st.sampled_from(SEPARATORS)),
                       max_size=8)),
    min_size=1, max_size=4))
def test_cli_on_random_mixtures_of_real_snippets(fmt, files):
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        for path, parts in files:
            target = directory / "tree" / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("".join(s + sep for s, sep in parts), encoding="utf-8")
        first = run(directory, fmt)
        assert first[0] in (0, 1), first[3]
        assert run(directory, fmt) == first
        assert all(KEY[4:] not in text for text in first[1:])
