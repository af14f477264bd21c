"""Jupyter notebooks: the code and text a `.ipynb` file holds, as the fragments to scan.

Each cell's source, followed by its text outputs, goes into one fragment (so an import in cell
1 gives context to cell 9, and an output is read right after the code that printed it), with
the cell number and the file line of every line. The notebook's and the cells' metadata
strings make a second fragment, one `"name": "value"` line each. Images and other binary
outputs are skipped.

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
        self.scan_once = json.scanner.py_make_scanner(self)

    def _string(self, text: str, end: int, strict: bool) -> tuple[str, int]:
        value, after = json.decoder.scanstring(text, end, strict)
        self._line += text.count("\n", self._offset, end)
        self._offset = end
        located = _Located(value)
        located.line = self._line
        return located, after


def notebook_cells(fragment: Fragment) -> Iterator[Fragment]:
    """The cells with their outputs as one fragment, then the metadata strings as another;
    nothing when the text is not a notebook."""
    try:
        document = _LocatingDecoder(fragment.text, fragment.start_line).decode(fragment.text)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to parse
        return
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        return
    lines: list[str] = []
    file_lines: list[int] = []
    cell_numbers: list[int] = []
    metadata = [document.get("metadata")]
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            continue
        metadata.append(cell.get("metadata"))
        pieces = [cell.get("source")]
        for output in cell.get("outputs") or []:
            if isinstance(output, dict):
                pieces.extend(_output_texts(output))
        for piece in pieces:
            for text, line in _lines(piece):
                lines.append(text)
                file_lines.append(line)
                cell_numbers.append(number)
    if lines:
        yield _piece(fragment, lines, tuple(cell_numbers), tuple(file_lines))
    named = list(_metadata_lines(metadata))
    if named:
        yield _piece(fragment, [text for text, _ in named], None,
                     tuple(line for _, line in named))


def _piece(fragment: Fragment, lines: list[str], cells: tuple[int, ...] | None,
           file_lines: tuple[int, ...]) -> Fragment:
    return Fragment(fragment.path, "".join(lines), fragment.start_line, fragment.origin,
                    cells=cells, line_map=file_lines)


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
