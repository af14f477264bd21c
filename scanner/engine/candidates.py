"""Candidates: every token in a text with the shape of a Mistral key.

A Mistral key is 32 letters and digits with no prefix, so any such token may be one. This
module only finds them (fast); whether one is reported is for the evidence around it
(scanner.engine.evidence) and the decision (scanner.engine.decide).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scanner.engine.shape import (
    KEY_LENGTH,
    is_code_reference,
    is_embedded,
    is_templated,
    looks_like_mistral_key,
)

# A whole token: 32 letters or digits with no letter or digit touching either end.
KEY_TOKEN = re.compile(rf"(?<![A-Za-z0-9])[A-Za-z0-9]{{{KEY_LENGTH}}}(?![A-Za-z0-9])")
# Letters and digits become "a": a run of KEY_LENGTH "a"s marks where a key-shaped token may be,
# found with bytes.find far faster than a regex over the whole text.
_ALNUM = bytes(code for code in range(128) if chr(code).isalnum())  # ASCII letters, digits
_ALNUM_TO_A = bytes.maketrans(_ALNUM, b"a" * len(_ALNUM))
_ALNUM_RUN = b"a" * KEY_LENGTH


def key_tokens(text: str) -> Iterator[re.Match[str]]:
    """Every key-shaped token of `text` (32 letters and digits, nothing alike touching it)."""
    runs = text.encode("ascii", "replace").translate(_ALNUM_TO_A)  # one byte per character
    position = 0
    while (hit := runs.find(_ALNUM_RUN, position)) >= 0:
        line_end = text.find("\n", hit)
        line_end = len(text) if line_end < 0 else line_end
        yield from KEY_TOKEN.finditer(text, hit, line_end)
        position = line_end + 1


def has_key_run(data: bytes) -> bool:
    """True when raw bytes hold a run of KEY_LENGTH ASCII letters and digits (a cheap first
    test before decoding a file that only its project's manifests tie to Mistral)."""
    return _ALNUM_RUN in data.translate(_ALNUM_TO_A)


def candidates(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, token) of every token that may be a key: the shape of a random key, not a
    template slot (`{KEY}`, `$KEY`), not a slice of a longer base64 string, not a name in code
    (`module.Name`, `Name(`)."""
    for match in key_tokens(text):
        token = match.group()
        start, end = match.span()
        if looks_like_mistral_key(token) and not is_templated(text, start, end) \
                and not is_embedded(text, start, end) and not is_code_reference(text, start, end):
            yield start, end, token
