"""Transforms: turn one Fragment into the fragments the detector should see.

- A Jupyter notebook (`.ipynb`) becomes its cells and text outputs (scanner.engine.notebook); a
  notebook that is not valid JSON is scanned as it is.
- A Kubernetes Secret manifest (YAML, or JSON as kubectl prints it) additionally yields its
  base64 `data` values decoded, each on its original line, beside the `kind`/`name` lines
  that give them context.
Everything else passes through unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from scanner.models import Fragment

_SECRET_KIND = re.compile(r"""^[ \t]*["']?kind["']?[ \t]*:[ \t]*["']?Secret\b""", re.MULTILINE)
_DATA_BLOCK = re.compile(r"""^(?P<indent>\s*)["']?data["']?\s*:\s*\{?\s*$""")
_DATA_ENTRY = re.compile(r"""^(?P<indent>\s+)(?P<name>["']?[\w.-]+["']?)\s*:\s*["']?(?P<value>[A-Za-z0-9+/]{8,}={0,2})["']?\s*,?\s*$""")
_CONTEXT_LINE = re.compile(r"""^\s*(?:-\s*)?["']?(?:kind|name|namespace)["']?\s*:""")
_PRINTABLE = re.compile(r"[\t\n\r\x20-\x7e]*\Z")


def expand(fragment: Fragment) -> Iterator[Fragment]:
    """The fragments to scan for `fragment`: itself, its notebook cells, its decoded data."""
    if fragment.path.endswith(".ipynb"):
        from scanner.engine.notebook import notebook_cells  # json is imported only for notebooks

        cells = list(notebook_cells(fragment))
        if cells:
            yield from cells
            return
    yield fragment
    if "Secret" in fragment.text and _SECRET_KIND.search(fragment.text):
        decoded = _decoded_secret_data(fragment)
        if decoded is not None:
            yield decoded


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
        if entry and len(entry.group("indent")) > data_indent:
            value = _b64(entry.group("value"))
            if value is not None:
                out.append(f"{entry.group('indent')}{entry.group('name')}: {value}")
                decoded_any = True
                continue
        elif line.strip() and data_indent is not None and len(line) - len(line.lstrip()) <= data_indent:
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
