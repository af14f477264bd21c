"""The project around a file: which folders' dependency manifests name a Mistral SDK.

The root and the folders just below it are read once per scan, before the files (a bounded
pre-read, cheap for every hook call); a folder the pre-read did not reach (deeper in a
monorepo, or past its budget) is read the first time a key-shaped file below it asks. The
detector gets a `Projects`: a file with no Mistral word in such a folder is still a candidate
(scanner.engine.decide, MG031).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable

# Dependency manifests by exact name, every ecosystem: Python, JS/Deno, Go, JVM, Apple, Dart,
# Rust, PHP, Ruby, .NET, Elixir, Clojure, R, Julia, Crystal, Haskell, Zig, C/C++; and the lock
# files that some repositories commit without the manifest beside them.
MANIFESTS = frozenset({
    "pyproject.toml", "setup.py", "setup.cfg", "Pipfile", "Pipfile.lock", "poetry.lock",
    "uv.lock", "pdm.lock", "pixi.toml", "meta.yaml", "conda.yaml", "conda.yml",
    "package.json", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock",
    "deno.json", "deno.jsonc", "jsr.json", "import_map.json", "go.mod", "go.sum",
    "pom.xml", "build.sbt", "libs.versions.toml", "gradle.properties",
    "Podfile", "Podfile.lock", "Package.swift", "Package.resolved", "Cartfile",
    "pubspec.yaml", "pubspec.lock", "Cargo.toml", "Cargo.lock", "composer.json",
    "composer.lock", "Gemfile", "Gemfile.lock", "packages.config", "Directory.Packages.props",
    "paket.dependencies", "mix.exs", "mix.lock", "deps.edn", "project.clj", "DESCRIPTION",
    "renv.lock", "Project.toml", "shard.yml", "stack.yaml", "package.yaml", "build.zig.zon",
    "vcpkg.json", "conanfile.txt",
})
MANIFEST_SUFFIXES = (".csproj", ".fsproj", ".vbproj", ".gemspec", ".cabal", ".nimble",
                     ".rockspec", ".podspec", ".gradle", ".gradle.kts")
# Manifests named by a pattern: requirements-dev.txt, dev-requirements.in, requirements_prod.txt,
# constraints.txt, environment-gpu.yml.
_MANIFEST_NAME = re.compile(r"""(?x)
    [\w.-]{0,40}requirements[\w.-]{0,40}\.(?:txt|in)   # pip requirement files
  | constraints[\w.-]{0,40}\.txt                      # pip constraints
  | environment[\w.-]{0,40}\.ya?ml                    # conda environments
  """)
# Folders that hold more manifests: requirements/base.txt, gradle/libs.versions.toml.
_MANIFEST_FOLDERS = frozenset({"requirements", "reqs", "gradle"})
# A Mistral package in a manifest: every SDK and framework integration names it (mistralai,
# @mistralai/mistralai, @ai-sdk/mistral, langchain4j-mistral-ai, spring-ai-mistral-ai,
# mistralai_dart, Mistral.SDK, mistral-go, php-mistral, pydantic-ai[mistral], ...), but not the
# local-inference and tokenizer packages (mistral-common, mistral-inference, mistral.rs),
# which call no API and hold no Mistral key.
_MISTRAL_PACKAGE = re.compile(rb"""(?x)
    mistral
    (?![-_.]?(?:common|inference|rs\b))   # not mistral_common, mistral-inference, mistral.rs
  """)
_SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "vendor", "dist", "build",
                        "__pycache__", "site-packages", "target", ".tox", ".next", "Pods",
                        "bower_components", "third_party", "third-party", "external"})
MANIFEST_DEPTH = 2  # folders below the scanned root whose manifests are pre-read
MAX_FOLDERS = 256  # folders pre-read in all, the root first, then level by level
LAZY_DEPTH = 8  # a folder deeper than this below the root is never read for manifests
_MANIFEST_BYTES = 256 * 1024


class Projects:
    """Which folders (POSIX, relative to the scanned root, "" for the root, else ending in "/")
    have a manifest that names Mistral, each with that manifest.

    `known` answers from the folders read so far; `lookup` also reads, once each, the folders
    above a file that were not read yet (at most LAZY_DEPTH levels below `root`, never inside
    vendored or generated trees). Answers depend on the files only, never on the order of the
    lookups, so every worker process finds the same."""

    def __init__(self, root: str | None, found: dict[str, str],
                 read: Iterable[str] = ()) -> None:
        self.root = root
        self.found = dict(found)
        self._read = set(read) | set(found)
        self._dead_ends: set[str] = set()  # folders that are symlinks or missing

    @classmethod
    def scan(cls, root: str) -> Projects:
        """The pre-read of `root` (see mistral_projects), lazy lookups below it after."""
        found, read = _pre_read(root)
        return cls(root, found, read)

    def known(self, path: str) -> str | None:
        """The manifest that ties `path` to Mistral among the folders read so far, or None."""
        return project_of(path, self.found)

    def lookup(self, path: str) -> str | None:
        """The manifest that ties `path` to Mistral, reading the unread folders above it. A
        folder that is a symlink (or no folder at all) ends the descent, as in the pre-read: a
        path from history must not lead the reads out of the repository."""
        if self.root is not None:
            for folder in _folders_above(path):
                if folder in self._dead_ends:
                    break
                if folder not in self._read:
                    self._read.add(folder)
                    directory = os.path.join(self.root, folder.rstrip("/"))  # `ext/` would
                    if folder and not _is_real_folder(directory):  # lstat through a symlink
                        self._dead_ends.add(folder)
                        break
                    manifest = _mistral_manifest(directory)
                    if manifest is not None:
                        self.found[folder] = folder + manifest
        return self.known(path)


def _folders_above(path: str) -> list[str]:
    """The folders of `path` that a lookup may read: from the root down, LAZY_DEPTH at most,
    stopping at a vendored or generated folder (node_modules/, vendor/, ...)."""
    parts = path.split("/")[:-1]
    folders = [""]
    for depth, part in enumerate(parts[:LAZY_DEPTH]):
        if part in _SKIP_DIRS or part in ("", ".", ".."):
            break
        folders.append("/".join(parts[:depth + 1]) + "/")
    return folders


def mistral_projects(root: str) -> dict[str, str]:
    """Folders (POSIX, relative to `root`, "" for the root) whose dependency manifests name a
    Mistral SDK or framework, each with the manifest that says so. Only regular files, only
    the root and MANIFEST_DEPTH levels of folders below it, and at most MAX_FOLDERS folders in
    all (in name order), so a wide monorepo costs every hook call the same few milliseconds."""
    return _pre_read(root)[0]


def _pre_read(root: str) -> tuple[dict[str, str], set[str]]:
    """The Mistral folders of the bounded pre-read, and every folder it read."""
    found: dict[str, str] = {}
    read: set[str] = set()
    level = [("", root)]
    for depth in range(MANIFEST_DEPTH + 1):
        below: list[tuple[str, str]] = []
        for relative, directory in level[:MAX_FOLDERS - len(read)]:
            read.add(relative)
            entries = _entries(directory)
            manifest = _first_mistral_manifest(directory, entries)
            if manifest is not None:
                found[relative] = relative + manifest
            if depth < MANIFEST_DEPTH:
                below.extend((f"{relative}{entry.name}/", entry.path) for entry in entries
                             if entry.name not in _SKIP_DIRS and entry.name not in
                             _MANIFEST_FOLDERS and _is_dir(entry))
        level = below
    return found, read


def _is_real_folder(path: str) -> bool:
    """True for a directory that is not a symlink."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _entries(directory: str) -> list[os.DirEntry[str]]:
    try:
        return sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError:
        return []


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _mistral_manifest(directory: str) -> str | None:
    """The first manifest of `directory` (its own name, relative to it) that names Mistral."""
    return _first_mistral_manifest(directory, _entries(directory))


def _first_mistral_manifest(directory: str, entries: list[os.DirEntry[str]]) -> str | None:
    for entry in entries:
        try:
            if entry.name in _MANIFEST_FOLDERS and entry.is_dir(follow_symlinks=False):
                inner = _mistral_manifest_in(entry.path)
                if inner is not None:
                    return f"{entry.name}/{inner}"
            elif _is_manifest(entry.name) and entry.is_file(follow_symlinks=False) \
                    and _names_mistral(entry.path):
                return entry.name
        except OSError:
            continue
    return None


def _is_manifest(name: str) -> bool:
    return name in MANIFESTS or name.endswith(MANIFEST_SUFFIXES) \
        or _MANIFEST_NAME.fullmatch(name) is not None


def _mistral_manifest_in(folder: str) -> str | None:
    """The first manifest in a requirements/ or gradle/ folder that names Mistral."""
    try:
        names = sorted(entry.name for entry in os.scandir(folder)
                       if entry.is_file(follow_symlinks=False))
    except OSError:
        return None
    for name in names:
        if name.endswith((".txt", ".in", ".toml")) and _names_mistral(os.path.join(folder, name)):
            return name
    return None


def _names_mistral(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return _MISTRAL_PACKAGE.search(handle.read(_MANIFEST_BYTES).lower()) is not None
    except OSError:
        return False


def project_of(path: str, projects: dict[str, str]) -> str | None:
    """The manifest that ties `path` (relative to the scanned root) to Mistral, or None."""
    if not projects:
        return None
    folder = path.rsplit("/", 1)[0] + "/" if "/" in path else ""
    while True:
        if folder in projects:
            return projects[folder]
        if not folder:
            return None
        folder = folder[:-1].rsplit("/", 1)[0] + "/" if "/" in folder[:-1] else ""
