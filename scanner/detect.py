"""The one detector path: prefilter -> regex -> secret group -> shape and context checks."""

from __future__ import annotations

from collections.abc import Sequence

from scanner.models import Finding, Fragment, fingerprint, redact, severity_rank, sha256_hex
from scanner.prefilter import KeywordPrefilter
from scanner.rules import Rule
from scanner.shape import is_embedded, is_templated, looks_like_mistral_key


class Detector:
    """Rules compiled once, a prefilter built once, applied to any number of fragments."""

    def __init__(self, rules: Sequence[Rule], engine: str = "auto") -> None:
        # Strongest rule first, so that when two rules claim one secret the stronger one wins.
        self.rules = tuple(sorted(rules, key=lambda r: (-severity_rank(r.severity), r.id)))
        self._prefilter = KeywordPrefilter(self.rules, engine)

    def may_match(self, data: bytes) -> bool:
        """False only when raw UTF-8 `data` certainly gives no finding: skip decoding it."""
        return self._prefilter.may_match(data)

    def detect(self, fragment: Fragment) -> list[Finding]:
        """All findings in one fragment, ordered by position then rule id."""
        text = fragment.text
        claimed: set[tuple[int, int]] = set()
        findings: list[Finding] = []
        for rule in self._prefilter.candidates(text):
            if not rule.applies_to(fragment.path):
                continue
            for match in rule.regex.finditer(text):
                start, end = match.span("secret")
                secret = match.group("secret")
                if not secret or (start, end) in claimed:
                    continue
                if rule.shape == "mistral-key" and not looks_like_mistral_key(secret):
                    continue
                if is_templated(text, start, end) or is_embedded(text, start, end):
                    continue
                if not _context_holds(rule, text, start):
                    continue
                claimed.add((start, end))
                findings.append(_finding(rule, fragment, start, end, secret))
        findings.sort(key=lambda f: (f.line, f.column, f.rule_id))
        return findings


def _context_holds(rule: Rule, text: str, position: int) -> bool:
    """True when the rule has no context pattern, or it matches near `position`."""
    if rule.context is None:
        return True
    if rule.context_lines == 0:
        return rule.context.search(text) is not None
    low = high = position
    for _ in range(rule.context_lines + 1):
        low = max(text.rfind("\n", 0, low), 0)
    for _ in range(rule.context_lines + 1):
        found = text.find("\n", high + 1)
        high = len(text) if found < 0 else found
    return rule.context.search(text, low, high) is not None


def _finding(rule: Rule, fragment: Fragment, start: int, end: int, secret: str) -> Finding:
    text = fragment.text
    line_start = text.rfind("\n", 0, start) + 1
    column = start - line_start + 1
    index = text.count("\n", 0, start)
    cell, cell_line = fragment.cell_of(index) or (None, None)
    return Finding(
        rule_id=rule.id,
        slug=rule.slug,
        title=rule.title,
        severity=rule.severity,
        path=fragment.path,
        line=fragment.file_line(index),
        column=column,
        end_column=column + (end - start),
        preview=redact(secret),
        secret_sha256=sha256_hex(secret),
        fingerprint=fingerprint(rule.id, fragment.path, secret),
        fix=rule.fix,
        cell=cell,
        cell_line=cell_line,
    )
