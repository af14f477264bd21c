"""Configuration: `[tool.mistral-guard]` in pyproject.toml or a `.mistral-guard.toml`.

The file is found by walking up from the scanned root (stopping at the repository root);
`--config FILE` names it instead, and command-line flags override what it says. Every value
remembers where it came from, for `mistral-guard config`. Globs and file names in a
configuration file are relative to the directory that holds it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from scanner.errors import ScanError, quoted
from scanner.models import CONFIDENCES, RULE_ID, SEVERITIES, SHA256_HEX
from scanner.rules.loader import read_toml

OWN_FILE = ".mistral-guard.toml"
PYPROJECT = "pyproject.toml"
TOOL_TABLE = "mistral-guard"
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024
DEFAULT_SOURCE = "default"
CLI_SOURCE = "command line"
KEYS = ("exclude", "include", "disable", "min-severity", "min-confidence", "max-file-size",
        "baseline", "extra-rules", "allow.secret-sha256", "allow.paths")
_SIZE_UNITS = {"KB": 1024, "MB": 1024**2, "GB": 1024**3, "B": 1}


def parse_size(value: str | int) -> int:
    """Bytes from 500000, '512KB', '10MB' (0: no limit); ValueError for anything else."""
    text = str(value).strip().upper() if not isinstance(value, bool) else ""
    size = None
    for unit, factor in _SIZE_UNITS.items():
        if text.endswith(unit) and text[: -len(unit)].strip().isdigit():
            size = int(text[: -len(unit)]) * factor
            break
    else:
        size = int(text) if text.isdigit() else None
    if size is None:
        raise ValueError(f"{quoted(value)} is not a size (examples: 500000, 512KB, 10MB, 0)")
    return size


@dataclass(frozen=True)  # no slots: the compiled globs are cached_property
class Config:
    """The effective configuration and, for each key, where its value came from."""

    base: str  # the directory config globs and paths are relative to
    file: str | None = None
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    disable: tuple[str, ...] = ()
    min_severity: str = "info"
    min_confidence: str = "medium"  # low findings (self-declared fakes) are hidden by default
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    baseline: str | None = None
    extra_rules: tuple[str, ...] = ()
    allow_secret_sha256: frozenset[str] = frozenset()
    allow_paths: tuple[str, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)

    def source(self, key: str) -> str:
        return self.sources.get(key, DEFAULT_SOURCE)

    def where(self, key: str) -> str:
        """How an error names `key`: the file and key, or the command-line flag."""
        source = self.source(key)
        return f"--{key}" if source == CLI_SOURCE else f"{source}: key '{key}'"

    def value(self, key: str) -> object:
        return getattr(self, _field(key))

    def relative(self, path: str, root: str = ".") -> str | None:
        """`path` (relative to the scanned `root`) as a POSIX path relative to `base`, or
        None when it lies outside `base` (then no config glob can match it)."""
        full = os.path.normpath(os.path.join(self._cwd, root, path))
        base = self.base
        if full == base:
            return ""
        if not full.startswith(base.rstrip(os.sep) + os.sep):
            return None
        return full[len(base.rstrip(os.sep)) + 1:].replace(os.sep, "/")

    @cached_property
    def _cwd(self) -> str:
        return os.getcwd()  # once: a walk asks about every entry

    @cached_property
    def exclude_spec(self):
        return _spec(self.exclude)

    @cached_property
    def include_spec(self):
        return _spec(self.include)

    @cached_property
    def allow_paths_spec(self):
        return _spec(self.allow_paths)

    @property
    def filters_paths(self) -> bool:
        """True when `exclude` or `include` can change which files a walk reads."""
        return bool(self.exclude or self.include)

    def excluded(self, path: str, is_dir: bool) -> bool:
        """True when an `exclude` glob matches `path` (as walked: relative to the current
        directory, or absolute)."""
        relative = self.relative(path)
        if self.exclude_spec is None or not relative:
            return False
        return self.exclude_spec.match_file(relative + ("/" if is_dir else ""))

    def force_included(self, path: str, is_dir: bool) -> bool:
        """True when `include` wants `path` scanned although .gitignore ignores it (for a
        directory: when it may hold such files)."""
        relative = self.relative(path)
        if self.include_spec is None or not relative:
            return False
        if is_dir:
            return self.include_spec.match_file(relative + "/") or self._may_include_below(relative)
        return self.include_spec.match_file(relative)

    def _may_include_below(self, directory: str) -> bool:
        """True when an `include` glob could match something under `directory` (POSIX,
        relative to `base`), so an ignored directory must still be walked."""
        prefix = directory.rstrip("/") + "/"
        for pattern in self.include:
            if "/" not in pattern.rstrip("/"):
                return True  # no slash: the glob matches at any depth
            literal = re.split(r"[*?\[]", pattern.lstrip("/"), maxsplit=1)[0]
            fixed = literal[: literal.rfind("/") + 1]
            if fixed.startswith(prefix) or prefix.startswith(fixed):
                return True
        return False


def _spec(patterns: tuple[str, ...]):
    if not patterns:
        return None
    return _pathspec(patterns)


def _pathspec(patterns: tuple[str, ...] | list[str]):
    """pathspec's matcher for `patterns`, without the FutureWarning `re` gives for `[[` (it
    names a site-packages file and is not the user's business)."""
    import warnings

    import pathspec

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pathspec.GitIgnoreSpec.from_lines(patterns, backend="simple")


def find_config(start: str) -> tuple[str, dict] | None:
    """The nearest .mistral-guard.toml (it wins) or pyproject.toml with a
    [tool.mistral-guard] table, walking up from `start` to the repository root, and its
    table. A few stat calls per directory; a pyproject.toml is parsed only when it names
    mistral-guard."""
    candidate = os.path.abspath(start)
    if not os.path.isdir(candidate):
        candidate = os.path.dirname(candidate)
    while True:
        own = os.path.join(candidate, OWN_FILE)
        if os.path.isfile(own):
            return own, _table(own) or {}
        pyproject = os.path.join(candidate, PYPROJECT)
        if os.path.isfile(pyproject) and _names_the_tool(pyproject):
            table = _table(pyproject)
            if table is not None:
                return pyproject, table
        parent = os.path.dirname(candidate)
        if parent == candidate or os.path.lexists(os.path.join(candidate, ".git")):
            return None
        candidate = parent


def _names_the_tool(pyproject: str) -> bool:
    from scanner.ownfile import NotReadable, read_own_bytes

    try:
        return TOOL_TABLE.encode() in read_own_bytes(pyproject)
    except NotReadable:
        return False


def _table(path: str) -> dict | None:
    """The configuration table of `path`: the whole file, or [tool.mistral-guard] of a
    pyproject.toml (None when it has none)."""
    document = read_toml(path, "config file", path)
    if os.path.basename(path) != PYPROJECT:
        return document
    tool = document.get("tool", {})
    table = tool.get(TOOL_TABLE) if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ScanError(f"invalid config file {path}: [tool.{TOOL_TABLE}] must be a table")
    return table


def load_config(start: str, explicit: str | None = None,
                overrides: dict[str, object] | None = None) -> Config:
    """The effective configuration: defaults < config file < command-line `overrides`
    (keys as in KEYS; their file names are relative to the current directory)."""
    found: tuple[str, dict] | None
    if explicit is not None:
        explicit = os.path.normpath(explicit)
        if not os.path.lexists(explicit):
            raise ScanError(f"config file not found: {explicit}")
        table = _table(explicit)
        if table is None:
            raise ScanError(f"invalid config file {explicit}: no [tool.{TOOL_TABLE}] table")
        found = explicit, table
    else:
        found = find_config(start)
    values: dict[str, Any] = {}  # each checked by _validate for its key
    sources: dict[str, str] = {}
    path, base = None, os.getcwd()
    if found is not None:
        path, table = found
        base = os.path.dirname(os.path.abspath(path))
        for key, value in _flatten(table, path).items():
            values[key] = _validate(key, value, path, base)
            sources[key] = path
    for key, value in (overrides or {}).items():
        values[key] = _validate(key, value, None, "")
        sources[key] = CLI_SOURCE
    return Config(
        base=base, file=path, sources=sources,
        **{_field(key): value for key, value in values.items()},
    )


def _field(key: str) -> str:
    return key.replace("allow.", "allow_").replace("-", "_")


def _flatten(table: dict, path: str) -> dict[str, object]:
    flat: dict[str, object] = {}
    for key, value in table.items():
        if key == "allow":
            if not isinstance(value, dict):
                raise ScanError(f"{path}: key 'allow': must be a table (secret-sha256, paths)")
            for inner, inner_value in value.items():
                flat[f"allow.{inner}"] = inner_value
        else:
            flat[key] = value
    for key in flat:
        if key.startswith("verify") or key == "only-live":
            raise ScanError(f"{path}: key '{key}': verification settings are accepted only "
                            "on the command line or from the environment, never from a "
                            "configuration file (a scanned repository must not choose where "
                            "keys are sent)")
        if key not in KEYS:
            raise ScanError(f"{path}: unknown key '{key}' (known keys: {', '.join(KEYS)})")
    return flat


def _validate(key: str, value: object, path: str | None, base: str) -> object:
    """The normalised value of `key`, or a one-line ScanError naming the file and key."""
    def fail(message: str) -> ScanError:
        where = f"{path}: key '{key}'" if path is not None else f"--{key}"
        return ScanError(f"{where}: {message}")

    if key == "min-confidence":
        if value not in CONFIDENCES:
            raise fail(f"must be one of {', '.join(CONFIDENCES)}, not {quoted(value)}")
        return value
    if key == "min-severity":
        if value not in SEVERITIES:
            raise fail(f"must be one of {', '.join(SEVERITIES)}, not {quoted(value)}")
        return value
    if key == "max-file-size":
        try:
            return parse_size(value)  # type: ignore[arg-type]
        except ValueError as exc:
            raise fail(str(exc)) from None
    if key == "baseline":
        if not isinstance(value, str) or not value:
            raise fail("must be a file name (a string)")
        return os.path.normpath(os.path.join(base, value))
    items = _strings(value)
    if items is None:
        raise fail("must be a list of strings")
    if key == "disable":
        bad = [item for item in items if not RULE_ID.match(item)]
        if bad:
            raise fail(f"{quoted(bad[0])} is not a rule id (MG followed by 3 digits)")
        return items
    if key == "extra-rules":
        return tuple(os.path.normpath(os.path.join(base, item)) for item in items)
    if key == "allow.secret-sha256":
        hashes = [item.lower() for item in items]
        bad = [item for item in hashes if not SHA256_HEX.match(item)]
        if bad:
            number = hashes.index(bad[0]) + 1
            raise fail(f"entry {number} is not a sha256 hex digest (64 hex digits); list the "
                       "hash of a key, never the key itself")
        return frozenset(hashes)
    return _globs(items, fail)  # exclude, include, allow.paths: gitignore-style globs


def _globs(items: tuple[str, ...], fail: Callable[[str], ScanError]) -> tuple[str, ...]:
    """`items` when every one is a valid gitignore-style pattern."""
    for item in items:
        try:
            _pathspec([item])
        except Exception:  # pathspec raises several types for a malformed pattern
            raise fail(f"{item!r} is not a valid gitignore-style pattern") from None
    return items


def _strings(value: object) -> tuple[str, ...] | None:
    if isinstance(value, list | tuple) and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    return None
