"""One escaping rule for every string a repository or a config file controls.

A file name, a commit author or a config value may hold terminal control sequences (ESC, BEL,
DEL, the C1 controls such as U+009B CSI) or bidi overrides (U+202E) that make a terminal or a
code-review page show something other than what is there. Text, GitHub and error output show
them as Python-style escapes (`\\x1b`); JSON-based reports stay valid JSON with `\\uXXXX`.
"""

from __future__ import annotations

import re

# DEL, the C1 controls, and the invisible marks that reorder text (bidi embeddings, overrides,
# isolates, LRM/RLM, the Arabic letter mark): JSON leaves them raw, terminals obey them.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# A key-shaped token: 32 letters and digits standing alone (a Mistral key has no prefix).
_KEY_SHAPED = re.compile(r"(?<![A-Za-z0-9])([A-Za-z0-9]{4})[A-Za-z0-9]{28}(?![A-Za-z0-9])")


def redact_key_shapes(text: str) -> str:
    """`text` with every key-shaped token cut to its first four characters and `…`: for
    messages that quote a value from a user's file (a path, a name), which may be a key."""
    return _KEY_SHAPED.sub(r"\1…", text)


def terminal_safe(text: str) -> str:
    """`text` with every non-printable character (C0, DEL, C1, bidi and other format
    characters, line breaks) written as an escape; plain text is returned as is."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def json_safe(rendered: str) -> str:
    """A JSON document with DEL, C1 controls and bidi marks as `\\uXXXX` escapes. They can
    only occur inside JSON strings, where the escape reads back as the same character."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", rendered)
