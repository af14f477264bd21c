"""The `fix` run: the same scan as `scan`, a plan of edits, a redacted diff, and (with
`write`) the edits written. Shared by `mistral-guard fix` and `mistral-guard hook --fix`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import replace

from scanner.errors import ScanError
from scanner.fix.apply import project_changes, write_fix
from scanner.fix.plan import FileFix, NotFixed, make_plan
from scanner.models import Finding, redact, sha256_hex
from scanner.pipeline.run import (
    EXIT_CLEAN, EXIT_FINDINGS, ReportOptions, echo, scan_files, suppress_findings, warn_skipped,
)
from scanner.sources.files import scan_root

ROTATE = ("The key is still in your git history and in every clone: revoke it at "
          "https://console.mistral.ai/api-keys and use a new one; fix does not rotate it.")


def fixable(finding: Finding) -> bool:
    """Findings fix works on: leaked keys the engine is sure of."""
    return finding.kind == "key" and finding.confidence == "high"


def run_fix(paths: tuple[str, ...], options: ReportOptions, *, write: bool,
            move_to_dotenv: bool = False, honour_gitignore: bool = True,
            jobs: int | None = None) -> int:
    """Scan `paths` (default `.`), print the redacted diff of every fix, and with `write`
    apply them. Exit 1 when a key was found (fixed or not), 0 when none."""
    paths = paths or (".",)
    if "-" in paths:
        raise ScanError("fix works on files: it cannot rewrite standard input")
    options = replace(options, root=scan_root(paths))
    result, skipped = scan_files(paths, honour_gitignore=honour_gitignore, options=options,
                                 jobs=jobs)
    kept, _ = suppress_findings(result.findings, options, result.suppressed)
    warn_skipped(skipped, options.verbose)
    findings = [finding for finding in kept if fixable(finding)]
    if not findings:
        echo("No leaked key to fix.")
        return EXIT_CLEAN
    plan = make_plan(findings, options.root)
    secrets = {key for fix in plan.files for _, key in fix.keys}
    hashes = {finding.secret_sha256 for finding in kept}
    written: list[FileFix] = []
    refused = list(plan.not_fixed)
    for fix in plan.files:
        echo(redacted(diff(fix), secrets, hashes), nl=False)
        if fix.note:
            echo(f"note: {fix.path}: {fix.note}")
        if write:
            reason = write_fix(fix)
            if reason:
                refused += [NotFixed(finding, reason) for finding in fix.fixed_findings]
                continue
        written.append(fix)
    moved = [pair for fix in written for pair in fix.keys]
    for line in project_changes(options.root, moved, move_to_dotenv, write) if moved else ():
        echo(line if write else f"would change {line}")
    _report_not_fixed(refused)
    count = sum(len(fix.fixed_findings) for fix in written)
    files = f"{len(written)} file{'s' if len(written) != 1 else ''}"
    if write:
        echo(f"Fixed {count} key finding{'s' if count != 1 else ''} in {files}.")
    elif written:
        echo(f"Dry run: {count} key finding{'s' if count != 1 else ''} in {files} can be "
             "fixed; run again with --write to apply.")
    echo(ROTATE)
    return EXIT_FINDINGS


def diff(fix: FileFix) -> str:
    """The unified diff of one fix (still holding the keys: redact before showing)."""
    before = fix.original.decode("utf-8").splitlines()
    after = fix.fixed.decode("utf-8").splitlines()
    lines = difflib.unified_diff(before, after, f"a/{fix.path}", f"b/{fix.path}", lineterm="")
    return "".join(line + "\n" for line in lines)


# A run of 32 letters and digits that is not part of a longer one: a key-shaped token.
_KEY_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{32}(?![A-Za-z0-9])")


def redacted(text: str, secrets: Iterable[str], hashes: set[str]) -> str:
    """`text` with every key replaced by its preview (first four characters, then '…'):
    the `secrets` fixed, and any key-shaped token whose sha256 is in `hashes` (keys of
    findings left alone that a diff's context lines may show)."""
    for secret in secrets:
        text = text.replace(secret, redact(secret))
    return _KEY_TOKEN.sub(
        lambda m: redact(m.group()) if sha256_hex(m.group()) in hashes else m.group(), text)


def _report_not_fixed(not_fixed: list[NotFixed]) -> None:
    if not not_fixed:
        return
    echo(f"Not fixed ({len(not_fixed)}):")
    for item in sorted(not_fixed, key=lambda n: (n.finding.path, n.finding.line,
                                                  n.finding.column)):
        f = item.finding
        echo(f"  {f.path}:{f.line}:{f.column}  {f.rule_id}  {f.preview}  {item.reason}")
