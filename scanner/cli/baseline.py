"""`mistral-guard baseline ...`: record reviewed findings, check for new ones, prune."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import click

from scanner import __version__
from scanner.cli.options import config_options, report_options
from scanner.models import Finding
from scanner.pipeline.run import (
    EXIT_CLEAN,
    ReportOptions,
    finish_run,
    scan_files,
    suppress_findings,
    warn_skipped,
)


@click.group()
def baseline() -> None:
    """Record today's findings as reviewed, so that only new ones fail.

    The baseline (.mistral-guard-baseline.json in the scanned directory, or the file named
    by --baseline or the config's `baseline` key) holds one line per finding: rule id,
    path and the sha256 of the secret. No line numbers, so moving code never changes it; a
    changed secret is a new finding. Commit it; scan, hook, staged and history take
    --baseline FILE.

    \b
    Examples:
      mistral-guard baseline create
      mistral-guard scan --baseline .mistral-guard-baseline.json
      mistral-guard baseline check
      mistral-guard baseline prune
    """


@baseline.command("create")
@click.argument("path", default=".", type=click.Path(path_type=str))
@config_options
def baseline_create(path: str, options: ReportOptions) -> int:
    """Write a baseline of every current finding in PATH (default: the current directory).

    Findings already allowed by inline comments or the configuration are left out.

    \b
    Example:
      mistral-guard baseline create && git add .mistral-guard-baseline.json
    """
    from scanner.suppress.baseline import Entry, save_baseline

    options, target = _prepare(path, options)
    found = _unbaselined(path, options)
    entries = {Entry.of(f) for f in found}
    save_baseline(target, entries, __version__)
    click.echo(f"baseline {target}: {len(entries)} {'entry' if len(entries) == 1 else 'entries'} "
               f"for {len(found)} findings")
    return EXIT_CLEAN


@baseline.command("check")
@click.argument("path", default=".", type=click.Path(path_type=str))
@report_options
def baseline_check(path: str, options: ReportOptions) -> int:
    """Scan PATH and fail (exit 1) on findings that are not in the baseline; list them.

    \b
    Example (CI):
      mistral-guard baseline check --format json --output new-findings.json
    """
    from scanner.suppress.baseline import Entry, load_baseline

    options, target = _prepare(path, options)
    recorded = load_baseline(target)
    options = replace(options, baseline_flag=str(target))
    result, skipped = scan_files((path,), honour_gitignore=True, options=options)
    found, _ = suppress_findings(result.findings, options, use_baseline=False)
    stale = len(recorded.entries - {Entry.of(f) for f in found})
    if stale:
        noun = "entry is" if stale == 1 else "entries are"
        click.echo(f"note: {stale} baseline {noun} no longer found; "
                   "`mistral-guard baseline prune` drops them", err=True)
    return finish_run(result.findings, result.stats, skipped, options, result.suppressed,
                      result.secrets)


@baseline.command("prune")
@click.argument("path", default=".", type=click.Path(path_type=str))
@config_options
def baseline_prune(path: str, options: ReportOptions) -> int:
    """Drop baseline entries that are no longer found in PATH; never adds any.

    \b
    Example:
      mistral-guard baseline prune && git diff .mistral-guard-baseline.json
    """
    from scanner.suppress.baseline import Entry, load_baseline, save_baseline

    options, target = _prepare(path, options)
    recorded = load_baseline(target)
    remaining = recorded.entries & {Entry.of(f) for f in _unbaselined(path, options)}
    dropped = len(recorded.entries) - len(remaining)
    if dropped:
        save_baseline(target, remaining, __version__)
    click.echo(f"baseline {target}: dropped {dropped}, kept {len(remaining)}")
    return EXIT_CLEAN


def _prepare(path: str, options: ReportOptions) -> tuple[ReportOptions, Path]:
    """Options rooted at the scanned directory, and the baseline file to use."""
    from scanner.sources.files import scan_root
    from scanner.suppress.baseline import DEFAULT_NAME

    root = scan_root((path,))
    options = replace(options, root=root)
    return options, Path(options.config.baseline or os.path.join(root, DEFAULT_NAME))


def _unbaselined(path: str, options: ReportOptions) -> list[Finding]:
    """Current findings under the configuration and inline comments, ignoring any baseline."""
    result, skipped = scan_files((path,), honour_gitignore=True, options=options)
    warn_skipped(skipped, verbose=False)
    found, _ = suppress_findings(result.findings, options, result.suppressed,
                                 use_baseline=False)
    return found
