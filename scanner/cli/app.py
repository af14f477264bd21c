"""The command line: a click group whose commands return exit codes; `main(argv) -> int`.

Each family of commands lives in its own module (`scanner.cli.rules`, ...) and is registered
here; the options reporting commands share are in `scanner.cli.options`, how a run ends in
`scanner.pipeline.run`.
"""

from __future__ import annotations

import click

from scanner import __version__
from scanner.cli.options import jobs_option, report_options
from scanner.pipeline.run import (
    EXIT_CLEAN,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    ReportOptions,
    echo,
    run_hook,
    run_scan,
)

# Commands defined in other modules, imported only when named (or when --help lists them):
# `scan` and `hook` then never load the git, baseline or rule-documentation code.
_LAZY_COMMANDS = {
    "audit": "scanner.cli.audit", "baseline": "scanner.cli.baseline",
    "config": "scanner.cli.config",
    "fix": "scanner.cli.fix", "history": "scanner.cli.git", "rules": "scanner.cli.rules",
    "staged": "scanner.cli.git",
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
      mistral-guard history --verify       every key in git history, and which still work
      mistral-guard fix . --write          replace hardcoded keys with environment lookups
      mistral-guard audit --repos-file repos.txt --db audit.db --cache mirrors/
                                           audit an organisation on a Dask cluster

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
    command line is scanned even when a parent .gitignore excludes it; inside a git work
    tree, files git tracks are scanned even when a .gitignore matches them (git still pushes
    them). Archives (.zip, .gz, .jar, ...) are binary: skipped and named, not unpacked. A
    symlink to a file is followed, also when it points outside the scanned tree (its
    findings name the link); a symlink to a directory is not. `-` reads standard input
    (under --max-file-size; streamed in pieces beyond 10 MB).

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
    return run_scan(paths, options, include_ignored=include_ignored, jobs=jobs)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=str))
@click.option("--fix", "fix_keys", is_flag=True,
              help="First rewrite hardcoded keys as environment lookups (as "
                   "`mistral-guard fix --write`), then fail so you review and stage the "
                   "change. Example (.pre-commit-config.yaml): args: [--fix]")
@report_options
def hook(files: tuple[str, ...], fix_keys: bool, options: ReportOptions) -> int:
    """Scan the files pre-commit passes, as they are on disk; the pre-commit entry point.

    pre-commit stashes unstaged changes before it runs the hook, so there the files on disk
    are what is staged. Called by hand, `hook` reads the working-tree files, not the index
    (use `mistral-guard staged` for the index). Files are scanned as given, without
    .gitignore filtering. No files: nothing to do, exit 0.

    \b
    Example (.pre-commit-config.yaml):
      - repo: https://github.com/<owner>/mistral-guard
        rev: v0.1.0
        hooks:
          - id: mistral-guard
            args: [--fix]          optional: rewrite keys as environment lookups
    """
    if fix_keys and files:
        from scanner.fix.run import run_fix

        fixed = run_fix(files, options, write=True, honour_gitignore=False, jobs=1)
        return max(fixed, run_hook(files, options))
    return run_hook(files, options)


def run_click(args: list[str]) -> int:
    """The click command line on `args`: its exit code, click's own errors reported here;
    any other error is left to scanner.cli.guarded."""
    try:
        result = cli.main(args=args, prog_name="mistral-guard", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_ERROR
    except click.exceptions.Abort:
        echo("mistral-guard: interrupted", err=True)
        return EXIT_INTERRUPTED
    return result if isinstance(result, int) else EXIT_CLEAN
