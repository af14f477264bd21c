"""What every reporting command shares: its options, and how a run ends (report, exit code).

Commands gather findings their own way (files, staged blobs, history) and then all finish
through `finish_run`, so suppression, formats and exit codes are the same everywhere.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import click

from scanner import __version__
from scanner.errors import ScanError
from scanner.models import SEVERITIES, Finding, Skipped, Stats, Suppressed

if TYPE_CHECKING:
    from scanner.config import Config
    from scanner.detect import Detector
    from scanner.scan import ScanResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
FORMATS = ("text", "json")


@dataclass(frozen=True)
class ReportOptions:
    """The parsed values of `report_options`; the configuration is resolved on first use."""

    output_format: str = "text"
    output: str | None = None
    no_color: bool = False
    verbose: bool = False
    show_suppressed: bool = False
    foreign_ignores: bool = True
    config_file: str | None = None
    min_severity_flag: str | None = None
    max_file_size_flag: int | None = None
    baseline_flag: str | None = None
    disable_flag: tuple[str, ...] = ()
    root: str = "."  # the directory finding paths are relative to; config is found from it

    @cached_property
    def config(self) -> Config:
        """Defaults < config file (found from `root`, or --config) < command-line flags."""
        from scanner.config import load_config

        flags = {"min-severity": self.min_severity_flag, "max-file-size": self.max_file_size_flag,
                 "baseline": self.baseline_flag, "disable": self.disable_flag or None}
        explicit = Path(self.config_file) if self.config_file else None
        return load_config(Path(self.root), explicit,
                           {k: v for k, v in flags.items() if v is not None})

    @property
    def min_severity(self) -> str:
        return self.config.min_severity

    @property
    def max_file_size(self) -> int:
        return self.config.max_file_size


def _parse_size(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    from scanner.config import parse_size

    try:
        return None if value is None else parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


CONFIG_OPTIONS = (
    click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
                 help="Read the configuration from FILE instead of the nearest "
                      ".mistral-guard.toml or pyproject.toml [tool.mistral-guard]. "
                      "Example: --config ci/mistral-guard.toml"),
    click.option("--min-severity", "min_severity_flag", type=click.Choice(SEVERITIES),
                 default=None,
                 help="Report only findings at or above this severity (default: info). "
                      "Example: --min-severity high"),
    click.option("--max-file-size", "max_file_size_flag", default=None, callback=_parse_size,
                 help="Skip (and report as skipped) files larger than this (default: 10MB). "
                      "Example: --max-file-size 2MB"),
    click.option("--baseline", "baseline_flag", type=click.Path(dir_okay=False), default=None,
                 help="The baseline file: scan, hook, staged and history report only findings "
                      "not in it; `baseline create`/`prune` write it. "
                      "Example: --baseline .mistral-guard-baseline.json"),
    click.option("--disable", "disable_flag", multiple=True, metavar="RULE_ID",
                 callback=lambda ctx, param, value: tuple(v.upper() for v in value),
                 help="Do not run this rule (repeatable; replaces the config's list). "
                      "Example: --disable MG004"),
)
OUTPUT_OPTIONS = (
    click.option("--format", "output_format", type=click.Choice(FORMATS), default="text",
                 show_default=True,
                 help="Report format. Example: --format json"),
    click.option("--output", "-o", type=click.Path(dir_okay=False), default=None,
                 help="Write the report to FILE; the terminal gets the summary line. "
                      "Example: --format json --output findings.json"),
    click.option("--show-suppressed", is_flag=True,
                 help="Also list suppressed findings and what suppressed each one (inline "
                      "comment, config entry, baseline entry). Example: --show-suppressed"),
    click.option("--no-foreign-ignores", "foreign_ignores", is_flag=True, flag_value=False,
                 default=True,
                 help="Ignore other scanners' comments (gitleaks:allow, pragma: allowlist "
                      "secret, trufflehog:ignore, ...). Example: --no-foreign-ignores"),
    click.option("--no-color", is_flag=True,
                 help="Plain text output. Colour is also off when NO_COLOR is set or "
                      "stdout is not a terminal. Example: --no-color"),
    click.option("--verbose", "-v", is_flag=True,
                 help="Name every skipped file, not just the first few. Example: -v"),
)


def _bundled(options: Sequence[Callable], command: Callable) -> Callable:
    def bundle(**kwargs: object) -> object:
        names = ReportOptions.__dataclass_fields__
        options_value = ReportOptions(**{k: kwargs.pop(k) for k in list(kwargs) if k in names})
        return command(options=options_value, **kwargs)

    bundle.__name__ = command.__name__
    bundle.__doc__ = command.__doc__
    for option in reversed(options):
        bundle = option(bundle)
    return bundle


def report_options(command: Callable) -> Callable:
    """Options shared by every command that reports findings; they arrive as `options`."""
    return _bundled(CONFIG_OPTIONS + OUTPUT_OPTIONS, command)


def config_options(command: Callable) -> Callable:
    """Only the options that change the configuration (for `mistral-guard config`)."""
    return _bundled(CONFIG_OPTIONS, command)


def build_detector(options: ReportOptions) -> Detector:
    """The detector every command uses: the bundled rules plus the configuration's
    `extra-rules`, without its `disable`d rules; compiled once per process."""
    from scanner.detect import Detector
    from scanner.rules import default_rules

    config = options.config
    rules = default_rules(config.extra_rules)
    unknown = sorted(set(config.disable) - {rule.id for rule in rules})
    if unknown:
        raise ScanError(f"{config.source('disable')}: key 'disable': unknown rule {unknown[0]} "
                        "(`mistral-guard rules list` shows them)")
    return Detector([rule for rule in rules if rule.id not in config.disable])


def scan_files(paths: tuple[str, ...], *, honour_gitignore: bool,
               options: ReportOptions) -> tuple[ScanResult, list[Skipped]]:
    """Detect in files and directories under the configuration; inline comments applied.
    `options.root` should be `scan_root(paths)`."""
    from scanner.scan import scan_fragments
    from scanner.sources.files import FileSource

    detector = build_detector(options)
    config = options.config
    source = FileSource(paths, max_file_size=config.max_file_size,
                        honour_gitignore=honour_gitignore,
                        path_filter=config if config.filters_paths else None)
    result = scan_fragments(source.fragments(), detector, foreign_ignores=options.foreign_ignores)
    result.stats.bytes = source.bytes_read
    return result, source.skipped


def finish_run(findings: Sequence[Finding], stats: Stats, skipped: Sequence[Skipped],
               options: ReportOptions, suppressed: Sequence[Suppressed] = ()) -> int:
    """Apply the config allowlists and the baseline, warn about skipped input, render the
    report, and return the exit code. `suppressed`: what inline comments already allowed."""
    kept, silenced = suppress_findings(findings, options, suppressed)
    stats.suppressed = len(silenced)
    warn_skipped(skipped, options.verbose)
    _emit(kept, stats, options, silenced if options.show_suppressed else None)
    return EXIT_FINDINGS if kept else EXIT_CLEAN


def warn_skipped(skipped: Sequence[Skipped], verbose: bool) -> None:
    """Name the files that were not scanned, one warning line per reason, on stderr."""
    from scanner.report.text import skipped_warnings

    for warning in skipped_warnings(skipped, verbose):
        click.echo(warning, err=True)


def suppress_findings(findings: Sequence[Finding], options: ReportOptions,
                      inline: Sequence[Suppressed] = (), use_baseline: bool = True,
                      ) -> tuple[list[Finding], list[Suppressed]]:
    """The suppress stage: (kept, suppressed) under the configuration and the baseline."""
    from scanner.suppress import suppress

    baseline = None
    if use_baseline and options.config.baseline is not None:
        from scanner.baseline import load_baseline

        baseline = load_baseline(options.config.baseline)
    return suppress(findings, options.config, options.root, baseline, inline)


def _emit(findings: Sequence[Finding], stats: Stats, options: ReportOptions,
          suppressed: Sequence[Suppressed] | None) -> None:
    """Render the report to stdout, or to --output and then print only the summary."""
    from scanner.report import text

    if options.output_format == "json":
        from scanner.report import json as json_report

        rendered = json_report.render(findings, stats, __version__, suppressed)
    else:
        colour = options.output is None and _colour_wanted(options.no_color)
        rendered = text.render(findings, stats, colour=colour, suppressed=suppressed)
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
