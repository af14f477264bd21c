"""`mistral-guard audit`: audit many repositories on Dask into a SQLite store, and report
from it. Needs the `[audit]` extra; Dask and sqlite3 are imported only inside the commands."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import click

from scanner.errors import ScanError
from scanner.pipeline.run import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED, echo

if TYPE_CHECKING:
    from typing import TextIO

    from scanner.audit.store import Store

REPORT_FORMATS = ("json", "csv", "sarif", "html")


class _AuditGroup(click.Group):
    """`audit REPO...` runs the audit (`audit run REPO...`); `audit report` reports."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in (*self.commands, "-h", "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_AuditGroup)
def audit() -> None:
    """Audit every repository of an organisation: full histories, on a Dask cluster.

    `mistral-guard audit REPO...` is `mistral-guard audit run REPO...`. Needs the extra:
    pip install 'mistral-guard[audit]'.

    \b
    Examples:
      mistral-guard audit https://github.com/acme/api.git ../svc --db a.db --cache mirrors/
      mistral-guard audit --repos-file repos.txt --db audit.db --cache mirrors/ --scheduler tcp://10.0.0.5:8786
      mistral-guard audit report --db audit.db --format html --output audit.html
    """


@audit.command("run")
@click.argument("repos", nargs=-1, metavar="[REPO...]")
@click.option("--repos-file", type=click.File("r", encoding="utf-8"),
              help="Read repository addresses from FILE, one per line ('#' starts a comment). "
                   "Example: --repos-file repos.txt")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False),
              help="The SQLite store (created if missing). The same command again resumes an "
                   "interrupted audit; a later audit scans only history added since. "
                   "Example: --db audit.db")
@click.option("--cache", "cache", required=True, type=click.Path(file_okay=False),
              help="Directory for the bare mirrors (kept between audits, so later audits only "
                   "fetch); on a remote cluster it must be a path every worker shares. Its "
                   ".mistral-guard.toml, if any, is the audit's configuration. "
                   "Example: --cache ~/.cache/mistral-guard-audit")
@click.option("--scheduler", metavar="ADDRESS",
              help="Join an existing Dask cluster instead of starting a local one. "
                   "Example: --scheduler tcp://10.0.0.5:8786")
@click.option("--workers", type=click.IntRange(min=1),
              help="Worker processes of the local cluster (default: the cores). "
                   "Example: --workers 8")
@click.option("--timeout", type=click.FloatRange(min=1), default=600.0, show_default=True,
              help="Seconds one repository's clone or fetch may take before it is recorded as "
                   "failed. Example: --timeout 120")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
              help="The audit's configuration (never a repository's own). "
                   "Example: --config audit.toml")
@click.option("--verify", is_flag=True,
              help="Ask Mistral whether each key found is live (one GET /v1/models per unique "
                   "key and repository, from the worker that found it; see docs/VERIFY.md). "
                   "Off by default. Example: mistral-guard audit ../svc --db a.db --cache m/ "
                   "--verify")
@click.option("--verify-endpoint", metavar="URL", default=None,
              help="With --verify: an https base URL to ask instead of Mistral's hosts (also "
                   "MISTRAL_GUARD_VERIFY_ENDPOINT; never from a configuration file). "
                   "Example: --verify-endpoint https://mistral-mirror.internal")
def run(repos: tuple[str, ...], repos_file: TextIO | None, db_path: str, cache: str,
        scheduler: str | None, workers: int | None, timeout: float,
        config_file: str | None, verify: bool, verify_endpoint: str | None) -> int:
    """Mirror each repository into the cache and scan its full history (same engine as
    `history`); findings go to the store.

    Repositories are https, ssh, git or file URLs, or local paths; ext:: and other transports
    that run programs are refused. A repository that fails (missing, timed out, not git) is
    recorded with its reason and the audit goes on. Exit 0: no findings in these repositories;
    1: findings; 2: an error, or a repository failed and nothing was found.

    \b
    Examples:
      mistral-guard audit run ../svc-a ../svc-b --db audit.db --cache mirrors/
      mistral-guard audit --repos-file repos.txt --db audit.db --cache mirrors/ --timeout 300
    """
    addresses = _addresses(repos, repos_file)
    settings = None
    if verify_endpoint is not None and not verify:
        raise ScanError("--verify-endpoint needs --verify")
    if verify:
        from scanner.pipeline.run import ReportOptions

        # The same checks as every command's --verify (an https endpoint, from the command
        # line or the environment only); each worker asks for the keys it found.
        settings = ReportOptions(verify=True, verify_endpoint=verify_endpoint).verify_settings
    try:
        import dask  # noqa: F401  (only to say what is missing)
        import distributed  # noqa: F401
    except ImportError:
        raise ScanError("the audit needs Dask: pip install 'mistral-guard[audit]'") from None
    from scanner.audit.cluster import ClusterSpec, ProgressLine, run_audit
    from scanner.audit.store import Store
    from scanner.audit.task import RepoJob
    from scanner.sources.gitcmd import mirror_transport

    # Refuse a bad address before anything starts; a local path is named absolutely.
    addresses = list(dict.fromkeys(
        os.path.abspath(a) if mirror_transport(a) == "file" and "://" not in a else a
        for a in addresses))
    cache = os.path.abspath(cache)
    try:
        os.makedirs(cache, exist_ok=True)
        config = os.path.join(cache, ".mistral-guard.toml")
        if config_file is None and not os.path.exists(config):
            open(config, "x", encoding="utf-8").close()  # defaults
    except OSError as exc:
        raise ScanError(f"cannot use the cache directory {cache}: {exc.strerror}") from None
    config = os.path.abspath(config_file) if config_file else config
    store = Store(db_path)
    try:
        run_id, recorded = store.open_run(addresses)
        if recorded:
            echo(f"resuming audit run {run_id}: {len(recorded)} of {len(addresses)} "
                 "repositories already recorded", err=True)
        jobs = []
        for address in addresses:
            if address in recorded:
                continue
            known = store.repository(address)
            tips = known.tips if known is not None and known.status == "done" else ()
            jobs.append(RepoJob(address, cache, config, tips,
                                store.head_keys(address) if tips else (), timeout, settings))
        progress = ProgressLine()
        try:
            run_audit(store, run_id, jobs,
                                ClusterSpec(scheduler, workers), progress)
        except KeyboardInterrupt:
            progress.close()
            echo("mistral-guard: interrupted; run the same command to resume", err=True)
            return EXIT_INTERRUPTED
        progress.close()
        store.finish_run(run_id)
        return _summary(store, addresses)
    finally:
        store.close()


def _addresses(repos: tuple[str, ...], repos_file: TextIO | None) -> list[str]:
    """The repositories named, in order, each once."""
    named = list(repos)
    if repos_file is not None:
        for line in repos_file:
            line = line.split("#", 1)[0].strip()
            if line:
                named.append(line)
    if not named:
        raise ScanError("no repository to audit: name some, or pass --repos-file FILE")
    return list(dict.fromkeys(named))


def _summary(store: Store, addresses: list[str]) -> int:
    """One stderr line per failed repository, a summary line, and the exit code."""
    rows = [row for a in addresses if (row := store.repository(a)) is not None]
    failed = [row for row in rows if row.status == "failed"]
    for row in failed:
        echo(f"warning: {row.address}: {row.error}", err=True)
    findings = store.findings(addresses)
    keys = {stored.finding.secret_sha256 for stored in findings}
    echo(f"{len(rows) - len(failed)} repositories audited, {len(failed)} failed; "
         f"{len(findings)} findings, {len(keys)} unique keys (store: {store.path})")
    if findings:
        return EXIT_FINDINGS
    return EXIT_ERROR if failed else EXIT_CLEAN


@audit.command("report")
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False, exists=True),
              help="The audit store to report from. Example: --db audit.db")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="json",
              show_default=True,
              help="json (findings plus repository, and failed repositories), csv, sarif (one "
                   "run per repository) or html (a self-contained page). Example: --format html")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write the report to FILE (atomically) instead of standard output. "
                   "Example: --output audit.html")
def report(db_path: str, fmt: str, output: str | None) -> int:
    """Report what the store holds: every finding with its repository, the unique keys
    across the organisation, and the repositories that failed.

    \b
    Examples:
      mistral-guard audit report --db audit.db
      mistral-guard audit report --db audit.db --format sarif -o audit.sarif
      mistral-guard audit report --db audit.db --format html -o audit.html
    """
    from scanner import __version__
    from scanner.audit import reports
    from scanner.audit.store import Store

    store = Store(db_path, readonly=True)
    try:
        text = reports.render(fmt, store, __version__)
        has_findings = bool(store.findings())
    finally:
        store.close()
    if output is None:
        click.echo(text, nl=False)
    else:
        from scanner.atomic import write_atomically

        write_atomically(output, text.encode("utf-8"), "report")
        echo(f"{fmt} report written to {output}", err=True)
    return EXIT_FINDINGS if has_findings else EXIT_CLEAN
