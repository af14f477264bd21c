"""Jupyter notebooks: the code and text a `.ipynb` file holds, as the fragments to scan.

The cell sources become one fragment and each text output another, holding the text as
written (not JSON-escaped), with the cell number and the file line of every line. Images and
other binary outputs are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from scanner.models import Fragment

_TEXT_MIME = ("text/", "application/json", "application/javascript")


def notebook_cells(fragment: Fragment) -> Iterator[Fragment]:
    """All cell sources as one fragment (so an import in cell 1 gives context to cell 9), then
    one fragment per text output; nothing when the text is not a notebook."""
    try:
        document = json.loads(fragment.text)
    except (ValueError, RecursionError):  # not JSON, or nested too deep to parse
        return
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        return
    locator = _Locator(fragment.text, fragment.start_line)
    source: list[str] = []
    source_lines: list[int] = []
    source_cells: list[int] = []
    outputs: list[Fragment] = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict):
            continue
        locator.next_cell()
        lines = _lines(cell.get("source"))
        cell_source = "".join(lines)
        if lines:
            source_lines.extend(locator.place(cell.get("source"), lines))
            lines[-1] = lines[-1] if lines[-1].endswith("\n") else lines[-1] + "\n"
            source.extend(lines)
            source_cells.extend([number] * len(lines))
        for output in cell.get("outputs") or []:
            for piece in _output_texts(output) if isinstance(output, dict) else ():
                text = _lines(piece)
                if text:
                    outputs.append(_piece(fragment, text, (number,) * len(text),
                                          locator.place(piece, text), cell_source))
    if source:
        yield _piece(fragment, source, tuple(source_cells), tuple(source_lines))
    yield from outputs


def _piece(fragment: Fragment, lines: list[str], cells: tuple[int, ...],
           file_lines: tuple[int, ...], context: str = "") -> Fragment:
    """A fragment of the notebook's text; `context`: an output's cell source."""
    return Fragment(fragment.path, "".join(lines), fragment.start_line, fragment.origin,
                    cells=cells, line_map=file_lines, context=context)


def _output_texts(output: dict) -> Iterator[object]:
    """The text an output shows: stream text, text-like mime data, tracebacks; no images."""
    if "text" in output:
        yield output["text"]
    data = output.get("data")
    if isinstance(data, dict):
        for mime, value in data.items():
            if isinstance(mime, str) and mime.startswith(_TEXT_MIME):
                yield value if isinstance(value, (str, list)) else json.dumps(value)
    if isinstance(output.get("traceback"), list):
        yield [line + "\n" for line in output["traceback"] if isinstance(line, str)]


def _lines(piece: object) -> list[str]:
    if isinstance(piece, str):
        return piece.splitlines(keepends=True)
    if isinstance(piece, list):
        return [line for line in piece if isinstance(line, str)]
    return []


class _Locator:
    """Finds the file line of each string of a notebook, searching forward through the text."""

    def __init__(self, text: str, start_line: int) -> None:
        self._text = text
        self._start_line = start_line
        self._cell_start = 0
        self._next = 0

    def next_cell(self) -> None:
        found = self._text.find('"cell_type"', self._next)
        self._cell_start = found if found >= 0 else self._next
        self._next = self._cell_start + 1

    def _line_at(self, position: int) -> int:
        return self._start_line + self._text.count("\n", 0, position)

    def _find(self, value: str, start: int) -> int:
        for encoded in (json.dumps(value, ensure_ascii=False), json.dumps(value)):
            found = self._text.find(encoded, start)
            if found >= 0:
                return found
        return -1

    def place(self, piece: object, lines: list[str]) -> tuple[int, ...]:
        """File lines of `lines`: one JSON string per line, or all on the line of one string."""
        if isinstance(piece, str):
            found = self._find(piece, self._cell_start)
            return (self._line_at(max(found, self._cell_start)),) * len(lines)
        placed, cursor = [], self._cell_start
        for line in lines:
            found = self._find(line, cursor)
            if found >= 0:
                cursor = found + 1
                self._next = max(self._next, cursor)
            placed.append(self._line_at(cursor - 1 if found >= 0 else cursor))
        return tuple(placed)
