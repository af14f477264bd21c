"""Shape checks: is a matched string really a Mistral-style key, or a look-alike?

A Mistral API key is 32 characters of [A-Za-z0-9] with no prefix, so precision comes from
context (the rules) and from rejecting what cannot be a random key: hex digests, UUIDs
without dashes, repeated or sequential runs, words and placeholders.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from itertools import pairwise

KEY_LENGTH = 32
_KEY_ALPHABET = re.compile(r"[A-Za-z0-9]{32}\Z")
_HEX = re.compile(r"(?:[0-9a-f]+|[0-9A-F]+)\Z")
PLACEHOLDER_WORDS = (
    "your", "example", "sample", "xxxx", "changeme", "dummy", "fake", "placeholder",
    "redacted", "insert", "replace", "apikey", "mistral", "test",
)
MIN_ENTROPY = 3.5
RUN_LENGTH = 6


def shannon_entropy(text: str) -> float:
    counts = Counter(text)
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _has_run(text: str) -> bool:
    """True when RUN_LENGTH characters repeat or step by one (aaaaaa, abcdef, 654321)."""
    codes = [ord(c) for c in text]
    for step in (0, 1, -1):
        run = 1
        for previous, current in pairwise(codes):
            run = run + 1 if current - previous == step else 1
            if run >= RUN_LENGTH:
                return True
    return False


def _reads_like_identifier(text: str) -> bool:
    """Letters only with few capitals: camelCase words, not a random key."""
    return text.isalpha() and sum(c.isupper() for c in text) <= len(text) // 4


def is_placeholder(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in PLACEHOLDER_WORDS)


def looks_like_mistral_key(candidate: str) -> bool:
    """True when `candidate` has the shape of a real, random Mistral key."""
    return (
        _KEY_ALPHABET.match(candidate) is not None
        and _HEX.match(candidate) is None
        and not _reads_like_identifier(candidate)
        and any(c.isupper() for c in candidate)
        and any(c.islower() for c in candidate)
        and not is_placeholder(candidate)
        and not _has_run(candidate)
        and shannon_entropy(candidate) >= MIN_ENTROPY
    )


_WRAPPERS = {"<": ">", "{": "}", "%": "%", "[": "]"}


def is_templated(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is a template slot: `$X`, `<X>`, `{X}`, `%X%`, `[X]`."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return before == "$" or (before in _WRAPPERS and _WRAPPERS[before] == after)


_BASE64_TAIL = frozenset("+/=")


def is_embedded(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is a slice of a longer base64 token (`+`, `/`, `=` touch it)."""
    before = text[start - 1] if start > 0 else ""
    after = text[end] if end < len(text) else ""
    return after in _BASE64_TAIL or before in ("+", "/")


def is_code_reference(text: str, start: int, end: int) -> bool:
    """True when text[start:end] is a name in code, not a value: an attribute reached through
    a name (`models.AgentsAPIV1AgentsGetVersion1`, a generated SDK's type) or a function called
    (`Name(`). A key is written in quotes, after an operator, or in prose, never so."""
    before = text[max(start - 2, 0):start]
    after = text[end:end + 1]
    return (len(before) == 2 and before[1] == "." and (before[0].isalnum() or before[0] == "_")) \
        or after == "("
