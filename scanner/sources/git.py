"""Git sources: the index (`staged`) and the unique blobs of history (`history`).

Every git call goes through `scanner.sources.gitcmd`. Blobs are enumerated once with
`git rev-list --objects | git cat-file --batch-check` and read through long-lived
`git cat-file --batch` readers (one per worker), never one process per object.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, groupby

from scanner.errors import ScanError, quoted
from scanner.models import Fragment, Skipped
from scanner.sources import gitcmd
from scanner.sources.files import (
    DEFAULT_MAX_FILE_SIZE,
    STREAM_AFTER_BYTES,
    display_path,
    line_ends,
    over_limit,
    pieces,
    text_encoding,
)

ZERO_ID = "0" * 40
GITLINK_MODE = b"160000"  # a submodule: a commit of another repository, nothing to read here
SUBMODULE_NOT_SCANNED = "submodule, not scanned: run mistral-guard in it"


def submodules_at_head(repo: Repository) -> list[Skipped]:
    """The submodules HEAD names, as skipped paths: their content is another repository's."""
    if not repo.has_head:
        return []
    out = gitcmd.run(repo.root, "ls-tree", "-r", "-z", "--full-tree", "HEAD")
    return [Skipped(show_path(entry.split(b"\t", 1)[1]), SUBMODULE_NOT_SCANNED)
            for entry in out.split(b"\0") if entry.startswith(GITLINK_MODE + b" ")]


def show_path(raw: bytes) -> str:
    """A git path (bytes, any encoding) as a printable POSIX path."""
    return display_path(os.fsdecode(raw))


@dataclass(frozen=True)
class Repository:
    """Where git commands run (the top level, or the git dir of a bare repository)."""

    root: str
    shallow: bool
    has_head: bool
    bare: bool

    @classmethod
    def open(cls, path: str) -> Repository:
        if not os.path.isdir(path):
            raise ScanError(f"not a directory: {display_path(path)}")
        out = gitcmd.run(path, "rev-parse", "--is-bare-repository", "--is-shallow-repository")
        bare, shallow = out.decode().split()
        root = path if bare == "true" else \
            os.fsdecode(gitcmd.run(path, "rev-parse", "--show-toplevel").rstrip(b"\n"))
        head = gitcmd.run(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}",
                          ok_codes=(0, 1))
        return cls(root, shallow == "true", bool(head.strip()), bare == "true")


@dataclass(frozen=True)
class BlobRef:
    """A blob to scan: its id, size, and one path it has in the scanned history."""

    oid: str
    size: int
    path: bytes


def read_text(reader: gitcmd.ObjectReader, blobs: list[BlobRef], origin: str,
              skipped: list[Skipped], gate: Callable[[bytes, str], bool] | None = None,
              ) -> Iterator[tuple[BlobRef, Iterable[Fragment]]]:
    """Read `blobs` and yield each text one with its fragments; binary ones are skipped and named.

    The fragments are `()` for a UTF-8 blob that `gate(data, path)` (Detector.may_match)
    rejects: it cannot hold a finding and is never decoded. A blob over STREAM_AFTER_BYTES is
    read and decoded in overlapping pieces (never held whole); consume its fragments before
    taking the next blob."""
    for large, run in groupby(blobs, key=lambda blob: blob.size > STREAM_AFTER_BYTES):
        if large:
            for blob in run:
                fragments = _streamed(reader, blob, origin, skipped)
                if fragments is not None:
                    yield blob, fragments
            continue
        small = list(run)
        for blob, data in zip(small, reader.read([b.oid.encode() for b in small]), strict=True):
            if data is None:
                raise _missing(blob)
            encoding = text_encoding(data)
            if encoding is None:
                skipped.append(Skipped(show_path(blob.path), "binary"))
                continue
            path = show_path(blob.path)
            if encoding == "utf-8" and gate is not None and not gate(data, path):
                yield blob, ()
            else:
                yield blob, (Fragment(path, line_ends(data.decode(encoding, "replace")), 1,
                                      origin),)


def _streamed(reader: gitcmd.ObjectReader, blob: BlobRef, origin: str,
              skipped: list[Skipped]) -> Iterator[Fragment] | None:
    """A large blob's fragments, read a block at a time; None (and skipped) when binary."""
    blocks = reader.blocks(blob.oid.encode())
    if blocks is None:
        raise _missing(blob)
    head = next(blocks, b"")
    encoding = text_encoding(head)
    if encoding is None:
        for _ in blocks:  # the reader answers in order: the rest is read and dropped
            pass
        skipped.append(Skipped(show_path(blob.path), "binary"))
        return None
    path = show_path(blob.path)
    texts = _decoded(chain((head,), blocks), encoding)
    return (Fragment(path, text, line, origin, start_column=column, continued=index > 0)
            for index, (text, line, column) in enumerate(pieces(texts)))


def _decoded(blocks: Iterable[bytes], encoding: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)("replace")
    for block in blocks:
        yield decoder.decode(block)
    yield decoder.decode(b"", final=True)


def _missing(blob: BlobRef) -> ScanError:
    return ScanError(f"object {blob.oid} is missing: the repository is corrupt or incomplete")


@dataclass
class StagedSource:
    """The index: blobs of added, copied, modified or retyped files (what the next commit holds)."""

    repo: Repository
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    skipped: list[Skipped] = field(default_factory=list)
    bytes_read: int = 0
    missing: int = 0  # staged blobs this repository does not hold (a partial or damaged copy)

    def blobs(self) -> list[BlobRef]:
        if self.repo.bare:
            raise ScanError("a bare repository has no index, so nothing is staged; "
                            "scan its history with: mistral-guard history")
        if self.repo.has_head:
            out = gitcmd.run(self.repo.root, "diff-index", "--cached", "-z", "--raw",
                             "--no-renames", "--no-textconv", "--no-ext-diff",
                             "--diff-filter=ACMT", "HEAD")
            tokens = out.split(b"\0")
            # the output ends in NUL, so the last (empty) token has no pair
            entries = [(meta.split()[1], meta.split()[3], path)
                       for meta, path in zip(tokens[::2], tokens[1::2], strict=False)]
        else:
            out = gitcmd.run(self.repo.root, "ls-files", "--stage", "-z")
            entries = [(meta.split()[0], meta.split()[1], path) for meta, path in
                       (entry.split(b"\t", 1) for entry in out.split(b"\0") if entry)]
        self.skipped.extend(Skipped(show_path(path), SUBMODULE_NOT_SCANNED)
                            for mode, _, path in entries if mode == GITLINK_MODE)
        pairs = [(oid.decode(), path) for mode, oid, path in entries
                 if mode != GITLINK_MODE and oid.decode() != ZERO_ID]
        present = present_blobs(self.repo.root, {oid for oid, _ in pairs})
        self.missing = len({oid for oid, _ in pairs} - present)
        pairs = [(oid, path) for oid, path in pairs if oid in present]
        sizes = object_sizes(self.repo.root, [oid for oid, _ in pairs])
        return [BlobRef(oid, sizes[oid], path) for oid, path in pairs]

    def fragments(self) -> Iterator[Fragment]:
        wanted = []
        for blob in self.blobs():
            if over_limit(blob.size, self.max_file_size):
                self.skipped.append(Skipped(show_path(blob.path), "too large"))
            else:
                wanted.append(blob)
        with gitcmd.ObjectReader(self.repo.root) as reader:
            for blob, fragments in read_text(reader, wanted, "staged", self.skipped):
                self.bytes_read += blob.size
                yield from fragments


def present_blobs(root: str, oids: set[str]) -> set[str]:
    """The blobs among `oids` that this repository holds, found without reading or fetching
    any (`cat-file` would fetch a missing one from a partial clone's promisor remote)."""
    if not oids:
        return set()
    out = gitcmd.run(root, "rev-list", "--objects", "--no-walk", "--ignore-missing",
                     "--missing=print", "--stdin",
                     stdin="".join(f"{oid}\n" for oid in sorted(oids)).encode())
    return {line.split()[0] for line in out.decode().splitlines()
            if line and not line.startswith("?")} & oids


def object_sizes(root: str, oids: list[str]) -> dict[str, int]:
    """The size of each blob, from one `git cat-file --batch-check` call."""
    if not oids:
        return {}
    out = gitcmd.run(root, "cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)",
                     stdin="".join(f"{oid}\n" for oid in oids).encode())
    sizes = {}
    for line in out.decode().splitlines():
        oid, kind, *rest = line.split()
        if kind != "blob":
            raise ScanError(f"object {oid} is {kind}: the repository is corrupt or incomplete")
        sizes[oid] = int(rest[0])
    return sizes


@dataclass(frozen=True)
class Revisions:
    """What a history scan covers, in the form both `rev-list` and `log` accept.

    `options` go before `--end-of-options`, user-given `revs` after it (so they can never be
    read as options), and `tips` (object ids) are fed on stdin.
    """

    options: tuple[str, ...] = ("--all",)
    revs: tuple[str, ...] = ()
    tips: tuple[str, ...] = ()
    is_range: bool = False

    def args(self) -> list[str]:
        return [*self.options, "--stdin", "--end-of-options", *self.revs]

    def stdin(self, commits_only: frozenset[str] | None = None) -> bytes:
        tips = self.tips if commits_only is None else [t for t in self.tips if t in commits_only]
        return "".join(f"{tip}\n" for tip in tips).encode()


def all_refs(repo: Repository, include_unreachable: bool) -> Revisions:
    """Every ref (branches, tags, remotes, the stash and its older entries), and optionally
    every object no ref reaches (dangling commits, trees and blobs, reflog leftovers)."""
    if not gitcmd.run(repo.root, "rev-list", "-n1", "--all").strip():
        raise ScanError("the repository has no commits yet; to scan the index run: "
                        "mistral-guard staged")
    tips = []
    if gitcmd.run(repo.root, "for-each-ref", "refs/stash").strip():
        tips += gitcmd.run(repo.root, "rev-list", "--walk-reflogs", "refs/stash").decode().split()
    if include_unreachable:
        # exit code 2: reachable objects are missing; the listing counts those
        out = gitcmd.run(repo.root, "fsck", "--connectivity-only", "--dangling", "--no-reflogs",
                         "--no-progress", ok_codes=(0, 2))
        tips += [line.split()[2] for line in out.decode().splitlines()
                 if line.startswith("dangling ")]
    return Revisions(tips=tuple(dict.fromkeys(tips)))


def rev_range(spec: str) -> Revisions:
    """A user-given range such as `origin/main..HEAD` (only what those commits introduce)."""
    if not spec or spec.startswith("-"):
        raise ScanError(f"bad revision range: {spec!r}")
    return Revisions(options=(), revs=(spec,), is_range=".." in spec or spec.startswith("^"))


def check_revisions(repo: Repository, revisions: Revisions) -> None:
    """A ScanError naming the first user-given revision git does not read as revisions here
    (`HEAD^!`, `A...B` and `:/message` are read as such): git would read `history .` as a
    path and scan nothing, and say nothing."""
    for spec in revisions.revs:
        if not gitcmd.run(repo.root, "rev-parse", "--revs-only", "--end-of-options", spec,
                          ok_codes=(0, 128)).strip():
            hint = (f"; to scan the repository in that folder: --repo {quoted(spec)}"
                    if os.path.isdir(spec) else "")
            raise ScanError(f"not a commit or range of commits here: {quoted(spec)}{hint}")


def pushed(env: dict[str, str]) -> Revisions | None:
    """The commits a pre-push hook run by pre-commit is pushing; None when nothing is pushed.

    pre-commit sets PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF when the remote has the old tip; for
    a new branch it may set neither (or the old tip may be all zeros): then every commit of
    the pushed branch that no remote-tracking ref of that remote already has is scanned.
    """
    from_ref, to_ref = env.get("PRE_COMMIT_FROM_REF", ""), env.get("PRE_COMMIT_TO_REF", "")
    to_ref = to_ref or env.get("PRE_COMMIT_LOCAL_BRANCH", "")
    if not to_ref:
        raise ScanError("--pre-push needs PRE_COMMIT_TO_REF or PRE_COMMIT_LOCAL_BRANCH "
                        "(set by pre-commit's pre-push stage)")
    if set(to_ref) == {"0"}:
        return None  # a branch deletion: nothing is pushed
    if from_ref and set(from_ref) != {"0"}:
        return Revisions(options=(), revs=(f"{from_ref}..{to_ref}",), is_range=True)
    remote = env.get("PRE_COMMIT_REMOTE_NAME", "")
    options = ("--not", f"--remotes={remote}", "--not") if remote else ()
    return Revisions(options=options, revs=(to_ref,), is_range=bool(remote))


@dataclass
class BlobListing:
    """Streams the unique blobs of some revisions; counts the commits on the way, and the
    objects that could not be read: missing trees and blobs (a partial clone, a damaged copy)
    and, in a shallow clone, the parents cut off at the boundary."""

    repo: Repository
    revisions: Revisions
    commits: int = 0
    missing: int = 0
    _cut: set[str] = field(default_factory=set)  # walked commits at the shallow boundary
    _shallow: frozenset[str] = frozenset()

    def blobs(self) -> Iterator[BlobRef]:
        if self.repo.shallow:
            self._shallow = _shallow_commits(self.repo)
        yield from self._listed()
        if self._cut:
            self.missing += _cut_parents(self.repo, sorted(self._cut))

    def _listed(self) -> Iterator[BlobRef]:
        # --missing=print: a missing object is listed as `?<id>` instead of failing the walk,
        # and rev-list never fetches it from a promisor remote.
        revlist_args = ["rev-list", "--objects", "--missing=print", *self.revisions.args()]
        # The type first: the many tree lines are passed over without being split.
        check_args = ["cat-file", "--batch-check=%(objecttype) %(objectname) %(objectsize) %(rest)"]
        walker = gitcmd.start(self.repo.root, *revlist_args)
        try:
            checker = gitcmd.start(self.repo.root, *check_args, stdin=walker.stdout)
        except ScanError:
            walker.kill()
            raise
        assert walker.stdin is not None and walker.stdout is not None
        walker.stdout.close()  # the checker owns the read end now
        walker.stdin.write(self.revisions.stdin())
        walker.stdin.close()
        assert checker.stdout is not None
        try:
            for line in checker.stdout:
                if line.startswith(b"tree "):
                    continue
                blob = self._parse(line.rstrip(b"\n"))
                if blob is not None:
                    yield blob
        except BaseException:
            for proc in (walker, checker):
                proc.kill()
                proc.wait()
            raise
        gitcmd.finish(self.repo.root, walker, revlist_args)
        gitcmd.finish(self.repo.root, checker, check_args)

    def _parse(self, line: bytes) -> BlobRef | None:
        fields = line.split(b" ", 3)
        if len(fields) == 2 and fields[1] == b"missing":
            self.missing += 1
            return None
        if len(fields) < 3:
            raise ScanError(f"git cat-file answered {line[:80]!r} for an object of the walk")
        kind = fields[0]
        if kind == b"commit":
            self.commits += 1
            if fields[1].decode() in self._shallow:
                self._cut.add(fields[1].decode())
        if kind != b"blob":
            return None
        oid = fields[1].decode()
        path = fields[3] if len(fields) == 4 else b""
        return BlobRef(oid, int(fields[2]), path or f"(blob {oid[:12]} without a path)".encode())


def _shallow_commits(repo: Repository) -> frozenset[str]:
    """The commits of a shallow clone whose parents it does not hold (`.git/shallow`)."""
    path = gitcmd.run(repo.root, "rev-parse", "--git-path", "shallow").decode().rstrip("\n")
    try:
        with open(os.path.join(repo.root, path), encoding="ascii") as listed:
            return frozenset(listed.read().split())
    except OSError:
        return frozenset()


def _cut_parents(repo: Repository, commits: list[str]) -> int:
    """How many parents the stored commits name, beyond a shallow clone's boundary."""
    parents: set[bytes] = set()
    with gitcmd.ObjectReader(repo.root) as reader:
        for data in reader.read([commit.encode() for commit in commits]):
            header = (data or b"").split(b"\n\n", 1)[0]
            parents.update(line[7:] for line in header.splitlines()
                           if line.startswith(b"parent "))
    return len(parents)
