"""Inline suppression comments: ours, other scanners', next-line forms, CRLF, visibility."""

from __future__ import annotations

import json

import pytest

from scanner.suppress.inline import split_inline_allowed
from scanner.engine.detector import Detector
from scanner.models import Fragment
from scanner.rules.loader import default_rules
from tests.conftest import run_cli

DETECTOR = Detector(default_rules())


def split(text: str, foreign: bool = True):
    fragment = Fragment("a.py", text)
    return split_inline_allowed(fragment, DETECTOR.detect(fragment), foreign)


@pytest.mark.parametrize("comment, expected", [
    ("# mistral-guard: allow", "`mistral-guard: allow` on its line"),
    ("# mistral-guard:allow[MG001]", "`mistral-guard: allow[MG001]` on its line"),
    ("# mistral-guard: allow[MG003, mg001]", "`mistral-guard: allow[MG003,MG001]` on its line"),
    ("# gitleaks:allow", "`gitleaks:allow` on its line"),
    ("# pragma: allowlist secret", "`pragma: allowlist secret` on its line"),
    ("# trufflehog:ignore", "`trufflehog:ignore` on its line"),
    ("# kingfisher:ignore", "`kingfisher:ignore` on its line"),
    ("# ggignore", "`ggignore` on its line"),
])
def test_same_line_comments_suppress_and_say_which(key, comment, expected):
    kept, suppressed = split(f'MISTRAL_API_KEY = "{key}"  {comment}\n')
    assert kept == []
    assert [s.by for s in suppressed] == [f"inline comment {expected}"]


@pytest.mark.parametrize("comment", [
    "# mistral-guard: allow-next-line",
    "# mistral-guard: allow-next-line[MG001]",
    "# pragma: allowlist nextline secret",
])
def test_next_line_comments_cover_only_the_next_line(key, comment):
    kept, suppressed = split(f'{comment}\nMISTRAL_API_KEY = "{key}"\nMISTRAL_API_KEY = "{key}"\n')
    assert [f.line for f in kept] == [3]
    assert [s.finding.line for s in suppressed] == [2]
    assert "on the line above" in suppressed[0].by


@pytest.mark.parametrize("text", [
    'MISTRAL_API_KEY = "{key}"  # mistral-guard: allow[MG003]',      # another rule
    'MISTRAL_API_KEY = "{key}"  # mistral-guard: allow[whatever]',   # not a rule id
    'MISTRAL_API_KEY = "{key}"  # mistral-guard: allow-next-line',   # next line only
    '# mistral-guard: allow\nMISTRAL_API_KEY = "{key}"',              # same line only
    '# gitleaks:allow\nMISTRAL_API_KEY = "{key}"',
    'MISTRAL_API_KEY = "{key}"  # pragma: allowlist nextline secret',
    'MISTRAL_API_KEY = "{key}"  # mistral-guard: allowed',
])
def test_comments_that_do_not_cover_the_finding(key, text):
    kept, suppressed = split(text.format(key=key) + "\n")
    assert len(kept) == 1 and suppressed == []


def test_foreign_comments_can_be_turned_off(key):
    kept, suppressed = split(f'MISTRAL_API_KEY = "{key}"  # gitleaks:allow\n', foreign=False)
    assert len(kept) == 1 and suppressed == []
    kept, suppressed = split(f'MISTRAL_API_KEY = "{key}"  # mistral-guard: allow\n', foreign=False)
    assert kept == [] and len(suppressed) == 1


def test_crlf_file_with_comments(tmp_path, key):
    (tmp_path / "a.env").write_bytes(
        (f"# mistral-guard: allow-next-line\r\nMISTRAL_API_KEY={key}\r\n"
         f"MISTRAL_API_KEY={key} # gitleaks:allow\r\nMISTRAL_API_KEY={key}\r\n").encode())
    result = run_cli("scan", str(tmp_path), "--format", "json", "--show-suppressed")
    report = json.loads(result.stdout)
    assert result.code == 1
    assert [f["line"] for f in report["findings"]] == [4]
    assert [s["line"] for s in report["suppressed"]] == [2, 3]
    assert report["stats"]["suppressed"] == 2


def test_cli_no_foreign_ignores_and_show_suppressed(tmp_path, key):
    (tmp_path / "a.py").write_text(f'MISTRAL_API_KEY = "{key}"  # trufflehog:ignore\n')
    quiet = run_cli("scan", str(tmp_path))
    assert quiet.code == 0 and quiet.stdout.strip().endswith(", 1 suppressed")
    assert "trufflehog" not in quiet.stdout
    shown = run_cli("scan", str(tmp_path), "--show-suppressed")
    assert shown.code == 0
    assert (f"a.py:1:20  MG001  {key[:4]}…  by inline comment `trufflehog:ignore` on its line"
            in shown.stdout)
    strict = run_cli("scan", str(tmp_path), "--no-foreign-ignores")
    assert strict.code == 1 and strict.stdout.strip().endswith(", 0 suppressed")
    for result in (quiet, shown, strict):
        assert key not in result.stdout + result.stderr
