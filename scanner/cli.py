"""The command line: a click group whose commands return exit codes; `main(argv) -> int`.

Each family of commands lives in its own module (`cli_rules`, ...) and is registered here;
what reporting commands share is in `cli_common`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import replace

import click

from scanner import __version__
from scanner.cli_common import (
    EXIT_CLEAN, EXIT_ERROR, EXIT_INTERRUPTED, ReportOptions, finish_run, jobs_option,
    report_options, scan_files,
)
from scanner.errors import ScanError

# Commands defined in other modules, imported only when named (or when --help lists them):
# `scan` and `hook` then never load the git, baseline or rule-documentation code.
_LAZY_COMMANDS = {
    "baseline": "scanner.cli_baseline", "config": "scanner.cli_config",
    "history": "scanner.cli_git", "rules": "scanner.cli_rules", "staged": "scanner.cli_git",
}


class _LazyGroup(click.Group):
    """A group whose commands in `_LAZY_COMMANDS` are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _LAZY_COMMANDS and cmd_name not in self.commands:
            from importlib import import_module

            self.add_command(getattr(import_module(_LAZY_COMMANDS[cmd_name]), cmd_name))
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str],
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        """As click's, but an unknown name is compared with every command, loaded or not
        (click suggests "Did you mean ...?" from the loaded ones only)."""
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError:
            for name in _LAZY_COMMANDS:
                self.get_command(ctx, name)
            return super().resolve_command(ctx, args)


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mistral-guard")
def cli() -> None:
    """Find leaked Mistral AI and Codestral API keys before they ship.

    \b
    Examples:
      mistral-guard scan .                 scan the working tree
      mistral-guard hook app.py .env       what the pre-commit hook runs
      mistral-guard rules explain MG001    what a rule finds and how to fix it
      mistral-guard baseline create        accept today's findings; fail only on new ones
      mistral-guard config                 the effective configuration and its sources

    Exit codes: 0 nothing found, 1 findings, 2 error (bad path, option, config, rule file
    or git call), 130 interrupted.
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@jobs_option
@click.option("--include-ignored", is_flag=True,
              help="Also scan files that .gitignore excludes (built bundles in dist/, "
                   "build/, .next/). Example: mistral-guard scan . --include-ignored")
@report_options
def scan(paths: tuple[str, ...], jobs: int | None, include_ignored: bool,
         options: ReportOptions) -> int:
    """Scan files and directories (default: the current directory).

    Directories are walked honouring .gitignore files (unless --include-ignored) and the
    configuration's exclude and include globs (see `mistral-guard config`); `.git/`, binary
    files and files over --max-file-size are skipped and counted. A directory named on the
    command line is scanned even when a parent .gitignore excludes it. `-` reads standard
    input.

    \b
    Examples:
      mistral-guard scan
      mistral-guard scan src/ config/settings.py
      mistral-guard scan dist/                  a git-ignored build output
      mistral-guard scan . --include-ignored
      cat snippet.py | mistral-guard scan -
      mistral-guard scan . --format json --output report.json
      mistral-guard scan big-monorepo/ --jobs 8
    """
    return _scan_files(paths or (".",), honour_gitignore=not include_ignored, options=options,
                       jobs=jobs)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=str))
@report_options
def hook(files: tuple[str, ...], options: ReportOptions) -> int:
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
    return _scan_files(files, honour_gitignore=False, options=options, jobs=1)


def _scan_files(paths: tuple[str, ...], *, honour_gitignore: bool, options: ReportOptions,
                jobs: int | None) -> int:
    from scanner.sources.files import scan_root

    options = replace(options, root=scan_root(paths))
    result, skipped = scan_files(paths, honour_gitignore=honour_gitignore, options=options,
                                 jobs=jobs)
    return finish_run(result.findings, result.stats, skipped, options, result.suppressed)



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
    except BrokenPipeError:  # the reader of our output went away (`| head`)
        _silence_stdout()
        return EXIT_ERROR
    except OSError as exc:  # e.g. stdout on a full disk: the message names no file content
        _report_failure(f"mistral-guard: error: {exc.strerror or type(exc).__name__}")
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001 - a bug must still exit 2, never look like "findings"
        # Only the type: an exception message could quote scanned text.
        _report_failure(f"mistral-guard: internal error ({type(exc).__name__}); please report it")
        return EXIT_ERROR
    return result if isinstance(result, int) else EXIT_CLEAN


def _report_failure(message: str) -> None:
    try:
        click.echo(message, err=True)
    except (OSError, ValueError):  # stderr closed too: the exit code still says it
        pass


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    import os

    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
