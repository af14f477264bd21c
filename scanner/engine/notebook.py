"""Jupyter notebooks: the code and text a `.ipynb` file holds, as the fragments to scan.

The cell sources become one fragment (so an import in cell 1 gives context to cell 9) and
each text output another, with its cell's source as context (an output printed by a cell that
reads MISTRAL_API_KEY), holding the text as written (not JSON-escaped), with the cell number
and the file line of every line. The notebook's and the cells' metadata strings make one more
fragment, a `"name": "value"` line each. Images and other binary outputs are skipped.

File lines come from the parse itself: the notebook is decoded with the standard library's
pure-Python JSON scanner, whose string hook records where each string value starts while
line ends are counted forward once. Time is linear in the file, whatever its escapes.
"""

from __future__ import annotations

import json
import json.decoder
import json.scanner
from collections.abc import Iterator

from scanner.models import Fragment

_TEXT_MIME = ("text/", "application/json", "application/javascript")


class _Located(str):
    """A JSON string value that knows the file line it is written on."""

    line: int


class _LocatingDecoder(json.JSONDecoder):
    """A JSON decoder whose string values are `_Located`: the hook sees the values in file
    order, so the line count only ever moves forward."""

    def __init__(self, text: str, start_line: int) -> None:
        super().__init__()
        self._text = text
        self._offset = 0
        self._line = start_line
        self.parse_string = self._string
        # the pure-Python scanner, which calls parse_string; not in typeshed's json stubs
        self.scan_once = json.scanner.py_make_scanner(self)  # type: ignore[attr-defined]

    def _string(self, text: str, end: int, strict: bool) -> tuple[str, int]:
        # public at run time, missing from typeshed's json.decoder stub
        value, after = json.decoder.scanstring(text, end, strict)  # type: ignore[attr-defined]
        self._line += text.count("\n", self._offset, end)
        self._offset = end
        located = _Located(value)
        located.line = self._line
        return located, after


def notebook_cells(fragment: Fragment) -> Iterator[Fragment]:
    """All cell sources as one fragment (so an import in cell 1 gives context to cell 9), then
    one fragment per text output with its cell's source as context, then the metadata
    strings; nothing when the text is not a notebook."""
    try:
        document = _LocatingDecoder(fragment.text, fragment.start_line).decode(fragment.text)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to parse
        return
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        return
    source: list[tuple[str, int]] = []
    source_cells: list[int] = []
    outputs: list[Fragment] = []
    metadata = [document.get("metadata")]
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            continue
        metadata.append(cell.get("metadata"))
        lines = list(_lines(cell.get("source")))
        source.extend(lines)
        source_cells.extend([number] * len(lines))
        cell_source = "".join(text for text, _ in lines)
        for output in cell.get("outputs") or []:
            for piece in _output_texts(output) if isinstance(output, dict) else ():
                text = list(_lines(piece))
                if text:
                    outputs.append(_piece(fragment, text, (number,) * len(text), cell_source))
    if source:
        yield _piece(fragment, source, tuple(source_cells))
    yield from outputs
    named = list(_metadata_lines(metadata))
    if named:
        yield _piece(fragment, named, None)


def _piece(fragment: Fragment, lines: list[tuple[str, int]], cells: tuple[int, ...] | None,
           context: str = "") -> Fragment:
    """A fragment of the notebook's text from (line, file line) pairs; `context`: an
    output's cell source."""
    return Fragment(fragment.path, "".join(text for text, _ in lines), fragment.start_line,
                    fragment.origin, cells=cells, line_map=tuple(line for _, line in lines),
                    context=context)


def _output_texts(output: dict) -> Iterator[object]:
    """The text an output shows: stream text, text-like mime data, tracebacks; no images."""
    if "text" in output:
        yield output["text"]
    data = output.get("data")
    if isinstance(data, dict):
        for mime, value in data.items():
            if isinstance(mime, str) and mime.startswith(_TEXT_MIME):
                yield value if isinstance(value, (str, list)) else _json_text(value)
    if isinstance(output.get("traceback"), list):
        yield [line for line in output["traceback"] if isinstance(line, str)]


def _json_text(value: object) -> object:
    """A JSON output value as text, on the line of its first string (if it has one)."""
    text = _Located(json.dumps(value))
    text.line = next((s.line for s in _strings(value)), 0)
    return text if text.line else None


def _lines(piece: object) -> Iterator[tuple[str, int]]:
    """(line, file line) of a notebook string or list of strings, each line ending in a line
    end. A JSON string is written on one file line, so all the lines one string holds share
    it; a line split over two strings is joined, on the line of its first part."""
    strings = [piece] if isinstance(piece, str) else piece if isinstance(piece, list) else []
    partial, partial_line = "", 0
    for string in strings:
        if not isinstance(string, _Located):
            continue
        for line in string.splitlines(keepends=True):
            if not partial:
                partial_line = string.line
            partial += line
            if line[-1] in "\n\r":
                yield partial, partial_line
                partial = ""
    if partial:
        yield partial + "\n", partial_line


def _metadata_lines(values: list[object]) -> Iterator[tuple[str, int]]:
    """`"name": "value"` for every string in the metadata, on the value's file line."""
    stack: list[tuple[str, object]] = [("metadata", value) for value in reversed(values)]
    while stack:
        name, value = stack.pop()
        if isinstance(value, _Located):
            yield f'"{name}": "{" ".join(value.splitlines())}"\n', value.line
        elif isinstance(value, dict):
            stack.extend((str(key), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((name, item) for item in reversed(value))


def _strings(value: object) -> Iterator[_Located]:
    """The located strings inside a parsed JSON value, in order."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, _Located):
            yield item
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
