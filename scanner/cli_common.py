"""What every reporting command shares: its options, and how a run ends (report, exit code).

Commands gather findings their own way (files, staged blobs, history) and then all finish
through `finish_run`, so suppression, formats and exit codes are the same everywhere.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from scanner import __version__
from scanner.errors import ScanError
from scanner.models import SEVERITIES, Finding, RuleDoc, Skipped, Stats

if TYPE_CHECKING:
    from scanner.detect import Detector

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")
RULES_DOC_URL = "https://github.com/mistral-guard/mistral-guard/blob/main/docs/RULES.md"


@dataclass(frozen=True)
class ReportOptions:
    """The parsed values of `report_options`."""

    reports: tuple[tuple[str, str | None], ...]  # (format, file or None for stdout)
    min_severity: str
    max_file_size: int
    no_color: bool
    verbose: bool


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
    """Options shared by every command that reports findings; they arrive as `options`."""
    options = [
        click.option("--format", "formats", type=click.Choice(FORMATS), multiple=True,
                     help="Report format (default: text). Repeat it to write several reports "
                          "in one run: the Nth --output takes the Nth --format, and one "
                          "--format more than --output goes to standard output. "
                          "Example: --format sarif --output mg.sarif --format github"),
        click.option("--output", "-o", "outputs", type=click.Path(dir_okay=False),
                     multiple=True,
                     help="Write the report of the matching --format to FILE; the terminal "
                          "gets the summary line. "
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

    def bundle(**kwargs: object) -> object:
        names = ReportOptions.__dataclass_fields__
        reports = pair_reports(kwargs.pop("formats"), kwargs.pop("outputs"))
        options_value = ReportOptions(
            reports=reports, **{k: kwargs.pop(k) for k in list(kwargs) if k in names})
        return command(options=options_value, **kwargs)

    bundle.__name__ = command.__name__
    bundle.__doc__ = command.__doc__
    for option in reversed(options):
        bundle = option(bundle)
    return bundle


def pair_reports(formats: Sequence[str],
                 outputs: Sequence[str]) -> tuple[tuple[str, str | None], ...]:
    """Pair the Nth --output with the Nth --format; one extra --format goes to stdout.

    No --format means text; `--output FILE` alone writes the text report to FILE.
    """
    wanted = tuple(formats) or ("text",)
    if not len(outputs) <= len(wanted) <= len(outputs) + 1:
        raise click.UsageError(
            f"{len(wanted)} --format for {len(outputs)} --output: give each --output its "
            "--format (the Nth --output takes the Nth --format); one more --format goes to "
            "standard output")
    if len(set(outputs)) != len(outputs):
        raise click.UsageError("the same --output file is given twice")
    stdout = (wanted[-1],) if len(wanted) > len(outputs) else ()
    return (*zip(wanted, outputs), *((fmt, None) for fmt in stdout))


def build_detector(options: ReportOptions) -> Detector:
    """The detector every command uses: the bundled rules, compiled once per process."""
    from scanner.detect import Detector
    from scanner.rules import default_rules

    return Detector(default_rules())


def finish_run(findings: Sequence[Finding], stats: Stats, skipped: Sequence[Skipped],
               options: ReportOptions) -> int:
    """Warn about skipped input, render the report, and return the exit code."""
    from scanner.report.text import skipped_warnings

    for warning in skipped_warnings(skipped, options.verbose):
        click.echo(warning, err=True)
    _emit(findings, stats, options)
    return EXIT_FINDINGS if findings else EXIT_CLEAN


def _emit(findings: Sequence[Finding], stats: Stats, options: ReportOptions) -> None:
    """Write each report to its file or stdout; the terminal gets the summary when stdout
    carries no report (on stderr when it does), naming the files written."""
    from scanner.report import text

    ordered = sorted(findings,
                     key=lambda f: (f.path, f.line, f.column, f.rule_id, f.commit or ""))
    written = []
    for fmt, path in options.reports:
        if path is None:
            continue
        rendered = _render(fmt, ordered, stats, options, colour=False)
        try:
            Path(path).write_text(rendered, encoding="utf-8")
        except OSError as exc:
            raise ScanError(f"cannot write {path}: {exc.strerror}") from None
        written.append(path)
    on_stdout = [fmt for fmt, path in options.reports if path is None]
    for fmt in on_stdout:
        colour = fmt == "text" and _colour_wanted(options.no_color)
        click.echo(_render(fmt, ordered, stats, options, colour=colour), nl=False)
    if written:
        noun = "report" if len(written) == 1 else "reports"
        click.echo(f"{text.summary(ordered, stats)}; {noun} written to {', '.join(written)}",
                   err=bool(on_stdout))


def _render(fmt: str, findings: Sequence[Finding], stats: Stats, options: ReportOptions,
            colour: bool) -> str:
    """One format's view of the findings; reporters are imported only when asked for."""
    if fmt == "text":
        from scanner.report import text

        return text.render(findings, stats, colour=colour)
    if fmt == "json":
        from scanner.report import json as json_report

        return json_report.render(findings, stats, __version__)
    if fmt == "github":
        from scanner.report import github

        return github.render(findings)
    if fmt == "junit":
        from scanner.report import junit

        return junit.render(findings)
    from scanner.report import gitlab, sarif

    reporter = sarif if fmt == "sarif" else gitlab
    return reporter.render(findings, rule_docs(options, findings), __version__)


def rule_docs(options: ReportOptions, findings: Sequence[Finding]) -> list[RuleDoc]:
    """The documentation of every rule of the run, as plain data for the reporters.

    A finding whose rule is not loaded here still gets a (shorter) entry from its own fields.
    """
    docs = {rule.id: RuleDoc(
        id=rule.id, slug=rule.slug, title=rule.title, severity=rule.severity, what=rule.what,
        why=rule.why, fix=rule.fix, help_uri=f"{RULES_DOC_URL}#{rule.id.lower()}",
        references=rule.references) for rule in build_detector(options).rules}
    for f in findings:
        docs.setdefault(f.rule_id, RuleDoc(
            id=f.rule_id, slug=f.slug, title=f.title, severity=f.severity, what=f.title, why="",
            fix=f.fix, help_uri=f"{RULES_DOC_URL}#{f.rule_id.lower()}"))
    return sorted(docs.values(), key=lambda d: d.id)


def _colour_wanted(no_color: bool) -> bool:
    return not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
