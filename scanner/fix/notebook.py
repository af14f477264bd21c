"""Jupyter notebooks: fix the cell source (as Python), keep the file valid JSON, and clear
the outputs that show a key."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from scanner.fix.languages import Unfixable, add_python_import, language_for
from scanner.fix.spans import KEY_SHAPE, SpanMismatch, key_at, variable_for
from scanner.models import Finding, sha256_hex

_INDENT = re.compile(r"\{\r?\n( +)\"")  # the indentation of the first key: nbformat uses 1
_IMPORTS_OS = re.compile(r"^import[ \t]+os\b", re.MULTILINE)

if TYPE_CHECKING:
    from scanner.fix.plan import NotFixed


def fix_notebook(text: str, findings: list[Finding],
                 ) -> tuple[str, list[tuple[str, str]], list[Finding], list[NotFixed]]:
    """(new text, (variable, key) pairs, findings fixed, findings not fixed)."""
    from scanner.fix.plan import NotFixed

    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise Unfixable("not a valid notebook (JSON): fix it by hand") from None
    cells = document.get("cells") if isinstance(document, dict) else None
    if not isinstance(cells, list):
        raise Unfixable("not a notebook with cells: fix it by hand")
    python = language_for("cell.py")
    assert python is not None  # fix always knows Python
    keys: list[tuple[str, str]] = []
    shown: set[str] = set()  # keys to clear from outputs
    fixed: list[Finding] = []
    left: list[NotFixed] = []
    edited: list[int] = []
    for finding in sorted(findings, key=lambda f: (f.line, f.column), reverse=True):
        index = finding.cell - 1 if finding.cell and finding.cell <= len(cells) else None
        cell = cells[index] if index is not None else None
        lines = _source_lines(cell) if cell is not None else []
        line_index = (finding.cell_line or 0) - 1
        try:
            if cell is None or index is None or not 0 <= line_index < len(lines):
                raise SpanMismatch("changed since the scan: not touched")
            raw = lines[line_index]
            body = raw.rstrip("\r\n")
            try:
                start, end, key = key_at(body, finding)
            except SpanMismatch:
                key = _in_outputs(cell, finding)  # a key only an output shows
                shown.add(key)
                fixed.insert(0, finding)
                continue
            variable = variable_for(finding, body)
            lines[line_index] = python.edit(body, start, end, variable) + raw[len(body):]
        except (SpanMismatch, Unfixable) as exc:
            left.append(NotFixed(finding, str(exc)))
            continue
        _set_source(cell, lines)
        edited.append(index)
        keys.insert(0, (variable, key))
        shown.add(key)
        fixed.insert(0, finding)
    if edited and not any(_IMPORTS_OS.search("".join(_source_lines(c))) for c in cells):
        first = cells[min(edited)]
        _set_source(first, add_python_import("".join(_source_lines(first)), "\n")
                    .splitlines(keepends=True))
    for cell in cells:
        if isinstance(cell, dict) and isinstance(cell.get("outputs"), list):
            cell["outputs"] = [output for output in cell["outputs"]
                               if not any(key in json.dumps(output) for key in shown)]
    return _dump(document, text), keys, fixed, left


def _source_lines(cell: object) -> list[str]:
    source = cell.get("source", "") if isinstance(cell, dict) else ""
    return "".join(source).splitlines(keepends=True) if isinstance(source, list) \
        else str(source).splitlines(keepends=True)


def _set_source(cell: dict, lines: list[str]) -> None:
    """Store the lines as the cell had them: a list of lines, or one string."""
    cell["source"] = lines if isinstance(cell.get("source"), list) else "".join(lines)


def _in_outputs(cell: object, finding: Finding) -> str:
    """The key of `finding` as one of the cell's outputs shows it, or SpanMismatch."""
    outputs = cell.get("outputs", []) if isinstance(cell, dict) else []
    for token in re.findall(r"[A-Za-z0-9]+", json.dumps(outputs)):
        if KEY_SHAPE.fullmatch(token) and sha256_hex(token) == finding.secret_sha256:
            return token
    raise SpanMismatch("changed since the scan: not touched")


def _dump(document: object, original: str) -> str:
    """JSON written as the original was: its indentation, final newline and line endings."""
    indent = _INDENT.match(original)
    text = json.dumps(document, indent=len(indent.group(1)) if indent else 1,
                      ensure_ascii=False)
    text += "\n" if original.endswith("\n") else ""
    return text.replace("\n", "\r\n") if "\r\n" in original else text
