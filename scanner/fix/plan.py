"""Turn findings into edits, file by file, without writing anything.

Each key finding is located again in the file (its span must still hash to the finding's
`secret_sha256`), and the file's language strategy rewrites that line. What cannot be
rewritten (client-side code, bundles, comments, unknown file types, unusual shapes) is kept
with the reason, so the user sees every key that is still there.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field

from scanner.fix.languages import Language, Unfixable, language_for
from scanner.fix.spans import SpanMismatch, key_at, variable_for
from scanner.models import Finding

# Rules that find a key shipped to browsers or apps: the fix is a server route, not a lookup.
CLIENT_SIDE_RULES = frozenset(f"MG05{digit}" for digit in range(10))
COMMENT_RULE = "MG027"  # a key written in a comment, docstring or document
_USE_CLIENT = re.compile(r"""^\s*["']use client["']""", re.MULTILINE)  # React directive
_DOTENV_NAME = re.compile(r"\.env(?:\..+)?|.+\.env")  # .env, .env.local, prod.env
_CLIENT_DIRS = frozenset({"public", "static", "components", "client", "frontend", "browser"})
_BUILD_DIRS = frozenset({"dist", "build", ".next", "out", "vendor", "node_modules"})
MINIFIED_LINE = 1000  # characters: a line this long is generated code, not written by hand
SERVER_ROUTE_HINT = ("client-side code: anyone can read a key shipped to a browser or app; "
                     "call Mistral from a server route that reads MISTRAL_API_KEY")
BUNDLE_HINT = "a built or minified bundle: fix the source it is built from, then rebuild"


@dataclass(frozen=True, slots=True)
class NotFixed:
    """A key finding left as it is, and why."""

    finding: Finding
    reason: str


@dataclass
class FileFix:
    """The new content of one file and what it took out."""

    path: str  # as reported (relative to the scan root, POSIX)
    real_path: str  # where it is on disk
    original: bytes
    fixed: bytes
    keys: list[tuple[str, str]] = field(default_factory=list)  # (variable, key), in order
    fixed_findings: list[Finding] = field(default_factory=list)
    note: str = ""


@dataclass
class Plan:
    """Every proposed edit and every key left alone."""

    files: list[FileFix] = field(default_factory=list)
    not_fixed: list[NotFixed] = field(default_factory=list)


def make_plan(findings: Sequence[Finding], root: str) -> Plan:
    """The edits for the key findings in `findings` (paths relative to `root`)."""
    plan = Plan()
    by_path: dict[str, list[Finding]] = {}
    seen: set[tuple[str, int, int]] = set()
    for finding in findings:
        place = (finding.path, finding.line, finding.column)
        if place not in seen:
            seen.add(place)
            by_path.setdefault(finding.path, []).append(finding)
    for path, found in by_path.items():
        real = path if root in ("", ".") else os.path.join(root, path)
        refusal = file_refusal(real)
        if refusal:
            plan.not_fixed += [NotFixed(f, refusal) for f in found]
            continue
        try:
            with open(real, "rb") as handle:
                data = handle.read()
            text = data.decode("utf-8")
        except OSError as exc:
            plan.not_fixed += [NotFixed(f, f"cannot read: {exc.strerror}") for f in found]
            continue
        except UnicodeDecodeError:
            plan.not_fixed += [NotFixed(f, "not UTF-8 text: fix it by hand") for f in found]
            continue
        if path.endswith(".ipynb"):
            from scanner.fix.notebook import fix_notebook

            try:
                new_text, keys, fixed, left = fix_notebook(text, found)
            except Unfixable as exc:
                plan.not_fixed += [NotFixed(f, str(exc)) for f in found]
                continue
            note = ""
        else:
            new_text, keys, fixed, left = _fix_text(path, text, found)
            note = _note(path, keys)
        plan.not_fixed += left
        if fixed:
            plan.files.append(FileFix(path, real, data, new_text.encode("utf-8"), keys, fixed,
                                      note))
    return plan


def file_refusal(path: str) -> str:
    """Why `path` must not be rewritten (a symlink, read-only), or ""."""
    if os.path.islink(path):
        return "a symbolic link: not followed; fix the file it points to"
    try:
        owner_may_write = os.stat(path).st_mode & stat.S_IWUSR
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    if not owner_may_write or not os.access(path, os.W_OK):  # root may write, but was told not to
        return "a read-only file: not changed"
    return ""


def _note(path: str, keys: list[tuple[str, str]]) -> str:
    language = language_for(path)
    if not keys or language is None or not language.note:
        return ""
    return language.note.format(var=keys[0][0])


def _fix_text(path: str, text: str, findings: list[Finding],
              ) -> tuple[str, list[tuple[str, str]], list[Finding], list[NotFixed]]:
    """(new text, (variable, key) pairs, findings fixed, findings not fixed) for one file."""
    language = language_for(path)
    lines = text.split("\n")
    keys: list[tuple[str, str]] = []
    fixed: list[Finding] = []
    left: list[NotFixed] = []
    # Right to left on each line, so the columns of the findings still to do stay valid.
    for finding in sorted(findings, key=lambda f: (f.line, f.column), reverse=True):
        if not 0 < finding.line <= len(lines):
            left.append(NotFixed(finding, "changed since the scan: not touched"))
            continue
        raw = lines[finding.line - 1]
        body, ending = (raw[:-1], "\r") if raw.endswith("\r") else (raw, "")
        try:
            start, end, key = key_at(body, finding)
            _check_fixable(path, text, body, finding, language)
            assert language is not None  # _check_fixable raised Unfixable otherwise
            named = language.variable_in(body, start, end) if language.variable_in else None
            variable = named or variable_for(finding, body)
            lines[finding.line - 1] = language.edit(body, start, end, variable) + ending
        except (SpanMismatch, Unfixable) as exc:
            left.append(NotFixed(finding, str(exc)))
            continue
        keys.insert(0, (variable, key))
        fixed.insert(0, finding)
    new_text = "\n".join(lines)
    if fixed and language is not None and language.add_import:  # fixed: language is known
        new_text = language.add_import(new_text, "\r\n" if "\r\n" in text else "\n")
    return new_text, keys, fixed, left


def _check_fixable(path: str, text: str, line: str, finding: Finding,
                   language: Language | None) -> None:
    """Raise Unfixable for the findings fix must leave to the user."""
    parts = set(path.split("/")[:-1])
    if finding.rule_id == COMMENT_RULE:
        raise Unfixable("the key is written in a comment or document: delete it by hand")
    if ".min." in path.rsplit("/", 1)[-1] or parts & _BUILD_DIRS or len(line) > MINIFIED_LINE:
        raise Unfixable(BUNDLE_HINT)
    if finding.rule_id in CLIENT_SIDE_RULES:
        raise Unfixable(SERVER_ROUTE_HINT)
    if _DOTENV_NAME.fullmatch(path.rsplit("/", 1)[-1]):
        raise Unfixable("a .env file is where a key belongs, but never in git: list it in "
                        ".gitignore and untrack it (git rm --cached)")
    if language is None:
        raise Unfixable(f"fix does not know this file type. {finding.fix}")
    if language.name.startswith("JavaScript") and (_USE_CLIENT.search(text)
                                                   or parts & _CLIENT_DIRS):
        raise Unfixable(SERVER_ROUTE_HINT)
