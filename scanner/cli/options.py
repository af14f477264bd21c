"""The command-line options every reporting command shares (click); they arrive in the
command as one `scanner.pipeline.run.ReportOptions`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any

import click

from scanner.models import CONFIDENCES, SEVERITIES
from scanner.pipeline.run import FORMATS, ReportOptions


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
    click.option("--min-confidence", "min_confidence_flag", type=click.Choice(CONFIDENCES),
                 default=None,
                 help="Report only findings at or above this confidence (default: medium). Low "
                      "is what says it is fake: test fixtures, FAKE/dummy/mock values. "
                      "Example: --min-confidence low"),
    click.option("--max-file-size", "max_file_size_flag", default=None, callback=_parse_size,
                 metavar="SIZE",
                 help="Skip (and report as skipped) files larger than this (default: 10MB). "
                      "0 lifts the limit: files and git blobs over 10MB are then read in "
                      "blocks and scanned in overlapping pieces, so memory stays bounded. "
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
                 help="Plain text output. Colour is also off when NO_COLOR is set (not empty) or "
                      "stdout is not a terminal. Example: --no-color"),
    click.option("--verbose", "-v", is_flag=True,
                 help="Name every skipped file, not just the first few. Example: -v"),
)

# Verification: command line (or, for the endpoint, the environment) only. A configuration
# file that names any of these is refused (scanner.config): a scanned repository must not be
# able to switch verification on or send keys elsewhere.
VERIFY_OPTIONS = (
    click.option("--verify", is_flag=True,
                 help="Ask Mistral whether each unique key is live: one authenticated "
                      "GET /v1/models on https://api.mistral.ai per key (no tokens spent; "
                      "Codestral keys also on codestral.mistral.ai). A call on the key "
                      "owner's account; see docs/VERIFY.md. Off by default: without it "
                      "nothing goes on the network. Example: mistral-guard scan . --verify"),
    click.option("--verify-endpoint", metavar="URL", default=None,
                 help="Send verification requests to this https base URL instead of both "
                      "official hosts (an air-gapped mirror, a test server); also read from "
                      "MISTRAL_GUARD_VERIFY_ENDPOINT, never from a configuration file. "
                      "Example: --verify --verify-endpoint https://mistral-mirror.internal"),
    click.option("--verify-concurrency", type=click.IntRange(1, 32), default=4,
                 show_default=True, metavar="N",
                 help="Verification requests in flight at once. Example: --verify-concurrency 2"),
    click.option("--verify-timeout", type=click.FloatRange(0.1, 300), default=10.0,
                 show_default=True, metavar="SECONDS",
                 help="Give up on one verification request after this long (the key is then "
                      "`unknown`). Example: --verify-timeout 5"),
    click.option("--verify-total-timeout", type=click.FloatRange(1, 3600), default=60.0,
                 show_default=True, metavar="SECONDS",
                 help="Give up on verification after this long in all, waits for a rate "
                      "limit's Retry-After included; keys not checked by then are `unknown`. "
                      "Example: --verify-total-timeout 300"),
    click.option("--only-live", is_flag=True,
                 help="With --verify: report only keys that are live (exit 1 if any, else 0). "
                      "Example: mistral-guard history --verify --only-live"),
)


def _bundled(options: Sequence[Callable], command: Callable) -> Callable:
    def bundle(**kwargs: Any) -> object:  # the values click parsed, one type per option
        names = {option.name for option in fields(ReportOptions)}
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
        help="Processes that read and detect (default: the number of cores); small inputs "
             "run in one process. Findings are the same for any value. Example: --jobs 4",
    )(command)


def report_options(command: Callable) -> Callable:
    """Options shared by every command that reports findings; they arrive as `options`."""
    return _bundled(CONFIG_OPTIONS + OUTPUT_OPTIONS + VERIFY_OPTIONS, command)


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
    # `wanted` may hold one --format more than there are outputs: it goes to stdout below
    return (*zip(wanted, outputs, strict=False), *((fmt, None) for fmt in stdout))
