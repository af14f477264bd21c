"""The key a finding points at, read again from the file and checked against the scan."""

from __future__ import annotations

import re

from scanner.fix.languages import Unfixable
from scanner.models import Finding, sha256_hex

KEY_SHAPE = re.compile(r"[A-Za-z0-9]{32}")  # a Mistral or Codestral API key, whole
CODESTRAL_RULES = frozenset({"MG004", "MG006", "MG007"})


class SpanMismatch(Exception):
    """The text at the finding's place is not the key that was scanned; the message says why."""


def key_at(line: str, finding: Finding) -> tuple[int, int, str]:
    """(start, end, key): the finding's span in `line` (its own line, no line ending),
    checked to hash to the finding's `secret_sha256` and to have a key's shape."""
    start, end = finding.column - 1, finding.end_column - 1
    text = line[start:end]
    if sha256_hex(text) != finding.secret_sha256:
        raise SpanMismatch("changed since the scan: not touched")
    if not KEY_SHAPE.fullmatch(text):
        raise Unfixable("the finding is not a key literal: fix it by hand")
    return start, end, text


def variable_for(finding: Finding, line: str) -> str:
    """The environment variable the key should come from."""
    if finding.rule_id in CODESTRAL_RULES or "codestral" in line.lower():
        return "CODESTRAL_API_KEY"
    return "MISTRAL_API_KEY"
