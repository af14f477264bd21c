"""Where a leaked key lives in history: who introduced it, when, how many commits carry it.

Runs only for the blobs that produced findings: one `git log --raw` walk over the scanned
revisions (first-parent diffs, so each commit's tree is its first parent's plus its changes),
one `git ls-tree` of HEAD, and for a range one `cat-file` reader over the range's boundary.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import IO

from scanner.engine.detector import Detector
from scanner.errors import ScanError
from scanner.models import Finding
from scanner.pipeline.fragments import scan_fragments
from scanner.sources import gitcmd
from scanner.sources.git import (
    BlobRef,
    Repository,
    Revisions,
    object_sizes,
    present_blobs,
    read_text,
)

Place = tuple[bytes, str]  # (path, blob id)
_LOG_FORMAT = "%x1e%H %P%x1f%aI%x1f%an <%ae>"


@dataclass
class Walk:
    """What one walk over the scanned commits learned about the blobs of interest."""

    first: dict[Place, str] = field(default_factory=dict)  # place -> introducing commit
    carried: dict[Place, int] = field(default_factory=dict)  # place -> commits whose tree has it
    meta: dict[str, tuple[int, str, str]] = field(default_factory=dict)  # -> (age, date, author)
    boundary: set[str] = field(default_factory=set)  # parents outside the range (ranges only)


def walk(repo: Repository, revisions: Revisions, oids: frozenset[str]) -> Walk:
    """Follow every place (path, blob) whose blob is in `oids` through the scanned commits.

    Streams `git log`; keeps per commit only the places it carries (none for most commits).
    """
    tips = {t for t in revisions.tips if t}
    commit_tips = frozenset(_commits_among(repo, tips)) if tips else frozenset()
    args = ["log", "--date-order", "--reverse", "--raw", "--no-abbrev", "--no-renames", "--root",
            "--diff-merges=first-parent", "--no-textconv", "--no-ext-diff", "--no-color", "-z",
            f"--format={_LOG_FORMAT}", *revisions.args()]
    proc = gitcmd.start(repo.root, *args)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(revisions.stdin(commit_tips))
    proc.stdin.close()
    result = Walk()
    states: dict[str, dict[bytes, str]] = {}
    seen: set[str] = set()
    parents_seen: set[str] = set()
    for age, (header, changes) in enumerate(_records(_tokens(proc.stdout))):
        ids, date, author = header.split("\x1f", 2)
        commit, *parents = ids.split()
        if revisions.is_range:
            seen.add(commit)
            parents_seen.update(parents)
        state = states.get(parents[0], {}) if parents else {}
        if any(oid in oids or path in state for oid, path in changes):
            state = dict(state)
            for oid, path in changes:
                if oid in oids:
                    state[path] = oid
                    if (path, oid) not in result.first:
                        result.first[(path, oid)] = commit
                        result.meta[commit] = (age, date, author)
                else:
                    state.pop(path, None)
        if state:
            states[commit] = state
        for place in state.items():
            result.carried[place] = result.carried.get(place, 0) + 1
    gitcmd.finish(repo.root, proc, args)
    result.boundary = parents_seen - seen
    return result


def _commits_among(repo: Repository, oids: set[str]) -> list[str]:
    spec = "%(objectname) %(objecttype)"
    out = gitcmd.run(repo.root, "cat-file", f"--batch-check={spec}",
                     stdin="".join(f"{oid}\n" for oid in sorted(oids)).encode())
    return [line.split()[0] for line in out.decode().splitlines() if line.endswith(" commit")]


def _tokens(stream: IO[bytes]) -> Iterator[bytes]:
    """The NUL-separated tokens of a stream, read a block at a time."""
    pending = b""
    while block := stream.read(1 << 16):
        *complete, pending = (pending + block).split(b"\0")
        yield from complete
    if pending:
        yield pending


def _records(tokens: Iterator[bytes]) -> Iterator[tuple[str, list[tuple[str, bytes]]]]:
    """(header, [(new blob id, path)]) per commit of `git log -z --raw` output."""
    header: str | None = None
    changes: list[tuple[str, bytes]] = []
    for token in tokens:
        token = token.lstrip(b"\n")
        if token.startswith(b":"):
            path = next(tokens)
            changes.append((token.split()[3].decode(), path))
        elif token:
            if header is not None:
                yield header, changes
            header, changes = token.lstrip(b"\x1e").decode("utf-8", "replace"), []
    if header is not None:
        yield header, changes


def head_places(repo: Repository, oids: frozenset[str]) -> set[Place] | None:
    """The places of HEAD's tree whose blob is in `oids`; None when there is no HEAD."""
    if not repo.has_head:
        return None
    out = gitcmd.run(repo.root, "ls-tree", "-r", "-z", "--full-tree", "HEAD")
    places = set()
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.split(b"\t", 1)
        oid = meta.split()[2].decode()
        if oid in oids:
            places.add((path, oid))
    return places


def attribute(repo: Repository, revisions: Revisions, hits: list[tuple[BlobRef, list[Finding]]],
              detector: Detector, foreign_ignores: bool, incomplete: bool = False,
              ) -> list[Finding]:
    """One finding per (rule, secret, path) with commit, author, date, commit count, in_head.

    `incomplete`: the repository lacks objects; if the walk cannot read a tree, the findings
    are still reported, without commit, author and date."""
    if not hits:
        return []
    oids = frozenset(blob.oid for blob, _ in hits)
    try:
        history = walk(repo, revisions, oids)
    except ScanError:
        if not incomplete:
            raise
        history = Walk()
    by_place: dict[Place, list[Finding]] = {(blob.path, blob.oid): found for blob, found in hits}
    extra = [(path, oid.encode()) for path, oid in history.first if (path, oid) not in by_place]
    with gitcmd.ObjectReader(repo.root) as reader:
        for index, found in _scan_named(reader, repo.root, extra, detector, foreign_ignores):
            by_place[(extra[index][0], extra[index][1].decode())] = found
        before = set()
        if revisions.is_range:
            paths = {path for path, _ in by_place}
            before = _present_before(reader, repo, history, paths, detector, foreign_ignores)
    try:
        head = head_places(repo, oids)
    except ScanError:
        if not incomplete:
            raise
        head = None
    groups: dict[tuple[str, str, str], list[tuple[Place, Finding]]] = {}
    for place, found in by_place.items():
        for finding in found:
            key = (finding.rule_id, finding.secret_sha256, finding.path)
            if key not in before:
                groups.setdefault(key, []).append((place, finding))
    return [_attributed(members, history, head) for members in groups.values()]


def _attributed(members: list[tuple[Place, Finding]], history: Walk,
                head: set[Place] | None) -> Finding:
    def age(member: tuple[Place, Finding]) -> float:
        commit = history.first.get(member[0])
        return history.meta[commit][0] if commit is not None else float("inf")

    place, finding = min(members, key=age)
    commit = history.first.get(place)
    _, date, author = history.meta[commit] if commit else (None, None, None)
    places = {p for p, _ in members}
    return replace(finding,
        commit=commit, author=author, date=date,
        in_head=None if head is None else bool(places & head),
        commits=sum(history.carried.get(p, 0) for p in places))


def _scan_named(reader: gitcmd.ObjectReader, root: str, named: list[tuple[bytes, bytes]],
                detector: Detector, foreign_ignores: bool,
                ) -> Iterator[tuple[int, list[Finding]]]:
    """Read each (path, object name) the repository holds and scan it as that path: (index,
    findings) per text blob. Blobs over 10 MiB are streamed in pieces, never held whole."""
    present = present_blobs(root, {name.decode() for _, name in named})
    sizes = object_sizes(root, sorted(present))
    refs = [(index, BlobRef(name.decode(), sizes[name.decode()], path))
            for index, (path, name) in enumerate(named) if name.decode() in sizes]
    index_of = {id(ref): index for index, ref in refs}
    for blob, fragments in read_text(reader, [ref for _, ref in refs], "history", []):
        yield index_of[id(blob)], scan_fragments(fragments, detector,
                                                 foreign_ignores=foreign_ignores).findings


def _present_before(reader: gitcmd.ObjectReader, repo: Repository, history: Walk,
                    paths: set[bytes], detector: Detector, foreign_ignores: bool,
                    ) -> set[tuple[str, str, str]]:
    """(rule, secret, path) already in a boundary commit: a range did not introduce those.

    Paths are resolved with `ls-tree` and only blobs the repository holds are read, so a
    partial clone never fetches one."""
    places = [place for commit in sorted(history.boundary)
              for place in _blobs_at(repo, commit, sorted(paths))]
    present = present_blobs(repo.root, {oid for _, oid in places})
    named = [(path, oid.encode()) for path, oid in places if oid in present]
    scanned = _scan_named(reader, repo.root, named, detector, foreign_ignores)
    return {(f.rule_id, f.secret_sha256, f.path) for _, found in scanned for f in found}


def _blobs_at(repo: Repository, commit: str, paths: list[bytes]) -> list[Place]:
    """(path, blob id) of each of `paths` that is a blob in `commit`'s tree."""
    out = gitcmd.run(repo.root, "--literal-pathspecs", "ls-tree", "-z", "--full-tree", commit,
                     "--", *paths, ok_codes=(0, 128))
    places = []
    for entry in out.split(b"\0"):
        meta, _, path = entry.partition(b"\t")
        if meta.split()[1:2] == [b"blob"] and path in paths:
            places.append((path, meta.split()[2].decode()))
    return places
