"""The audit's SQLite store: repositories, runs and findings. Only the client process writes
(workers return results); WAL mode, one transaction per repository result, so an interrupted
audit loses at most the repositories in flight. No secret is stored: previews and sha256s."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from scanner.audit.task import RepoResult
from scanner.errors import ScanError
from scanner.models import Finding, Verification

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,                       -- NULL: interrupted or still running (resumable)
    repositories TEXT NOT NULL           -- JSON list of the addresses this run audits
);
CREATE TABLE IF NOT EXISTS repositories (
    id INTEGER PRIMARY KEY,
    address TEXT NOT NULL UNIQUE,
    tips TEXT NOT NULL DEFAULT '[]',     -- JSON list of the ref tips last audited
    status TEXT NOT NULL DEFAULT 'pending',  -- pending | done | failed
    error TEXT,                          -- one line, when failed
    run_id INTEGER REFERENCES runs(id),  -- the run that last recorded it
    audited_at TEXT,
    commits INTEGER NOT NULL DEFAULT 0,
    files INTEGER NOT NULL DEFAULT 0,
    bytes INTEGER NOT NULL DEFAULT 0,
    seconds REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS findings (
    id INTEGER PRIMARY KEY,
    repository_id INTEGER NOT NULL REFERENCES repositories(id),
    rule_id TEXT NOT NULL, slug TEXT NOT NULL, title TEXT NOT NULL,
    severity TEXT NOT NULL, kind TEXT NOT NULL, confidence TEXT NOT NULL,
    path TEXT NOT NULL, line INTEGER NOT NULL, column INTEGER NOT NULL,
    end_column INTEGER NOT NULL,
    commit_id TEXT, author TEXT, date TEXT, in_head INTEGER, commits INTEGER,
    preview TEXT NOT NULL, matched TEXT NOT NULL,  -- risk findings: what matched, redacted
    secret_sha256 TEXT NOT NULL, fingerprint TEXT NOT NULL,
    evidence TEXT NOT NULL, fix TEXT NOT NULL,
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,
    verification_status TEXT, verification_checked_at TEXT, verification_reason TEXT,
    UNIQUE (repository_id, fingerprint)
);
CREATE INDEX IF NOT EXISTS findings_key ON findings (secret_sha256);
"""


@dataclass(frozen=True, slots=True)
class RepositoryRow:
    """A repository as the store knows it."""

    address: str
    status: str
    error: str | None
    tips: tuple[str, ...]
    commits: int
    seconds: float


@dataclass(frozen=True, slots=True)
class StoredFinding:
    """A finding, the repository it lives in, and when audits first and last saw it."""

    repository: str
    finding: Finding
    first_seen: str
    last_seen: str


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """One connection to the audit database (the client's)."""

    def __init__(self, path: str, readonly: bool = False) -> None:
        """Open (or create) the store; `readonly` (reports) never creates or changes it."""
        self.path = path
        try:
            folder = os.path.dirname(os.path.abspath(path))
            if not os.path.isdir(folder):
                raise ScanError(f"cannot open the audit store {path}: no directory {folder}")
            if readonly:
                uri = Path(os.path.abspath(path)).as_uri() + "?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
            else:
                self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION and (readonly or version != 0):
                raise ScanError(f"{path} is not an audit store of this version (schema "
                                f"{version}, expected {SCHEMA_VERSION})")
            if not readonly:
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA foreign_keys=ON")
                self.db.executescript(SCHEMA)
                self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise ScanError(f"cannot open the audit store {path}: {exc}") from None

    def close(self) -> None:
        self.db.close()

    # runs -----------------------------------------------------------------------------------

    def open_run(self, addresses: Sequence[str]) -> tuple[int, set[str]]:
        """The run to work in and the addresses it has already recorded: the last run when it
        was interrupted with the same repositories (resume), else a new one."""
        wanted = json.dumps(sorted(set(addresses)))
        last = self.db.execute(
            "SELECT id, finished, repositories FROM runs ORDER BY id DESC LIMIT 1").fetchone()
        if last is not None and last[1] is None and last[2] == wanted:
            done = {row[0] for row in self.db.execute(
                "SELECT address FROM repositories WHERE run_id = ? AND status != 'pending'",
                (last[0],))}
            return last[0], done
        cursor = self.db.execute("INSERT INTO runs (started, repositories) VALUES (?, ?)",
                                 (now(), wanted))
        return int(cursor.lastrowid or 0), set()

    def finish_run(self, run_id: int) -> None:
        self.db.execute("UPDATE runs SET finished = ? WHERE id = ?", (now(), run_id))

    # repositories ---------------------------------------------------------------------------

    def repository(self, address: str) -> RepositoryRow | None:
        row = self.db.execute(
            "SELECT address, status, error, tips, commits, seconds FROM repositories "
            "WHERE address = ?", (address,)).fetchone()
        if row is None:
            return None
        return RepositoryRow(row[0], row[1], row[2], tuple(json.loads(row[3])), row[4], row[5])

    def repositories(self) -> list[RepositoryRow]:
        rows = self.db.execute("SELECT address FROM repositories ORDER BY address").fetchall()
        return [r for (address,) in rows if (r := self.repository(address)) is not None]

    def head_keys(self, address: str) -> tuple[tuple[str, str], ...]:
        """(path, key sha256) of the repository's findings recorded as still at HEAD."""
        rows = self.db.execute(
            "SELECT DISTINCT f.path, f.secret_sha256 FROM findings f JOIN repositories r "
            "ON r.id = f.repository_id WHERE r.address = ? AND f.in_head = 1 ORDER BY 1, 2",
            (address,)).fetchall()
        return tuple((path, sha) for path, sha in rows)

    def record(self, run_id: int, result: RepoResult) -> None:
        """Store one task's result in one transaction."""
        stamp = now()
        with self._transaction():
            repo_id = self._repository_id(result.address)
            if not result.ok:
                self.db.execute(
                    "UPDATE repositories SET status = 'failed', error = ?, run_id = ?, "
                    "audited_at = ?, seconds = ? WHERE id = ?",
                    (result.error, run_id, stamp, result.seconds, repo_id))
                return
            self.db.execute(
                "UPDATE repositories SET status = 'done', error = NULL, tips = ?, run_id = ?, "
                "audited_at = ?, commits = commits + ?, files = files + ?, bytes = bytes + ?, "
                "seconds = ? WHERE id = ?",
                (json.dumps(list(result.tips)), run_id, stamp, result.commits, result.files,
                 result.bytes, result.seconds, repo_id))
            self._upsert_findings(repo_id, result.findings, stamp)
            self.db.executemany(
                "UPDATE findings SET in_head = 0, last_seen = ? WHERE repository_id = ? "
                "AND path = ? AND secret_sha256 = ?",
                [(stamp, repo_id, path, sha) for path, sha in result.gone_from_head])

    def _repository_id(self, address: str) -> int:
        self.db.execute("INSERT OR IGNORE INTO repositories (address) VALUES (?)", (address,))
        return int(self.db.execute("SELECT id FROM repositories WHERE address = ?",
                                   (address,)).fetchone()[0])

    def _upsert_findings(self, repo_id: int, findings: Iterable[Finding], stamp: str) -> None:
        """Insert new findings; a known one (same fingerprint) keeps its first sighting and
        gets the new position and HEAD state."""
        self.db.executemany(
            "INSERT INTO findings (repository_id, rule_id, slug, title, severity, kind, "
            "confidence, path, line, column, end_column, commit_id, author, date, in_head, "
            "commits, preview, matched, secret_sha256, fingerprint, evidence, fix, first_seen, "
            "last_seen, verification_status, verification_checked_at, verification_reason) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT (repository_id, fingerprint) DO UPDATE SET line = excluded.line, "
            "column = excluded.column, end_column = excluded.end_column, "
            "in_head = excluded.in_head, last_seen = excluded.last_seen",
            [(repo_id, f.rule_id, f.slug, f.title, f.severity, f.kind, f.confidence, f.path,
              f.line, f.column, f.end_column, f.commit, f.author, f.date,
              None if f.in_head is None else int(f.in_head), f.commits, f.preview, f.matched,
              f.secret_sha256, f.fingerprint, json.dumps(list(f.evidence)), f.fix, stamp, stamp,
              *_verification(f.verification)) for f in findings])

    def _transaction(self) -> _Transaction:
        return _Transaction(self.db)

    # reading --------------------------------------------------------------------------------

    def findings(self, addresses: Sequence[str] | None = None) -> list[StoredFinding]:
        """Every stored finding (of `addresses` only, when given), by repository and place."""
        rows = self.db.execute(
            "SELECT r.address, f.rule_id, f.slug, f.title, f.severity, f.path, f.line, f.column, "
            "f.end_column, f.preview, f.secret_sha256, f.fingerprint, f.fix, f.commit_id, "
            "f.author, f.date, f.in_head, f.commits, f.kind, f.confidence, f.evidence, "
            "f.verification_status, f.verification_checked_at, f.verification_reason, "
            "f.first_seen, f.last_seen, f.matched FROM findings f JOIN repositories r "
            "ON r.id = f.repository_id ORDER BY r.address, f.path, f.line, f.rule_id").fetchall()
        wanted = None if addresses is None else set(addresses)
        return [_stored(row) for row in rows if wanted is None or row[0] in wanted]


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error (also Ctrl-C)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self.db.execute("ROLLBACK" if kind is not None else "COMMIT")


def _verification(verification: Verification | None) -> tuple[str | None, ...]:
    if verification is None:
        return None, None, None
    return verification.status, verification.checked_at, verification.reason


def _stored(row: tuple) -> StoredFinding:
    (address, rule_id, slug, title, severity, path, line, column, end_column, preview, sha,
     fingerprint, fix, commit, author, date, in_head, commits, kind, confidence, evidence,
     v_status, v_checked, v_reason, first_seen, last_seen, matched) = row
    verification = None if v_status is None else Verification(v_status, v_checked, v_reason or "")
    finding = Finding(
        rule_id=rule_id, slug=slug, title=title, severity=severity, path=path, line=line,
        column=column, end_column=end_column, preview=preview, secret_sha256=sha,
        fingerprint=fingerprint, fix=fix, commit=commit, author=author, date=date,
        in_head=None if in_head is None else bool(in_head), commits=commits, kind=kind,
        confidence=confidence, evidence=tuple(json.loads(evidence)), matched=matched,
        verification=verification)
    return StoredFinding(address, finding, first_seen, last_seen)
