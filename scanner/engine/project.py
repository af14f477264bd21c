"""The project around a file: which folders' dependency manifests name a Mistral SDK.

Read once per scan, before the files, and handed to the detector as a plain dictionary: a file
with no Mistral word in such a folder is still a candidate (scanner.engine.decide, MG031).
"""

from __future__ import annotations

import os

MANIFESTS = frozenset({
    "requirements.txt", "requirements-dev.txt", "requirements.in", "pyproject.toml", "setup.py",
    "setup.cfg", "Pipfile", "environment.yml", "environment.yaml", "package.json", "go.mod",
    "build.gradle", "build.gradle.kts", "settings.gradle.kts", "pom.xml", "build.sbt",
    "Podfile", "Package.swift", "pubspec.yaml", "Cargo.toml", "Gemfile", "composer.json",
    "mix.exs", "deno.json", "deps.edn", "project.clj", "DESCRIPTION", "renv.lock",
    "libs.versions.toml",
})
MANIFEST_SUFFIXES = (".csproj", ".fsproj", ".vbproj", ".gemspec", ".cabal", ".nimble")
# Folders that hold more manifests: requirements/base.txt, gradle/libs.versions.toml.
_MANIFEST_FOLDERS = frozenset({"requirements", "gradle"})
_SKIP_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "vendor", "dist", "build",
                        "__pycache__", "site-packages", "target", ".tox", ".next"})
MANIFEST_DEPTH = 2  # folders below the scanned root whose manifests are read
MAX_FOLDERS = 256  # folders read in all, the root first, then level by level
_MANIFEST_BYTES = 256 * 1024


def mistral_projects(root: str) -> dict[str, str]:
    """Folders (POSIX, relative to `root`, "" for the root) whose dependency manifests name a
    Mistral SDK or framework, each with the manifest that says so. Read once per scan; only
    regular files, only the root and MANIFEST_DEPTH levels of folders below it, and at most
    MAX_FOLDERS folders in all (in name order), so a wide monorepo costs every hook call the
    same few milliseconds."""
    found: dict[str, str] = {}
    level = [("", root)]
    read = 0
    for depth in range(MANIFEST_DEPTH + 1):
        below = []
        for relative, directory in level[:MAX_FOLDERS - read]:
            read += 1
            try:
                entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
            except OSError:
                continue
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name in _MANIFEST_FOLDERS:
                            manifest = _mistral_manifest_in(entry.path)
                            if manifest is not None and relative not in found:
                                found[relative] = f"{relative}{entry.name}/{manifest}"
                        elif depth < MANIFEST_DEPTH and entry.name not in _SKIP_DIRS:
                            below.append((f"{relative}{entry.name}/", entry.path))
                    elif _is_manifest(entry.name) and entry.is_file(follow_symlinks=False) \
                            and relative not in found and _names_mistral(entry.path):
                        found[relative] = f"{relative}{entry.name}"
                except OSError:
                    continue
        level = below
    return found


def _is_manifest(name: str) -> bool:
    return name in MANIFESTS or name.endswith(MANIFEST_SUFFIXES)


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
            return b"mistral" in handle.read(_MANIFEST_BYTES).lower()
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
