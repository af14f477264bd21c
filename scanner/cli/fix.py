"""`mistral-guard fix`: replace hardcoded keys with environment lookups (dry run by default)."""

from __future__ import annotations

import click

from scanner.cli.options import config_options, jobs_option
from scanner.pipeline.run import ReportOptions

WRITE_HELP = "Apply the edits (atomic writes) instead of printing them. Example: --write"
DOTENV_HELP = ("Also move each removed key into the git-ignored .env file (created 0600; "
               ".env is added to .gitignore) so the application keeps running locally. "
               "Example: mistral-guard fix --write --move-to-dotenv")


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--write", is_flag=True, help=WRITE_HELP)
@click.option("--move-to-dotenv", is_flag=True, help=DOTENV_HELP)
@click.option("--include-ignored", is_flag=True,
              help="Also fix files that .gitignore excludes. Example: --include-ignored")
@click.option("--verbose", "-v", is_flag=True,
              help="Name every skipped file, not just the first few. Example: -v")
@jobs_option
@config_options
def fix(paths: tuple[str, ...], write: bool, move_to_dotenv: bool, include_ignored: bool,
        jobs: int | None, options: ReportOptions) -> int:
    """Replace hardcoded keys with an environment lookup of MISTRAL_API_KEY
    (CODESTRAL_API_KEY for Codestral keys). Dry run by default: prints a unified diff in
    which every key shows only its first four characters.

    Known shapes: Python (adds `import os`), JavaScript/TypeScript on the server
    (process.env), Go (os.Getenv), Java and Kotlin (System.getenv), Rust (std::env::var),
    C# (Environment.GetEnvironmentVariable), shell and .http files, GitHub Actions
    (${{ secrets.MISTRAL_API_KEY }}), GitLab CI and docker-compose (${MISTRAL_API_KEY}),
    Dockerfile (the ENV/ARG default removed: pass the key at run time) and notebooks (the
    cell source; outputs that show the key are cleared). Client-side code, bundles,
    comments and other files are listed with what to do instead.

    With --write, MISTRAL_API_KEY= is added to .env.example (created if absent) and .env to
    .gitignore when the project has one. Read-only files, symlinks and files changed since
    the scan are refused and left as they are.

    The key stays in your git history: revoke it in the Mistral console and use a new
    one, whatever fix changes.

    \b
    Examples:
      mistral-guard fix                       show the edits for the working tree
      mistral-guard fix src/ --write          apply them under src/
      mistral-guard fix --write --move-to-dotenv
      pre-commit: args: [--fix] on the mistral-guard hook rewrites staged files

    Exit codes: 0 no key found, 1 keys found (fixed or not), 2 error.
    """
    from scanner.fix.run import run_fix

    return run_fix(paths, options, write=write,
                   move_to_dotenv=move_to_dotenv, honour_gitignore=not include_ignored,
                   jobs=jobs)
