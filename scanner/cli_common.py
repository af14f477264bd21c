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
from scanner.models import SEVERITIES, Finding, RuleDoc, Skipped, Stats, Suppressed

if TYPE_CHECKING:
    from scanner.config import Config
    from scanner.detect import Detector
    from scanner.scan import ScanResult

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")
RULES_DOC_URL = "https://github.com/mistral-guard/mistral-guard/blob/main/docs/RULES.md"


@dataclass(frozen=True)
class ReportOptions:
    """The parsed values of `report_options`; the configuration is resolved on first use."""

    reports: tuple[tuple[str, str | None], ...] = (("text", None),)  # (format, file|stdout)
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
                 metavar="SIZE",
                 help="Skip (and report as skipped) files larger than this (default: 10MB). "
                      "0 lifts the limit: working-tree files over 10MB are then read in "
                      "overlapping pieces, so memory stays bounded (git blobs are read whole). "
                      "Examples: --max-file-size 2MB, --max-file-size 0"),
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
    click.option("--show-suppressed", is_flag=True,
                 help="Also list suppressed findings and what suppressed each one (inline "
                      "comment, config entry, baseline entry) in the text and JSON reports. "
                      "Example: --show-suppressed"),
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
        if "formats" in kwargs:
            kwargs["reports"] = pair_reports(kwargs.pop("formats"), kwargs.pop("outputs"))
        options_value = ReportOptions(**{k: kwargs.pop(k) for k in list(kwargs) if k in names})
        return command(options=options_value, **kwargs)

    bundle.__name__ = command.__name__
    bundle.__doc__ = command.__doc__
    for option in reversed(options):
        bundle = option(bundle)
    return bundle


def jobs_option(command: Callable) -> Callable:
    """`--jobs N` for the commands that can spread work over processes."""
    return click.option(
        "--jobs", "-j", type=click.IntRange(min=1), default=None,
        help="Worker processes (default: the number of cores); small inputs run in one "
             "process. Findings are the same for any value. Example: --jobs 4",
    )(command)


def report_options(command: Callable) -> Callable:
    """Options shared by every command that reports findings; they arrive as `options`."""
    return _bundled(CONFIG_OPTIONS + OUTPUT_OPTIONS, command)


def config_options(command: Callable) -> Callable:
    """Only the options that change the configuration (for `mistral-guard config`)."""
    return _bundled(CONFIG_OPTIONS, command)


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
    """The detector every command uses: the bundled rules plus the configuration's
    `extra-rules`, without its `disable`d rules; compiled once per process."""
    from scanner.detect import Detector
    from scanner.rules import default_rules

    config = options.config
    rules = default_rules(config.extra_rules)
    unknown = sorted(set(config.disable) - {rule.id for rule in rules})
    if unknown:
        raise ScanError(f"{config.where('disable')}: unknown rule {unknown[0]} "
                        "(`mistral-guard rules list` shows them)")
    return Detector([rule for rule in rules if rule.id not in config.disable])


def scan_files(paths: tuple[str, ...], *, honour_gitignore: bool, options: ReportOptions,
               jobs: int | None = None) -> tuple[ScanResult, list[Skipped]]:
    """Detect in files and directories under the configuration, inline comments applied,
    over up to `jobs` processes (default: the cores). `options.root` should be
    `scan_root(paths)`."""
    from scanner.parallel import default_jobs, scan_source
    from scanner.sources.files import FileSource

    detector = build_detector(options)
    config = options.config
    source = FileSource(paths, max_file_size=config.max_file_size,
                        honour_gitignore=honour_gitignore,
                        path_filter=config if config.filters_paths else None,
                        gate=detector.may_match)
    return scan_source(source, detector, jobs=jobs or default_jobs(),
                       foreign_ignores=options.foreign_ignores)


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
    """Write each report to its file or stdout; the terminal gets the summary when stdout
    carries no report (on stderr when it does), naming the files written. `suppressed`
    (--show-suppressed) is listed by the text and JSON reports."""
    from scanner.report import text
    from scanner.scan import finding_order

    ordered = sorted(findings, key=finding_order)
    written = []
    for fmt, path in options.reports:
        if path is None:
            continue
        from scanner.atomic import write_atomically  # tempfile: only when a file is written

        rendered = _render(fmt, ordered, stats, options, colour=False, suppressed=suppressed)
        write_atomically(Path(path), rendered.encode("utf-8"), "report")
        written.append(path)
    on_stdout = [fmt for fmt, path in options.reports if path is None]
    for fmt in on_stdout:
        colour = fmt == "text" and _colour_wanted(options.no_color)
        click.echo(_render(fmt, ordered, stats, options, colour=colour, suppressed=suppressed),
                   nl=False)
    if written:
        noun = "report" if len(written) == 1 else "reports"
        click.echo(f"{text.summary(ordered, stats)}; {noun} written to {', '.join(written)}",
                   err=bool(on_stdout))


def _render(fmt: str, findings: Sequence[Finding], stats: Stats, options: ReportOptions,
            colour: bool, suppressed: Sequence[Suppressed] | None = None) -> str:
    """One format's view of the findings; reporters are imported only when asked for."""
    if fmt == "text":
        from scanner.report import text

        return text.render(findings, stats, colour=colour, suppressed=suppressed)
    if fmt == "json":
        from scanner.report import json as json_report

        return json_report.render(findings, stats, __version__, suppressed)
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
