"""Write the labelled corpus: one small project folder per case, keys generated now.

    python -m tests.corpus.generate OUT_DIR     # writes the corpus and OUT_DIR/labels.json

Labels are (path, line, family, expect_finding). Every module of this package with a
`cases()` function contributes cases, so a new family is one new module.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from dataclasses import asdict, dataclass
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

import tests.corpus as package
from tests.corpus.case import KEY, KEY_B64, LOOKALIKES, Case


@dataclass(frozen=True)
class Label:
    path: str
    line: int
    family: str
    expect: bool


def package_cases(pkg: ModuleType) -> list[Case]:
    """The cases of every module of `pkg` that has a `cases()` function, in module-name order."""
    cases: list[Case] = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{pkg.__name__}.{info.name}")
        if callable(getattr(module, "cases", None)):
            cases.extend(module.cases())
    return cases


def all_cases() -> list[Case]:
    """The development cases of every family module, in module-name order."""
    return package_cases(package)


def write_corpus(root: Path, cases: Iterable[Case] | None = None) -> list[Label]:
    """Render `cases` (default: every development case) under `root` and return the labels.

    Each case gets its own folder `NNN-family/`, holding its file and its extra files.
    """
    labels = []
    for number, case in enumerate(all_cases() if cases is None else cases):
        folder = f"{number:03d}-{case.family}"
        path = f"{folder}/{case.path}"
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(case.render(), encoding="utf-8")
        for extra_path, content in case.extra_files:
            if any(slot in content for slot in (KEY, KEY_B64, *LOOKALIKES)):
                raise ValueError(f"extra file {extra_path} of {case.path} holds a slot")
            extra = root / folder / extra_path
            extra.parent.mkdir(parents=True, exist_ok=True)
            extra.write_text(content, encoding="utf-8")
        labels.append(Label(path, case.label_line(), case.family, case.positive))
    return labels


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.corpus.generate OUT_DIR", file=sys.stderr)
        return 2
    root = Path(argv[0])
    labels = write_corpus(root)
    (root / "labels.json").write_text(json.dumps([asdict(l) for l in labels], indent=1))
    print(f"{len(labels)} files written to {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
