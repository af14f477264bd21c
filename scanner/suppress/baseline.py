"""The baseline: reviewed findings, stored so that it never churns.

One entry per fingerprint (rule id, POSIX path, sha256 of the secret), sorted, one entry a
line, with no line numbers, timestamps or secrets: moving code never changes the file, and
branches that each add an entry merge cleanly. A changed secret is a different entry.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from scanner.errors import ScanError, quoted
from scanner.models import RULE_ID, SHA256_HEX, Finding

FORMAT = 1
DEFAULT_NAME = ".mistral-guard-baseline.json"
_ENTRY_KEYS = {"rule_id", "path", "secret_sha256"}


@dataclass(frozen=True, order=True)
class Entry:
    """What identifies a reviewed finding; sorted by path, then rule, then hash."""

    path: str
    rule_id: str
    secret_sha256: str

    @classmethod
    def of(cls, finding: Finding) -> Entry:
        return cls(finding.path, finding.rule_id, finding.secret_sha256)



@dataclass(frozen=True)
class Baseline:
    path: Path
    entries: frozenset[Entry]

    def __contains__(self, finding: Finding) -> bool:
        return Entry.of(finding) in self.entries

    def describe(self, finding: Finding) -> str:
        """Which entry of which file suppresses `finding` (for --show-suppressed)."""
        return (f"baseline {self.path} entry {finding.rule_id} {finding.path} "
                f"sha256:{finding.secret_sha256[:12]}")


def load_baseline(path: str | Path) -> Baseline:
    """Read and validate a baseline; any defect is a one-line ScanError naming the file."""
    path = Path(path)
    from scanner.ownfile import NotReadable, read_own_bytes

    try:
        raw = read_own_bytes(path)  # a regular file under a size cap: not /dev/zero, no FIFO
    except NotReadable as exc:
        if exc.reason == "not found":
            raise ScanError(f"baseline not found: {path} "
                            "(create one with `mistral-guard baseline create`)") from None
        raise ScanError(f"cannot read baseline {path}: {exc.reason}") from None
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ScanError(f"baseline {path} is corrupt: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise ScanError(f"baseline {path} is corrupt: not valid JSON (line {exc.lineno})") from None
    if not isinstance(document, dict) or document.get("tool") != "mistral-guard":
        raise ScanError(f"baseline {path} is not a mistral-guard baseline")
    version = document.get("format")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ScanError(f"baseline {path} is corrupt: 'format' must be a positive integer")
    if version > FORMAT:
        raise ScanError(f"baseline {path} has format {version}, newer than this mistral-guard "
                        f"reads ({FORMAT}); upgrade mistral-guard")
    items = document.get("entries")
    if not isinstance(items, list):
        raise ScanError(f"baseline {path} is corrupt: 'entries' must be a list")
    return Baseline(path, frozenset(_entry(item, number, path)
                                    for number, item in enumerate(items, 1)))


def _entry(item: object, number: int, path: Path) -> Entry:
    def fail(message: str) -> ScanError:
        return ScanError(f"baseline {path} is corrupt: entry {number}: {message}")

    if not isinstance(item, dict) or set(item) != _ENTRY_KEYS:
        raise fail(f"must be an object with exactly {', '.join(sorted(_ENTRY_KEYS))}")
    if not all(isinstance(v, str) for v in item.values()):
        raise fail("values must be strings")
    if not RULE_ID.match(item["rule_id"]):
        raise fail(f"bad rule_id {quoted(item['rule_id'])}")
    if not SHA256_HEX.match(item["secret_sha256"]):
        raise fail("secret_sha256 must be 64 lowercase hex digits")
    # Paths are stored POSIX; a Windows-style entry (src\app.py) is read as src/app.py.
    entry_path = item["path"].replace("\\", "/")
    if not entry_path:
        raise fail("empty path")
    return Entry(entry_path, item["rule_id"], item["secret_sha256"])


def render(entries: Iterable[Entry], version: str) -> str:
    """The file's text: deterministic, sorted, one entry a line."""
    lines = [
        json.dumps({"rule_id": e.rule_id, "path": e.path, "secret_sha256": e.secret_sha256},
                   ensure_ascii=False)
        for e in sorted(set(entries))
    ]
    body = ",\n".join(f"    {line}" for line in lines)
    entries_text = f"[\n{body}\n  ]" if lines else "[]"
    return (
        "{\n"
        '  "tool": "mistral-guard",\n'
        f'  "format": {FORMAT},\n'
        f"  \"version\": {json.dumps(version)},\n"
        f'  "entries": {entries_text}\n'
        "}\n"
    )


def save_baseline(path: Path, entries: Iterable[Entry], version: str) -> None:
    """Write atomically: a temporary file in the same directory, then os.replace."""
    from scanner.atomic import write_atomically

    write_atomically(path, render(entries, version).encode("utf-8"), "baseline")
