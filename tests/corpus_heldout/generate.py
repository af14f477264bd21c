"""Write the set-aside corpus: python -m tests.corpus_heldout.generate OUT_DIR."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import tests.corpus_heldout as package
from tests.corpus.case import Case
from tests.corpus.generate import package_cases, write_corpus


def all_cases() -> list[Case]:
    """The set-aside cases of every module of this package, in module-name order."""
    return package_cases(package)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.corpus_heldout.generate OUT_DIR", file=sys.stderr)
        return 2
    root = Path(argv[0])
    labels = write_corpus(root, all_cases())
    (root / "labels.json").write_text(json.dumps([asdict(l) for l in labels], indent=1))
    print(f"{len(labels)} files written to {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
