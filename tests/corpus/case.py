"""One corpus file and how to label it."""

from __future__ import annotations

import base64
import json
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from scanner.rules.check import generate_fake_key

FAMILIES = {
    "keys": "1 key literals",
    "codestral": "2 codestral",
    "bearer": "3 bearer",
    "files": "4 leaky files",
    "notebooks": "5 notebooks",
    # Families of the real-shapes corpus (tests/corpus/SHAPES.md): the detector's
    # candidates + evidence + same-file data flow engine is measured on these.
    "dataflow": "6 dataflow",
    "declarations": "7 declarations",
    "outputs": "8 outputs",
    "repo_context": "9 repo context",
    "value_lines": "10 value lines",
    "misplaced": "11 misplaced",
    "fakes": "12 fakes",
    "other_clouds": "13 other clouds",
    "variants": "14 variants",
}

# The families test_corpus.py holds to its original thresholds.
ORIGINAL_FAMILIES = ("keys", "codestral", "bearer", "files", "notebooks")

KEY, KEY_B64 = "{KEY}", "{KEY_B64}"


def _b64(size: int) -> str:
    return base64.b64encode(secrets.token_bytes(size)).decode()


# Look-alike values for hard negatives, generated afresh for every file.
LOOKALIKES: dict[str, Callable[[], str]] = {
    "{HEX32}": lambda: secrets.token_hex(16),
    "{HEX32U}": lambda: secrets.token_hex(16).upper(),
    "{SHA1}": lambda: secrets.token_hex(20),
    "{SHA256}": lambda: secrets.token_hex(32),
    "{UUID}": lambda: str(uuid.uuid4()),
    "{UUIDHEX}": lambda: uuid.uuid4().hex,
    "{B64}": lambda: _b64(48),
    "{INTEGRITY}": lambda: "sha512-" + _b64(64),
    "{RANDOM32}": generate_fake_key,  # key-shaped, but nothing says Mistral around it
}


@dataclass(frozen=True)
class Case:
    """A file of a small project: `template` holds {KEY} / {KEY_B64} and look-alike slots.

    A positive case expects exactly one finding, on the line of its {KEY} or {KEY_B64}; a
    negative case expects no finding anywhere in the file.

    `extra_files` are other files of the same project (path relative to the case folder,
    content without slots), e.g. a requirements.txt naming mistralai beside the code file.
    Each case folder is its own project/repository.
    """

    family: str
    path: str
    template: str
    positive: bool
    extra_files: tuple[tuple[str, str], ...] = ()

    def label_line(self) -> int:
        """1-based line of the key (positives) or of the first look-alike (negatives)."""
        slots = (KEY, KEY_B64) if self.positive else (KEY, KEY_B64, *LOOKALIKES)
        found = [self.template.find(s) for s in slots if s in self.template]
        if self.positive and len(found) != 1:
            raise ValueError(f"positive case {self.path} needs exactly one key slot")
        position = min(found) if found else 0
        return self.template.count("\n", 0, position) + 1

    def render(self) -> str:
        key = generate_fake_key()
        text = self.template.replace(KEY_B64, base64.b64encode(key.encode()).decode())
        text = text.replace(KEY, key)
        for slot, make in LOOKALIKES.items():
            while slot in text:
                text = text.replace(slot, make(), 1)
        return text


def pos(family: str, path: str, template: str,
        extra_files: tuple[tuple[str, str], ...] = ()) -> Case:
    return Case(family, path, template, True, extra_files)


def neg(family: str, path: str, template: str,
        extra_files: tuple[tuple[str, str], ...] = ()) -> Case:
    return Case(family, path, template, False, extra_files)


def notebook(*cells: tuple[str, str, list[dict] | None]) -> str:
    """An nbformat 4 notebook as Jupyter writes it: (cell_type, source, outputs) per cell."""
    built = []
    for cell_type, source, outputs in cells:
        cell: dict = {"cell_type": cell_type, "metadata": {},
                      "source": source.splitlines(keepends=True)}
        if cell_type == "code":
            cell["execution_count"] = 1
            cell["outputs"] = outputs or []
        built.append(cell)
    document = {"cells": built, "metadata": {"kernelspec": {"name": "python3"}},
                "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def stream(text: str) -> dict:
    return {"name": "stdout", "output_type": "stream", "text": text.splitlines(keepends=True)}
