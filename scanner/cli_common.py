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
from scanner.models import SEVERITIES, Finding, Skipped, Stats

if TYPE_CHECKING:
    from scanner.detect import Detector

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
FORMATS = ("text", "json")


@dataclass(frozen=True)
class ReportOptions:
    """The parsed values of `report_options`."""

    output_format: str
    output: str | None
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

    def bundle(**kwargs: object) -> object:
        names = ReportOptions.__dataclass_fields__
        options_value = ReportOptions(**{k: kwargs.pop(k) for k in list(kwargs) if k in names})
        return command(options=options_value, **kwargs)

    bundle.__name__ = command.__name__
    bundle.__doc__ = command.__doc__
    for option in reversed(options):
        bundle = option(bundle)
    return bundle


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
    """Render the report to stdout, or to --output and then print only the summary."""
    from scanner.report import text

    if options.output_format == "json":
        from scanner.report import json as json_report

        rendered = json_report.render(findings, stats, __version__)
    else:
        colour = options.output is None and _colour_wanted(options.no_color)
        rendered = text.render(findings, stats, colour=colour)
    if options.output is None:
        click.echo(rendered, nl=False)
        return
    try:
        Path(options.output).write_text(rendered, encoding="utf-8")
    except OSError as exc:
        raise ScanError(f"cannot write {options.output}: {exc.strerror}") from None
    click.echo(f"{text.summary(findings, stats)}; report written to {options.output}")


def _colour_wanted(no_color: bool) -> bool:
    return not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
