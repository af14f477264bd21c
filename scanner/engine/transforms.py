"""Transforms: turn one Fragment into the fragments the detector should see.

- A Jupyter notebook (`.ipynb`) becomes its cells and text outputs (scanner.engine.notebook); a
  notebook that is not valid JSON is scanned as it is.
- A Kubernetes Secret manifest (YAML, or JSON as kubectl prints it) additionally yields its
  base64 `data` values decoded, each on its original line, beside the `kind`/`name` lines
  that give them context.
- Any text that names Mistral or Codestral and has escaped quotes (`\\"`), string prefixes
  (`f"`, `rb'`) or triple quotes also yields a copy with those blanked, so the rules see
  plain quoted strings.
Everything else passes through unchanged otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from scanner.models import Fragment

_SECRET_KIND = re.compile(r"""^[ \t]*["']?kind["']?[ \t]*:[ \t]*["']?Secret\b""", re.MULTILINE)
_DATA_BLOCK = re.compile(r"""^(?P<indent>\s*)["']?data["']?\s*:\s*\{?\s*$""")
_DATA_ENTRY = re.compile(r"""^(?P<indent>\s+)(?P<name>["']?[\w.-]+["']?)\s*:\s*"""
                         r"""["']?(?P<value>[A-Za-z0-9+/]{8,}={0,2})["']?\s*,?\s*$""")
_CONTEXT_LINE = re.compile(r"""^\s*(?:-\s*)?["']?(?:kind|name|namespace)["']?\s*:""")
_PRINTABLE = re.compile(r"[\t\n\r\x20-\x7e]*\Z")
# Quoting that hides a string's opening or closing quote from the rules; each match is blanked
# with as many spaces, so every line and column stays where it was.
_QUOTING_NOISE = re.compile(r"""
    \\(?=["'])                         # the backslash of \" or \' (a string inside a string)
  | (?<![\w\\])[fFrRuUbB]{1,2}(?=["'])   # a string prefix: f"  r'  rb"  u"  b"
  | (["'])\1(?=\1[A-Za-z0-9])           # the first two quotes of an opening triple quote
  | (?<=[A-Za-z0-9]["'])(["'])\2         # the last two quotes of a closing one
""", re.VERBOSE)


def expand(fragment: Fragment) -> Iterator[Fragment]:
    """The fragments to scan for `fragment`: itself, its notebook cells, its decoded data."""
    if fragment.path.endswith(".ipynb"):
        from scanner.engine.notebook import notebook_cells  # json is imported only for notebooks

        cells = list(notebook_cells(fragment))
        if cells:
            yield from cells
            return
    yield fragment
    unquoted = _without_quoting_noise(fragment)
    if unquoted is not None:
        yield unquoted
    if "Secret" in fragment.text and _SECRET_KIND.search(fragment.text):
        decoded = _decoded_secret_data(fragment)
        if decoded is not None:
            yield decoded


def _without_quoting_noise(fragment: Fragment) -> Fragment | None:
    """`fragment` with escaped quotes, string prefixes and triple quotes blanked (see
    _QUOTING_NOISE), so `\\"KEY\\"`, `f"KEY"` and a triple-quoted KEY read as `"KEY"`; None when
    it has none. A finding both versions give is reported once (scan_fragments)."""
    text = fragment.text
    # Cheap first: only text naming Mistral or Codestral (any case of the common spellings)
    # is searched; the regex costs ten times more per MB than the rest of the scan.
    if ("stral" not in text and "STRAL" not in text) or _QUOTING_NOISE.search(text) is None:
        return None
    return replace(fragment, text=_QUOTING_NOISE.sub(lambda m: " " * len(m.group()), text))


def _decoded_secret_data(fragment: Fragment) -> Fragment | None:
    """The manifest's `data:` values decoded in place; other lines blank except context."""
    out: list[str] = []
    data_indent: int | None = None
    decoded_any = False
    for line in fragment.text.split("\n"):
        block = _DATA_BLOCK.match(line)
        if block:
            data_indent = len(block.group("indent"))
            out.append("")
            continue
        entry = _DATA_ENTRY.match(line) if data_indent is not None else None
        if entry and data_indent is not None and len(entry.group("indent")) > data_indent:
            value = _b64(entry.group("value"))
            if value is not None:
                out.append(f"{entry.group('indent')}{entry.group('name')}: {value}")
                decoded_any = True
                continue
        elif (line.strip() and data_indent is not None
              and len(line) - len(line.lstrip()) <= data_indent):
            data_indent = None
        out.append(line if _CONTEXT_LINE.match(line) else "")
    if not decoded_any:
        return None
    return Fragment(fragment.path, "\n".join(out), fragment.start_line, fragment.origin)


def _b64(value: str) -> str | None:
    """The decoded value when it is printable single-line text, else None."""
    import base64  # here: only a Kubernetes Secret manifest needs it

    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
        text = raw.decode("utf-8")
    except (ValueError, UnicodeDecodeError):  # binascii.Error is a ValueError
        return None
    text = text.strip()
    return text if text and "\n" not in text and _PRINTABLE.match(text) else None
