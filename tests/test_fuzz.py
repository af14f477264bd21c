"""Property-based tests: random bytes and random mixtures of real snippets never crash the
detector or a reporter, and give the same output every time."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scanner import __version__
from scanner.engine.detector import Detector
from scanner.models import Fragment, Stats
from scanner.models import RuleDoc
from scanner.report import github, gitlab, junit, sarif
from scanner.report import json as json_report
from scanner.report import text as text_report
from scanner.rules.loader import default_rules
from scanner.rules.check import fill, generate_fake_key
from scanner.sources.files import decode

DETECTOR = Detector(default_rules())
KEY = generate_fake_key()
SNIPPETS = [fill(e, KEY) for r in default_rules() for e in (*r.examples, *r.negative_examples)]
SEPARATORS = ["\n", " ", "\r\n", "", "\t", '"', "'", "=", "\\\n", "\x00", "\ufeff"]
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


RULE_DOCS = [RuleDoc(id=r.id, slug=r.slug, title=r.title, severity=r.severity, what=r.what,
                     why=r.why, fix=r.fix, help_uri=f"https://example.invalid/#{r.id.lower()}",
                     references=r.references) for r in default_rules()]


def render_all(findings) -> list[str]:
    """Every reporter's view of the findings."""
    stats = Stats(files=1, bytes=0, commits=0, seconds=0.0)
    return [
        json_report.render(findings, stats, __version__),
        text_report.render(findings, stats),
        sarif.render(findings, RULE_DOCS, __version__),
        gitlab.render(findings, RULE_DOCS, __version__),
        github.render(findings),
        junit.render(findings),
    ]


def check(text: str) -> None:
    fragment = Fragment("fuzz.txt", text)
    first = DETECTOR.detect(fragment)
    assert DETECTOR.detect(fragment) == first
    line_count = text.count("\n") + 1
    for finding in first:
        assert 1 <= finding.line <= line_count and finding.column >= 1
        assert len(finding.preview) == 5 and finding.preview.endswith("…")
    reports = render_all(first)
    assert render_all(first) == reports
    assert all(KEY not in report for report in reports)


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes(data):
    text = decode(data)
    if text is not None:
        check(text)


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(SNIPPETS), st.sampled_from(SEPARATORS)), max_size=12))
def test_random_mixtures_of_real_snippets(parts):
    check("".join(snippet + separator for snippet, separator in parts))


@FUZZ
@given(st.text(max_size=2048))
def test_random_unicode_text(text):
    check(text)
