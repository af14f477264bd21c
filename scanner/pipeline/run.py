"""How a reporting run ends, without the command line: the options it was given, the
detector, the file scan, suppression, the reports and the exit code.

Commands gather findings their own way (files, staged blobs, history) and then all finish
through `finish_run`, so suppression, formats and exit codes are the same everywhere. Nothing
here imports click: the plain `scan` and `hook` invocations run without it (scanner.cli).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from scanner import __version__
from scanner.errors import ScanError
from scanner.models import Finding, RuleDoc, Skipped, Stats, Suppressed

if TYPE_CHECKING:
    from scanner.config import Config
    from scanner.engine.detector import Detector
    from scanner.engine.project import Projects
    from scanner.pipeline.fragments import ScanResult
    from scanner.verify import Settings

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")
RULES_DOC_URL = "https://github.com/mistral-guard/mistral-guard/blob/main/docs/RULES.md"


def echo(message: str, err: bool = False, nl: bool = True) -> None:
    """Write `message` to stdout (or stderr) and flush. A stream that cannot encode a
    character (PYTHONIOENCODING=ascii, a POSIX locale) gets `...` for `…` and escapes for the
    rest; a closed stream is an OSError (exit 2), never "findings"."""
    stream = sys.stderr if err else sys.stdout
    if stream is None:  # started with that descriptor closed (`scan >&-`)
        raise OSError(9, "standard " + ("error" if err else "output") + " is closed")
    text = message + ("\n" if nl else "")
    try:
        stream.write(text)
    except UnicodeEncodeError:  # raised before anything is written: the text is whole
        stream.write(_encodable(text.replace("\u2026", "..."), stream.encoding or "ascii"))
    stream.flush()


def _encodable(text: str, encoding: str) -> str:
    """`text` with each character `encoding` lacks as a `\\uXXXX` escape (a surrogate pair
    beyond U+FFFF): readable in a text report, still valid inside a JSON string."""
    out = []
    for char in text:
        try:
            char.encode(encoding)
            out.append(char)
        except UnicodeEncodeError:
            code = ord(char)
            if code > 0xFFFF:
                code -= 0x10000
                out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
            else:
                out.append(f"\\u{code:04x}")
    return "".join(out)


@dataclass(frozen=True)  # no slots: `config` is a cached_property
class ReportOptions:
    """The parsed values of `report_options`; the configuration is resolved on first use."""

    reports: tuple[tuple[str, str | None], ...] = (("text", None),)  # (format, file|stdout)
    no_color: bool = False
    verbose: bool = False
    show_suppressed: bool = False
    foreign_ignores: bool = True
    config_file: str | None = None
    min_severity_flag: str | None = None
    min_confidence_flag: str | None = None
    max_file_size_flag: int | None = None
    baseline_flag: str | None = None
    disable_flag: tuple[str, ...] = ()
    root: str = "."  # the directory finding paths are relative to; config is found from it
    verify: bool = False  # --verify: check each unique key against Mistral's API
    verify_endpoint: str | None = None  # --verify-endpoint (else MISTRAL_GUARD_VERIFY_ENDPOINT)
    verify_concurrency: int = 4
    verify_timeout: float = 10.0
    verify_total_timeout: float = 60.0
    only_live: bool = False

    def __post_init__(self) -> None:
        if self.only_live and not self.verify:
            raise ScanError("--only-live needs --verify (only a verified key is known live)")
        if self.verify_endpoint is not None and not self.verify:
            raise ScanError("--verify-endpoint needs --verify")
        if self.verify:
            self.verify_settings  # noqa: B018 - a bad endpoint fails before any scan

    @cached_property
    def verify_settings(self) -> Settings:
        """The verification settings (importing the HTTP stack: only with --verify); the
        endpoint override must be an https URL."""
        from scanner.verify import ENDPOINT_ENV, Settings, check_endpoint, endpoint_from

        endpoint = endpoint_from(self.verify_endpoint)
        if endpoint is not None:
            try:
                check_endpoint(endpoint)
            except ValueError as exc:
                where = "--verify-endpoint" if self.verify_endpoint else ENDPOINT_ENV
                raise ScanError(f"{where}: {exc}") from None
        return Settings(endpoint=endpoint, concurrency=self.verify_concurrency,
                        timeout=self.verify_timeout, total_timeout=self.verify_total_timeout)

    @cached_property
    def config(self) -> Config:
        """Defaults < config file (found from `root`, or --config) < command-line flags."""
        from scanner.config import load_config

        flags = {"min-severity": self.min_severity_flag,
                 "min-confidence": self.min_confidence_flag,
                 "max-file-size": self.max_file_size_flag,
                 "baseline": self.baseline_flag, "disable": self.disable_flag or None}
        return load_config(self.root, self.config_file or None,
                           {k: v for k, v in flags.items() if v is not None})

    @property
    def min_severity(self) -> str:
        return self.config.min_severity

    @property
    def max_file_size(self) -> int:
        return self.config.max_file_size


def build_detector(options: ReportOptions, projects: Projects | None = None) -> Detector:
    """The detector every command uses: the bundled rules plus the configuration's
    `extra-rules`, without its `disable`d rules; compiled once per process. `projects`: the
    folders whose manifests name a Mistral SDK (scanner.engine.project.Projects)."""
    from scanner.engine.detector import Detector
    from scanner.rules.loader import default_rules

    config = options.config
    rules = default_rules(config.extra_rules)
    unknown = sorted(set(config.disable) - {rule.id for rule in rules})
    if unknown:
        raise ScanError(f"{config.where('disable')}: unknown rule {unknown[0]} "
                        "(`mistral-guard rules list` shows them)")
    return Detector([rule for rule in rules if rule.id not in config.disable],
                    projects=projects, keep_secrets=options.verify)


def scan_files(paths: tuple[str, ...], *, honour_gitignore: bool, options: ReportOptions,
               jobs: int | None = None) -> tuple[ScanResult, list[Skipped]]:
    """Detect in files and directories under the configuration, inline comments applied,
    over up to `jobs` processes (default: the cores). `options.root` should be
    `scan_root(paths)`."""
    from scanner.engine.project import Projects
    from scanner.pipeline.tree import default_jobs, scan_source
    from scanner.sources.files import FileSource

    detector = build_detector(options, Projects.scan(options.root))
    config = options.config
    source = FileSource(paths, max_file_size=config.max_file_size,
                        honour_gitignore=honour_gitignore,
                        path_filter=config if config.filters_paths else None,
                        gate=detector.may_match)
    return scan_source(source, detector, jobs=jobs or default_jobs(),
                       foreign_ignores=options.foreign_ignores)


def finish_run(findings: Sequence[Finding], stats: Stats, skipped: Sequence[Skipped],
               options: ReportOptions, suppressed: Sequence[Suppressed] = (),
               secrets: Mapping[str, str] | None = None) -> int:
    """Apply the config allowlists and the baseline, warn about skipped input, verify what
    is left (--verify, with `secrets`: sha256 -> secret), render the report, and return the
    exit code. `suppressed`: what inline comments already allowed."""
    kept, silenced = suppress_findings(findings, options, suppressed)
    stats.suppressed = len(silenced)
    warn_skipped(skipped, options.verbose)
    if options.verify:
        kept = verify_kept(kept, secrets or {}, options)
    _emit(kept, stats, options, silenced if options.show_suppressed else None)
    return EXIT_FINDINGS if kept else EXIT_CLEAN


def verify_kept(findings: Sequence[Finding], secrets: Mapping[str, str],
                options: ReportOptions) -> list[Finding]:
    """The verify stage: each unique key checked once, a one-line tally on stderr; with
    --only-live, only the live keys' findings are kept."""
    from collections import Counter

    from scanner.verify import verify_findings

    checked = verify_findings(findings, secrets, options.verify_settings)
    statuses = Counter({f.secret_sha256: f.verification.status
                        for f in checked if f.verification}.values())
    tally = ", ".join(f"{statuses[s]} {s}" for s in ("live", "invalid", "unknown") if statuses[s])
    noun = "key" if sum(statuses.values()) == 1 else "keys"
    echo(f"verify: {sum(statuses.values())} unique {noun} checked"
         + (f": {tally}" if tally else ""), err=True)
    if options.only_live:
        return [f for f in checked if f.verification and f.verification.status == "live"]
    return checked


def warn_skipped(skipped: Sequence[Skipped], verbose: bool) -> None:
    """Name the files that were not scanned, one warning line per reason, on stderr."""
    from scanner.report.text import skipped_warnings

    for warning in skipped_warnings(skipped, verbose):
        echo(warning, err=True)


def suppress_findings(findings: Sequence[Finding], options: ReportOptions,
                      inline: Sequence[Suppressed] = (), use_baseline: bool = True,
                      ) -> tuple[list[Finding], list[Suppressed]]:
    """The suppress stage: (kept, suppressed) under the configuration and the baseline."""
    from scanner.suppress.allowlist import suppress

    baseline = None
    if use_baseline and options.config.baseline is not None:
        from scanner.suppress.baseline import load_baseline

        baseline = load_baseline(options.config.baseline)
    return suppress(findings, options.config, options.root, baseline, inline)


def _emit(findings: Sequence[Finding], stats: Stats, options: ReportOptions,
          suppressed: Sequence[Suppressed] | None) -> None:
    """Write each report to its file or stdout; the terminal gets the summary when stdout
    carries no report (on stderr when it does), naming the files written. `suppressed`
    (--show-suppressed) is listed by the text and JSON reports."""
    from scanner.pipeline.fragments import finding_order
    from scanner.report import text

    ordered = sorted(findings, key=finding_order)
    to_files = [(fmt, path) for fmt, path in options.reports if path is not None]
    if to_files:
        from scanner.atomic import write_output  # tempfile: only when a file is written

        for fmt, path in to_files:
            rendered = _render(fmt, ordered, stats, options, colour=False, suppressed=suppressed)
            write_output(path, rendered.encode("utf-8"), "report")
    on_stdout = [fmt for fmt, path in options.reports if path is None]
    for fmt in on_stdout:
        colour = fmt == "text" and _colour_wanted(options.no_color)
        echo(_render(fmt, ordered, stats, options, colour=colour, suppressed=suppressed), nl=False)
    if to_files:
        noun = "report" if len(to_files) == 1 else "reports"
        echo(f"{text.summary(ordered, stats)}; {noun} written to "
             f"{', '.join(path for _, path in to_files)}", err=bool(on_stdout))


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
    return (not no_color and not os.environ.get("NO_COLOR") and sys.stdout is not None
            and sys.stdout.isatty())


def run_scan(paths: tuple[str, ...], options: ReportOptions, *, include_ignored: bool = False,
             jobs: int | None = None) -> int:
    """The `scan` command: files and directories (default: `.`), relative to their root."""
    return _scan_paths(paths or (".",), not include_ignored, options, jobs)


def run_hook(files: tuple[str, ...], options: ReportOptions) -> int:
    """The `hook` command: the files as given, in one process; none is exit 0."""
    return _scan_paths(files, False, options, 1) if files else EXIT_CLEAN


def _scan_paths(paths: tuple[str, ...], honour_gitignore: bool, options: ReportOptions,
                jobs: int | None) -> int:
    from scanner.sources.files import scan_root

    options = replace(options, root=scan_root(paths))
    result, skipped = scan_files(paths, honour_gitignore=honour_gitignore, options=options,
                                 jobs=jobs)
    return finish_run(result.findings, result.stats, skipped, options, result.suppressed,
                      result.secrets)
