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
    EXIT_CLEAN,
    EXIT_FINDINGS,
    ReportOptions,
    echo,
    scan_files,
    suppress_findings,
    warn_skipped,
)
from scanner.sources.files import scan_root

ROTATE = ("The key is still in your git history and in every clone: revoke it at "
          "https://console.mistral.ai/api-keys and use a new one; fix does not rotate it.")


UNSURE = ("not certain it is a live key (confidence below high): check it, and fix it by "
          "hand if it is one")


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
    keys = [finding for finding in kept if finding.kind == "key"]
    if not keys:
        echo("No leaked key to fix.")
        return EXIT_CLEAN
    plan = make_plan([finding for finding in keys if fixable(finding)], options.root)
    plan.not_fixed += [NotFixed(finding, UNSURE) for finding in keys if not fixable(finding)]
    hashes = {finding.secret_sha256 for finding in kept}
    written: list[FileFix] = []
    refused = list(plan.not_fixed)
    for fix in plan.files:
        echo(redacted(diff(fix), {key for _, key in fix.keys}, hashes), nl=False)
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


def diff(fix: FileFix, context: int = 3) -> str:
    """The unified diff of one fix (still holding the keys: redact before showing).

    difflib's own `unified_diff` treats lines repeated in over 1% of a long file (blank
    lines, closing braces) as junk and can then show the whole file as changed; this one
    matches every line, on the part between the unchanged start and end (plus context)."""
    before = fix.original.decode("utf-8").splitlines()
    after = fix.fixed.decode("utf-8").splitlines()
    same_start = _common(before, after)
    same_end = _common(before[same_start:][::-1], after[same_start:][::-1])
    low, cut = max(0, same_start - context), max(0, same_end - context)
    matcher = difflib.SequenceMatcher(None, before[low:len(before) - cut],
                                      after[low:len(after) - cut], autojunk=False)
    out = [f"--- a/{fix.path}\n", f"+++ b/{fix.path}\n"]
    for group in matcher.get_grouped_opcodes(context):
        (_, i1, _, j1, _), (_, _, i2, _, j2) = group[0], group[-1]
        out.append(f"@@ -{_range(low + i1, low + i2)} +{_range(low + j1, low + j2)} @@\n")
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                out += [f" {line}\n" for line in before[low + a1:low + a2]]
                continue
            out += [f"-{line}\n" for line in before[low + a1:low + a2]]
            out += [f"+{line}\n" for line in after[low + b1:low + b2]]
    return "".join(out)


def _common(first: list[str], second: list[str]) -> int:
    """How many lines the two lists share at their start."""
    count = 0
    for a, b in zip(first, second, strict=False):  # the lists may differ in length
        if a != b:
            break
        count += 1
    return count


def _range(start: int, stop: int) -> str:
    """A hunk's line range as unified diffs write it: `first,count` (`first` alone for 1)."""
    count = stop - start
    first = start + 1 if count else start
    return str(first) if count == 1 else f"{first},{count}"


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
