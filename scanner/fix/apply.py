"""Write a plan: the fixed files (atomically, refusing what changed since it was read) and
the project files around them: `.env.example`, `.gitignore`, and with --move-to-dotenv the
git-ignored `.env` that keeps the application running locally."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from scanner.atomic import write_atomically
from scanner.fix.plan import FileFix, file_refusal

DOTENV = ".env"
EXAMPLE = ".env.example"
GITIGNORE = ".gitignore"


def write_fix(fix: FileFix) -> str:
    """Write one fixed file; "" when written, else why it was refused (nothing changed)."""
    refusal = file_refusal(fix.real_path)
    if refusal:
        return refusal
    try:
        with open(fix.real_path, "rb") as handle:
            current = handle.read()
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    if current != fix.original:
        return "changed since the scan: not touched"
    write_atomically(fix.real_path, fix.fixed, "fixed file")
    return ""


def project_changes(root: str, keys: Iterable[tuple[str, str]], move_to_dotenv: bool,
                    write: bool) -> list[str]:
    """Add each variable to .env.example, `.env` to .gitignore (when the project has one or
    the value moves to .env), and with `move_to_dotenv` the values to .env. Returns what
    was (or, without `write`, would be) done, one line each; never a key."""
    keys = list(keys)
    done: list[str] = []
    variables = list(dict.fromkeys(variable for variable, _ in keys))
    example = os.path.join(root, EXAMPLE)
    missing = [v for v in variables if not _defines(_read(example), v)]
    if missing:
        done.append(f"{EXAMPLE}: add {', '.join(v + '=' for v in missing)}")
        if write:
            _append(example, [f"{v}=" for v in missing])
    gitignore = os.path.join(root, GITIGNORE)
    if (move_to_dotenv or os.path.exists(gitignore)) and not _ignores_dotenv(_read(gitignore)):
        done.append(f"{GITIGNORE}: add {DOTENV}")
        if write:
            _append(gitignore, [DOTENV])
    if move_to_dotenv:
        done += _move_to_dotenv(os.path.join(root, DOTENV), keys, write)
    return done


def _move_to_dotenv(path: str, keys: list[tuple[str, str]], write: bool) -> list[str]:
    """Append `VARIABLE=key` lines to .env (created 0600); a variable it already sets to
    another value is left as it is, and said so."""
    if _tracked(path):
        return [f"{DOTENV}: tracked by git, so the key is not written into it; untrack it "
                f"first (git rm --cached {DOTENV})"]
    current = _read(path)
    new: dict[str, str] = {}
    said: list[str] = []
    for variable, key in keys:
        if variable in new or _defines(current, variable):
            if new.get(variable, key) != key or (variable not in new
                                                  and not _defines(current, variable, key)):
                said.append(f"{DOTENV}: already sets {variable} to another value; "
                            "left as it is")
            continue
        new[variable] = key
    if new:
        said.append(f"{DOTENV}: move the value of {', '.join(new)} (git-ignored)")
        if write:
            if not os.path.exists(path):
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            _append(path, [f"{variable}={key}" for variable, key in new.items()])
    return said


def _tracked(path: str) -> bool:
    """True when git tracks `path` (False outside a repository or without git)."""
    from scanner.errors import ScanError
    from scanner.sources import gitcmd

    directory, name = os.path.split(path)
    try:
        return bool(gitcmd.run(directory or ".", "ls-files", "--", name, ok_codes=(0, 128)))
    except ScanError:  # git is not installed: nothing can be tracked
        return False


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace", newline="") as handle:
            return handle.read()
    except OSError:
        return ""


def _defines(text: str, variable: str, value: str | None = None) -> bool:
    """True when a dotenv text assigns `variable` (to `value`, when given)."""
    # `VARIABLE=...` or `export VARIABLE=...`, the value optionally quoted.
    pattern = rf"^[ \t]*(?:export[ \t]+)?{re.escape(variable)}[ \t]*="
    if value is not None:
        pattern += rf"""[ \t]*["']?{re.escape(value)}["']?[ \t]*\r?$"""
    return re.search(pattern, text, re.MULTILINE) is not None


def _ignores_dotenv(gitignore: str) -> bool:
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(gitignore.splitlines()).match_file(DOTENV)


def _append(path: str, lines: list[str]) -> None:
    """Append lines, in the file's own line ending, after a final newline if it lacks one."""
    text = _read(path)
    newline = "\r\n" if "\r\n" in text else "\n"
    if text and not text.endswith("\n"):
        text += newline
    write_atomically(path, (text + newline.join(lines) + newline).encode("utf-8"),
                     os.path.basename(path))
