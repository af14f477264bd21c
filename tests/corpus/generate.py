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
from pathlib import Path

import tests.corpus as package
from tests.corpus.case import Case


@dataclass(frozen=True)
class Label:
    path: str
    line: int
    family: str
    expect: bool


def all_cases() -> list[Case]:
    """The cases of every family module, in module-name order."""
    cases: list[Case] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        if callable(getattr(module, "cases", None)):
            cases.extend(module.cases())
    return cases


def write_corpus(root: Path) -> list[Label]:
    """Render every case under `root` (fresh keys) and return the labels."""
    labels = []
    for number, case in enumerate(all_cases()):
        path = f"{number:03d}-{case.family}/{case.path}"
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(case.render(), encoding="utf-8")
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
