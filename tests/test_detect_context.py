"""Context windows: each match is judged by the text near it, even when verdicts are reused."""

from __future__ import annotations

from scanner.engine.detector import Detector
from scanner.models import Fragment
from scanner.rules.loader import parse_rule

RAW = {
    "id": "MG902", "slug": "ctx", "title": "t", "severity": "low", "keywords": ["flag"],
    "shape": "any", "pattern": r"(?P<secret>flag\d)", "context": "ACME", "context_lines": 1,
    "fix": "f", "what": "w", "why": "y", "example": "e", "use_instead": "u",
    "references": ["https://docs.mistral.ai/"], "examples": ["ACME flag1"],
    "negative_examples": ["flag1"],
}


def test_each_match_uses_its_own_window():
    rule = parse_rule(RAW, "test.toml")
    text = "ACME flag1 flag2\n\n\n\nflag3 flag4\n\n\n\nflag5\nACME\n"
    found = [f.preview for f in Detector([rule]).detect(Fragment("a.txt", text))]
    assert found == ["flag…", "flag…", "flag…"]
    lines = [f.line for f in Detector([rule]).detect(Fragment("a.txt", text))]
    assert lines == [1, 1, 9]


def test_whole_file_context_applies_to_every_match():
    rule = parse_rule({**RAW, "context_lines": 0}, "test.toml")
    text = "flag1\n" * 50 + "ACME\n"
    assert len(Detector([rule]).detect(Fragment("a.txt", text))) == 50
    assert Detector([rule]).detect(Fragment("a.txt", "flag1\n" * 50)) == []
