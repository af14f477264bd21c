"""The command line: a click group whose commands return exit codes; `main(argv) -> int`."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import click

from scanner import __version__
from scanner.errors import ScanError
from scanner.models import SEVERITIES

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
FORMATS = ("text", "json")


def _parse_size(ctx: click.Context, param: click.Parameter, value: str) -> int:
    units = {"KB": 1024, "MB": 1024**2, "GB": 1024**3, "B": 1}
    text = value.strip().upper()
    for unit, factor in units.items():
        if text.endswith(unit) and text[: -len(unit)].strip().isdigit():
            return int(text[: -len(unit)]) * factor
    if text.isdigit():
        return int(text)
    raise click.BadParameter(f"{value!r} is not a size (examples: 500000, 512KB, 10MB)")


def report_options(command: Callable) -> Callable:
    """Options shared by every command that reports findings."""
    options = [
        click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
                     show_default=True,
                     help="Report format. Example: --format json"),
        click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
                     help="Write the report to FILE; the terminal gets the summary line. "
                          "Example: --format json --output findings.json"),
        click.option("--min-severity", type=click.Choice(SEVERITIES), default="info",
                     show_default=True,
                     help="Report only findings at or above this severity. "
                          "Example: --min-severity high"),
        click.option("--max-file-size", default="10MB", show_default=True, callback=_parse_size,
                     help="Skip (and report as skipped) files larger than this. "
                          "Example: --max-file-size 2MB"),
        click.option("--no-color", is_flag=True,
                     help="Plain text output. Colour is also off when NO_COLOR is set or "
                          "stdout is not a terminal. Example: --no-color"),
        click.option("--verbose", "-v", is_flag=True,
                     help="Name every skipped file, not just the first few. Example: -v"),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mistral-guard")
def cli() -> None:
    """Find leaked Mistral AI and Codestral API keys before they ship.

    \b
    Examples:
      mistral-guard scan .                 scan the working tree
      mistral-guard hook app.py .env       what the pre-commit hook runs
      mistral-guard rules explain MG001    what a rule finds and how to fix it

    Exit codes: 0 nothing found, 1 findings, 2 error (bad path, option or rule file).
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@report_options
def scan(paths: tuple[str, ...], **options: object) -> int:
    """Scan files and directories (default: the current directory).

    Directories are walked honouring .gitignore files; `.git/`, binary files and files over
    --max-file-size are skipped and counted. `-` reads standard input.

    \b
    Examples:
      mistral-guard scan
      mistral-guard scan src/ config/settings.py
      cat snippet.py | mistral-guard scan -
      mistral-guard scan . --format json --output report.json
    """
    return _run_files(paths or (".",), honour_gitignore=True, **options)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=str))
@report_options
def hook(files: tuple[str, ...], **options: object) -> int:
    """Scan the files pre-commit passes (their staged content); the pre-commit entry point.

    Files are scanned as given, without .gitignore filtering. No files: nothing to do, exit 0.

    \b
    Example (.pre-commit-config.yaml):
      - repo: https://github.com/<owner>/mistral-guard
        rev: v0.1.0
        hooks:
          - id: mistral-guard
    """
    if not files:
        return EXIT_CLEAN
    return _run_files(files, honour_gitignore=False, **options)


def _run_files(
    paths: tuple[str, ...], *, honour_gitignore: bool, output_format: str, output: str | None,
    min_severity: str, max_file_size: int, no_color: bool, verbose: bool,
) -> int:
    from scanner.detect import Detector
    from scanner.report.text import skipped_warnings
    from scanner.rules import default_rules
    from scanner.scan import scan_fragments
    from scanner.sources.files import FileSource

    detector = Detector(default_rules())
    source = FileSource(paths, max_file_size=max_file_size, honour_gitignore=honour_gitignore)
    result = scan_fragments(source.fragments(), detector, min_severity)
    result.stats.bytes = source.bytes_read
    for warning in skipped_warnings(source.skipped, verbose):
        click.echo(warning, err=True)
    _emit(result.findings, result.stats, output_format, output, no_color)
    return EXIT_FINDINGS if result.findings else EXIT_CLEAN


def _emit(findings, stats, output_format: str, output: str | None, no_color: bool) -> None:
    """Render the report to stdout or to --output (then print only the summary)."""
    from scanner.report import text

    colour = _colour_wanted(no_color) and output is None
    if output_format == "json":
        from scanner.report import json as json_report

        rendered = json_report.render(findings, stats, __version__)
    else:
        rendered = text.render(findings, stats, colour=False if output else colour)
    if output is None:
        click.echo(rendered, nl=False)
        return
    try:
        Path(output).write_text(rendered, encoding="utf-8")
    except OSError as exc:
        raise ScanError(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"{text.summary(findings, stats)}; report written to {output}")


def _colour_wanted(no_color: bool) -> bool:
    return not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()


@cli.group()
def rules() -> None:
    """List the rules and explain what each one finds.

    \b
    Examples:
      mistral-guard rules list
      mistral-guard rules explain MG001
    """


@rules.command("list")
def rules_list() -> int:
    """Print the rule table: id, severity, slug and title."""
    from scanner.rules import default_rules

    for rule in sorted(default_rules(), key=lambda r: r.id):
        click.echo(f"{rule.id}  {rule.severity:<8}  {rule.slug:<36}  {rule.title}")
    return EXIT_CLEAN


@rules.command("explain")
@click.argument("rule_id")
def rules_explain(rule_id: str) -> int:
    """Print what a rule finds, why it matters, an example, what to use instead, the fix and
    references. Example: mistral-guard rules explain MG001"""
    from scanner.rules import default_rules

    wanted = rule_id.strip().upper()
    rule = next((r for r in default_rules() if r.id == wanted), None)
    if rule is None:
        raise ScanError(f"unknown rule id {rule_id!r}; `mistral-guard rules list` shows them")
    sections = [
        f"{rule.id}  {rule.title}  [{rule.severity}]  ({rule.slug})",
        f"What: {rule.what}",
        f"Why: {rule.why}",
        f"Example: {rule.example}",
        f"Use instead: {rule.use_instead}",
        f"Fix: {rule.fix}",
        "References:\n" + "\n".join(f"  {ref}" for ref in rule.references),
    ]
    click.echo("\n\n".join(sections))
    return EXIT_CLEAN


@rules.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def rules_check(files: tuple[Path, ...]) -> int:
    """Validate rule files with the strict loader and run every example and negative example.

    Exit 0 when every rule behaves, 1 when an example misbehaves, 2 when a file is invalid.

    \b
    Example:
      mistral-guard rules check team-rules.toml
    """
    from scanner.rules import load_rules
    from scanner.selftest import check_rule

    loaded = load_rules(files)
    problems = [problem for rule in loaded for problem in check_rule(rule)]
    for problem in problems:
        click.echo(problem)
    click.echo(f"{len(loaded)} rules checked, {len(problems)} problems")
    return EXIT_FINDINGS if problems else EXIT_CLEAN


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with `argv` and return the exit code; never raises for user errors."""
    try:
        result = cli.main(args=list(argv) if argv is not None else None,
                          prog_name="mistral-guard", standalone_mode=False)
    except ScanError as exc:
        click.echo(f"mistral-guard: error: {exc}", err=True)
        return EXIT_ERROR
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("mistral-guard: interrupted", err=True)
        return EXIT_INTERRUPTED
    return result if isinstance(result, int) else EXIT_CLEAN


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
