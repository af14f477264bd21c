"""The working-tree source: walk directories honouring .gitignore, read files safely."""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scanner.config import DEFAULT_MAX_FILE_SIZE
from scanner.errors import ScanError
from scanner.models import Fragment, Skipped

NO_LIMIT = 0  # --max-file-size 0: read files of any size (the large ones streamed)
SNIFF_BYTES = 8192
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Checked before UTF-16: the UTF-32-LE BOM FF FE 00 00 starts with UTF-16-LE's.
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
# Files larger than this are read in overlapping pieces, so memory stays bounded.
STREAM_AFTER_BYTES = DEFAULT_MAX_FILE_SIZE
PIECE_CHARS = 4 * 1024 * 1024
OVERLAP_CHARS = 256 * 1024
_READ_BYTES = 1024 * 1024
# O_NONBLOCK: a file swapped for a FIFO after `stat` must not block the open or the read.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)
_LAST_BREAK = re.compile(r"[^A-Za-z0-9][A-Za-z0-9]*\Z")  # the last non-token character
_LONE_CR = re.compile(r"\r(?!\n)")  # a classic-Mac line end: a CR not followed by LF

if TYPE_CHECKING:
    from typing import Protocol

    class PathFilter(Protocol):
        """The configuration's say on which paths a walk reads (`exclude`, `include`)."""

        def excluded(self, path: str, is_dir: bool) -> bool: ...

        def force_included(self, path: str, is_dir: bool) -> bool: ...

    from scanner.sources.patterns import PathPatterns


def over_limit(size: int, limit: int) -> bool:
    """True when `size` bytes exceed the --max-file-size `limit` (0: no limit)."""
    return limit != NO_LIMIT and size > limit


def scan_root(paths: tuple[str, ...]) -> str:
    """The directory finding paths are relative to: the one directory scanned, else `.`."""
    if len(paths) == 1 and paths[0] != "-" and os.path.isdir(paths[0]):
        return paths[0]
    return "."


@dataclass
class FileSource:
    """Yields one Fragment per readable text file; records what it skipped and why.

    `path_filter` (the configuration) drops `exclude`d paths before they are read and walks
    into git-ignored places that `include` asks for."""

    paths: tuple[str, ...]
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    honour_gitignore: bool = True
    path_filter: PathFilter | None = None
    skipped: list[Skipped] = field(default_factory=list)
    bytes_read: int = 0
    # A cheap test on the raw bytes of a UTF-8 file (Detector.may_match): files it rejects
    # cannot hold a finding, so they are counted in `clean_files` and never decoded.
    gate: Callable[[bytes, str], bool] | None = None
    clean_files: int = 0

    def __post_init__(self) -> None:
        for path in self.paths:
            try:
                if path != "-":
                    os.lstat(path)
            except (FileNotFoundError, NotADirectoryError):
                raise ScanError(f"path does not exist: {display_path(path)}") from None
            except OSError:  # permission denied, say: skipped and named when it is read
                pass
        self._base = scan_root(self.paths)
        walks_one_dir = (len(self.paths) == 1 and self.paths[0] != "-"
                         and os.path.isdir(self.paths[0]))
        # One directory to walk: every file is `<base>/<plain names>`, relative by slicing.
        self._walked_prefix = self._base + os.sep if walks_one_dir else None

    def with_fresh_counters(self) -> FileSource:
        """A copy with the same settings and its own empty counters and skipped list (not
        replace(): that would check every path again)."""
        copy = object.__new__(FileSource)
        copy.__dict__.update(self.__dict__, skipped=[], bytes_read=0, clean_files=0)
        return copy

    def fragments(self, files: Iterable[str] | None = None) -> Iterator[Fragment]:
        """Fragments of `files` (entries of `files()`), by default of everything to scan."""
        for path in self.files() if files is None else files:
            if path == "-":
                yield from self._stdin()
            else:
                yield from self._file(path)

    def files(self) -> Iterator[str]:
        """Every file to read once, in scan order: directories walked; `-` stands for stdin."""
        if len(self.paths) == 1:  # one path: no file can come twice
            yield from self._unfiltered_files()
            return
        seen: set[str] = set()
        for path in self._unfiltered_files():
            key = os.path.normpath(path)
            if key not in seen:  # `scan . ./a.env` or `scan a a` reads a.env once
                seen.add(key)
                yield path

    def _unfiltered_files(self) -> Iterator[str]:
        for path in self.paths:
            if path != "-" and os.path.isdir(path) and not os.path.islink(path):
                yield from self._walk(path)
            elif (path == "-" or self.path_filter is None
                  or not self.path_filter.excluded(path, False)):
                yield path

    def _stdin(self) -> Iterator[Fragment]:
        """Standard input under --max-file-size, like a file: read whole up to the size at
        which files are streamed, in overlapping pieces beyond it (memory stays bounded)."""
        import sys

        stream = sys.stdin.buffer if sys.stdin is not None else None
        if stream is None:  # started with stdin closed
            self.skipped.append(Skipped("<stdin>", "closed"))
            return
        head = _read_up_to(stream.fileno(), STREAM_AFTER_BYTES + 1)
        if over_limit(len(head), self.max_file_size):
            self.bytes_read += len(head)
            self.skipped.append(Skipped("<stdin>", "too large"))
            return
        if len(head) <= STREAM_AFTER_BYTES:
            self.bytes_read += len(head)
            text = decode(head)
            if text is None:
                self.skipped.append(Skipped("<stdin>", "binary"))
            else:
                yield Fragment("<stdin>", text, 1, "stdin")
            return
        yield from self._pieces(head, lambda: os.read(stream.fileno(), _READ_BYTES),
                                "<stdin>", "stdin")

    def _relative(self, path: str) -> str:
        if self._walked_prefix is not None and path.startswith(self._walked_prefix):
            return display_path(path[len(self._walked_prefix):].replace(os.sep, "/"))
        relative = os.path.relpath(path, self._base)
        if relative.startswith(".." + os.sep) or relative == "..":
            relative = os.path.abspath(path)
        return display_path(relative.replace(os.sep, "/"))

    def _walk(self, root: str) -> Iterator[str]:
        ignore = _IgnoreStack(root, self._skip_ignore_file) if self.honour_gitignore else None
        tracked = _Tracked(root)
        keep = self.path_filter
        stack = [(root, False)]  # (directory, git-ignored: only `include`d files are read)
        while stack:
            directory, inside_ignored = stack.pop()
            try:
                entries = sorted(os.scandir(directory), key=lambda e: e.name)
            except OSError as exc:  # named with a slash: a folder, not a file
                self.skipped.append(Skipped(self._relative(directory) + "/", _reason(exc)))
                continue
            if ignore is not None:
                ignore.enter(directory)
            subdirs = []
            for entry in entries:
                if entry.name == ".git":
                    continue
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
                if keep is not None and keep.excluded(entry.path, is_dir):
                    continue
                ignored = inside_ignored or (
                    ignore is not None and ignore.ignored(entry.path, is_dir)
                    and not tracked.holds(entry.path, is_dir))
                if ignored and (keep is None or not keep.force_included(entry.path, is_dir)):
                    continue
                if is_dir:
                    subdirs.append((entry.path, ignored))
                else:
                    yield entry.path
            stack.extend(reversed(subdirs))

    def _skip_ignore_file(self, path: str, reason: str) -> None:
        self.skipped.append(Skipped(self._relative(path), f"ignore file {reason}"))

    def _file(self, path: str) -> Iterator[Fragment]:
        shown = self._relative(path)
        try:
            info = os.stat(path)  # follows symlinks: a symlink to a file is scanned
        except OSError as exc:
            reason = "broken symlink" if os.path.islink(path) else _reason(exc)
            self.skipped.append(Skipped(shown, reason))
            return
        if stat.S_ISDIR(info.st_mode):
            return  # a symlink to a directory: not followed, so loops cannot happen
        if not stat.S_ISREG(info.st_mode):
            self.skipped.append(Skipped(shown, "not a regular file"))
            return
        if over_limit(info.st_size, self.max_file_size):
            self.skipped.append(Skipped(shown, "too large"))
            return
        if info.st_size > STREAM_AFTER_BYTES:
            yield from self._streamed(path, shown)
            return
        try:
            # Sized by stat (a max-size buffer per file costs more than reading the file); the
            # size stat gave means the whole file, in one read; a file that grew or shrank since
            # (or a short read) is read on up to the limit. os.open/os.read: a buffered file
            # object costs more than the read itself on a tree of small files.
            handle = os.open(path, _OPEN_FLAGS)
            try:
                data = os.read(handle, info.st_size + 1)
                if len(data) != info.st_size:
                    data += _read_up_to(handle, max(self.max_file_size, STREAM_AFTER_BYTES)
                                        + 1 - len(data))
            finally:
                os.close(handle)
        except OSError as exc:
            self.skipped.append(Skipped(shown, _reason(exc)))
            return
        if over_limit(len(data), self.max_file_size):
            self.skipped.append(Skipped(shown, "too large"))
            return
        self.bytes_read += len(data)
        encoding = text_encoding(data)
        if encoding is None:
            self.skipped.append(Skipped(shown, "binary"))
            return
        if encoding == "utf-8" and self.gate is not None and not self.gate(data, shown):
            self.clean_files += 1
            return
        yield Fragment(shown, line_ends(data.decode(encoding, "replace")), 1, "file")

    def _streamed(self, path: str, shown: str) -> Iterator[Fragment]:
        """A large file in overlapping pieces (see `pieces`); a read error skips the rest."""
        try:
            with open(path, "rb") as handle:
                yield from self._pieces(handle.read(_READ_BYTES),
                                        lambda: handle.read(_READ_BYTES), shown, "file")
        except OSError as exc:
            self.skipped.append(Skipped(shown, _reason(exc)))

    def _pieces(self, head: bytes, read: Callable[[], bytes], shown: str,
                origin: str) -> Iterator[Fragment]:
        """Fragments of `head` and the blocks `read()` gives until it gives none, decoded
        incrementally and cut by `pieces`. Reading stops past --max-file-size (stdin)."""
        encoding = text_encoding(head)
        if encoding is None:
            self.bytes_read += len(head)
            self.skipped.append(Skipped(shown, "binary"))
            return
        decoder = codecs.getincrementaldecoder(encoding)("replace")
        total = 0

        def texts() -> Iterator[str]:
            nonlocal total
            block = head
            while block and not over_limit(total + len(block), self.max_file_size):
                total += len(block)
                self.bytes_read += len(block)
                yield decoder.decode(block)
                block = read()
            if block:
                self.skipped.append(Skipped(shown, "too large: only the first "
                                                   f"{total} bytes were scanned"))
            yield decoder.decode(b"", final=True)

        for index, (text, line, column) in enumerate(pieces(texts())):
            yield Fragment(shown, text, line, origin, start_column=column, continued=index > 0)


def pieces(texts: Iterable[str], size: int = PIECE_CHARS,
           overlap: int = OVERLAP_CHARS) -> Iterator[tuple[str, int, int]]:
    """Cut a stream of text into (piece, start line, start column), in order.

    Pieces hold about `size` characters and overlap by `overlap / 2` to `overlap`, so every
    character lies in some piece with at least `overlap / 4` characters around it: a secret
    across a cut and its context are seen whole. Cuts fall after a line end where one is near,
    else after a character that cannot be part of a key, so no piece ends or starts mid-token.
    """
    buffer, line, column = "", 1, 1
    for text in texts:
        buffer += text
        while len(buffer) >= size:
            end = _cut(buffer, size - overlap // 2, size)
            yield buffer[:end], line, column
            restart = _cut(buffer, end - overlap, end - overlap // 2)
            consumed = buffer[:restart]
            newlines = consumed.count("\n")
            line += newlines
            column = restart - consumed.rfind("\n") if newlines else column + restart
            buffer = buffer[restart:]
    if buffer or line == 1 == column:
        yield buffer, line, column


def _cut(text: str, low: int, high: int) -> int:
    """An index in (low, high]: after the last line end there, else after the last
    character that is no letter or digit, else `high`."""
    newline = text.rfind("\n", low, high)
    if newline >= 0:
        return newline + 1
    found = _LAST_BREAK.search(text, low, high)
    return high if found is None else found.start() + 1


def _read_up_to(handle: int, size: int) -> bytes:
    """Up to `size` bytes from a file descriptor: fewer only at the end of the file."""
    parts = []
    while size:
        data = os.read(handle, size)
        if not data:
            break
        parts.append(data)
        size -= len(data)
    return b"".join(parts)


def text_encoding(data: bytes) -> str | None:
    """How a file's bytes are decoded: "utf-32" or "utf-16" (BOM), "utf-16-le"/"utf-16-be"
    (no BOM, but NUL in every other byte: ASCII text in UTF-16), "utf-8", or None for binary."""
    if data.startswith(_UTF32_BOMS):
        return "utf-32"
    if data.startswith(_UTF16_BOMS):
        return "utf-16"
    if data.find(b"\0", 0, SNIFF_BYTES) < 0:
        return "utf-8"
    sample = data[:SNIFF_BYTES]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if even == 0 and odd * 4 >= len(sample) // 2:
        return "utf-16-le"
    if odd == 0 and even * 4 >= len(sample) // 2:
        return "utf-16-be"
    return None


def decode(data: bytes) -> str | None:
    """Text of a file, or None for binary. Never raises: bad bytes become U+FFFD."""
    encoding = text_encoding(data)
    return None if encoding is None else line_ends(data.decode(encoding, "replace"))


def line_ends(text: str) -> str:
    """`text` with each lone CR (classic Mac line ends) made an LF, so lines are counted
    right; one character for one, so columns stay."""
    return _LONE_CR.sub("\n", text) if "\r" in text else text


def display_path(path: str) -> str:
    """A path safe to print: undecodable bytes in file names become U+FFFD."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _reason(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


class _Tracked:
    """The files git tracks below a scan root: git pushes them whatever .gitignore says (a
    `.env` committed before it was ignored), so they are scanned. Asked only about ignored
    paths; one `git ls-files` on the first question, none outside a work tree."""

    def __init__(self, root: str) -> None:
        self._root = root.rstrip(os.sep) + os.sep
        self._files: set[str] | None = None
        self._folders: set[str] = set()

    def holds(self, path: str, is_dir: bool) -> bool:
        """True when `path` is a tracked file, or a folder with a tracked file below it."""
        if self._files is None:
            self._files = self._list()
            self._folders = {parent for name in self._files
                             for parent in _parents(name)}
        relative = path[len(self._root):] if path.startswith(self._root) else path
        relative = relative.replace(os.sep, "/")
        return relative in (self._folders if is_dir else self._files)

    def _list(self) -> set[str]:
        from scanner.sources import gitcmd

        if not os.path.isdir(self._root):
            return set()
        try:  # paths relative to the root; outside a work tree git fails: nothing tracked
            out = gitcmd.run(self._root, "ls-files", "-z", "--cached", "--", ".")
        except ScanError:
            return set()
        return {os.fsdecode(name) for name in out.split(b"\0") if name}


def _parents(name: str) -> Iterator[str]:
    """`a/b/c` -> `a/b`, `a`."""
    while "/" in name:
        name = name.rsplit("/", 1)[0]
        yield name


class _IgnoreStack:
    """The .gitignore files (and .git/info/exclude) that apply below a scan root.

    Each directory's patterns are read by pathspec (scanner.sources.patterns)."""

    def __init__(self, root: str, skip: Callable[[str, str], None]) -> None:
        self._skip = skip  # told (path, reason) about an ignore file it could not read
        self._lines: dict[str, list[str]] = {}
        self._specs: dict[str, PathPatterns] = {}
        exclude = os.path.join(root, ".git", "info", "exclude")
        self._load(root, exclude)

    def _load(self, directory: str, path: str) -> None:
        from scanner.ownfile import NotReadable, read_own_bytes

        try:  # a regular file under a size cap: a FIFO or /dev/zero is named, not read
            lines = read_own_bytes(path).decode("utf-8", "replace").splitlines()
        except NotReadable as exc:
            if exc.reason not in ("not found", "not a directory"):
                self._skip(path, exc.reason)
            return
        # Keyed by the prefix of the paths below `directory`: `scan proj/` walks `proj/sub`.
        prefix = directory if directory.endswith(os.sep) else directory + os.sep
        lines = self._lines.setdefault(prefix, []) + lines  # .git/info/exclude first
        self._lines[prefix] = lines
        self._specs[prefix] = _decider(lines)

    def enter(self, directory: str) -> None:
        """Read `directory`'s own .gitignore before its entries are checked."""
        self._load(directory, os.path.join(directory, ".gitignore"))

    def ignored(self, path: str, is_dir: bool) -> bool:
        """True when the nearest .gitignore that decides about `path` ignores it."""
        verdict = False
        for prefix, spec in self._specs.items():
            if path.startswith(prefix):
                relative = path[len(prefix):].replace(os.sep, "/")
                decided = spec.decision(relative + ("/" if is_dir else ""))
                if decided is not None:
                    verdict = decided
        return verdict


def _decider(lines: list[str]) -> PathPatterns:
    """The patterns of one ignore file; like git, a malformed line (`!`, `\\`) is ignored."""
    from scanner.sources.patterns import PathPatterns

    return PathPatterns(lines, skip_malformed=True)
