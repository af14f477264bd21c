"""`mistral-guard staged` and `mistral-guard history`: what git knows, not just the working tree."""

from __future__ import annotations

import os
from dataclasses import replace

import click

from scanner.cli.options import jobs_option, report_options
from scanner.errors import ScanError
from scanner.models import Finding, Skipped, Stats, Suppressed
from scanner.pipeline.run import (
    EXIT_CLEAN,
    ReportOptions,
    build_detector,
    finish_run,
    suppress_findings,
)

_REPO_OPTION = click.option(
    "--repo", "-C", default=".", show_default=True, type=click.Path(file_okay=False),
    help="The git repository to scan. Example: --repo ../vendor-drop")
_ALLOW_INCOMPLETE_OPTION = click.option(
    "--allow-incomplete", is_flag=True,
    help="Exit 0, with a warning, when a clean scan could not read every object (a partial "
         "or shallow clone, a copy missing objects); without it such a scan exits 2. "
         "Example: mistral-guard history --allow-incomplete")


def finish_incomplete(findings: list[Finding], stats: Stats, skipped: list[Skipped],
                      options: ReportOptions, suppressed: list[Suppressed], missing: int,
                      allow_incomplete: bool, secrets: dict[str, str]) -> int:
    """`finish_run`, after saying how many objects could not be read. Nothing is fetched to
    fill the gap: a scan that found nothing but missed objects is an error (exit 2, no report)
    unless --allow-incomplete."""
    if missing:
        noun = "object" if missing == 1 else "objects"
        line = (f"scan incomplete: {missing} {noun} missing (not in this partial or shallow "
                "clone, or corrupt); everything readable was scanned")
        if not allow_incomplete and not suppress_findings(findings, options, suppressed)[0]:
            raise ScanError(f"{line}; pass --allow-incomplete to accept that")
        click.echo(f"warning: {line}", err=True)
    return finish_run(findings, stats, skipped, options, suppressed, secrets)


@click.command()
@_REPO_OPTION
@_ALLOW_INCOMPLETE_OPTION
@report_options
def staged(repo: str, allow_incomplete: bool, options: ReportOptions) -> int:
    """Scan the index: the staged version of every added or modified file.

    This is what the next commit will contain, so it suits plain git hooks and CI. Findings
    point at the path and line of the staged content.

    \b
    Examples:
      mistral-guard staged
      mistral-guard staged --repo ../other-project --format json
      exec mistral-guard staged        # as the body of .git/hooks/pre-commit
    """
    from scanner.engine.project import Projects
    from scanner.pipeline.fragments import scan_fragments
    from scanner.sources.git import Repository, StagedSource

    repository = Repository.open(repo)
    options = replace(options, root=repository.root)
    # The manifests of the checkout tie staged files with no Mistral word to Mistral.
    detector = build_detector(options, None if repository.bare else Projects.scan(repository.root))
    source = StagedSource(repository, max_file_size=options.max_file_size)
    result = scan_fragments(source.fragments(), detector,
                            foreign_ignores=options.foreign_ignores)
    result.stats.bytes = source.bytes_read
    return finish_incomplete(result.findings, result.stats, source.skipped, options,
                             result.suppressed, source.missing, allow_incomplete, result.secrets)


@click.command()
@click.argument("rev_range", required=False, metavar="[REV-RANGE]")
@_REPO_OPTION
@click.option("--include-unreachable", is_flag=True,
              help="Also scan objects no ref reaches: dangling commits and blobs, reflog "
                   "leftovers, dropped stashes. Example: --include-unreachable")
@jobs_option
@click.option("--pre-push", is_flag=True,
              help="Scan the commits being pushed, as named by pre-commit's pre-push stage "
                   "(PRE_COMMIT_FROM_REF / PRE_COMMIT_TO_REF). Example: the "
                   "mistral-guard-push hook")
@_ALLOW_INCOMPLETE_OPTION
@report_options
def history(rev_range: str | None, repo: str, include_unreachable: bool, jobs: int | None,
            pre_push: bool, allow_incomplete: bool, options: ReportOptions) -> int:
    """Scan git history: every blob reachable from any ref, each unique blob once.

    By default all branches, tags, remote-tracking refs and the stash are scanned. With
    REV-RANGE only what those commits introduce is reported (a pull-request gate): a key that
    already existed before the range is not. Each finding names the commit that introduced it,
    its author and date, how many commits carry it, and whether HEAD still has it.

    \b
    Examples:
      mistral-guard history
      mistral-guard history origin/main..HEAD
      mistral-guard history --include-unreachable --jobs 8 --format json -o leaks.json
    """
    from scanner.pipeline.history import scan_history
    from scanner.pipeline.tree import default_jobs
    from scanner.sources import git

    if pre_push and (rev_range or include_unreachable):
        raise ScanError("--pre-push takes no REV-RANGE and no --include-unreachable")
    if rev_range is not None and include_unreachable:
        raise ScanError("--include-unreachable scans every ref; it takes no REV-RANGE")
    revisions = None
    if pre_push:
        revisions = git.pushed(dict(os.environ))
        if revisions is None:
            return EXIT_CLEAN
    elif rev_range is not None:
        revisions = git.rev_range(rev_range)
        git.check_revisions(git.Repository.open(repo), revisions)
    scanned = scan_history(repo, options, jobs or default_jobs(), revisions,
                           include_unreachable)
    if scanned.shallow:
        click.echo("warning: shallow clone: commits before the shallow boundary are not "
                   "in this repository and were not scanned", err=True)
    options = replace(options, root=scanned.root)
    return finish_incomplete(scanned.findings, scanned.stats, scanned.skipped, options,
                             scanned.suppressed, scanned.missing, allow_incomplete,
                             scanned.secrets)
