"""`mistral-guard config`: the effective configuration and where each value came from."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from scanner.cli.options import config_options
from scanner.pipeline.run import EXIT_CLEAN, ReportOptions, build_detector


@click.command("config")
@click.argument("path", default=".", type=click.Path(path_type=str))
@config_options
def config(path: str, options: ReportOptions) -> int:
    """Print the configuration a scan of PATH would use, and where each value came from
    (default, the config file, or the command line). Also validates it: exit 2 on a bad
    key or value, a bad extra rule file or an unknown disabled rule.

    The configuration is the nearest .mistral-guard.toml or pyproject.toml with a
    [tool.mistral-guard] table, walking up from PATH to the repository root
    (.mistral-guard.toml wins), or --config FILE; flags override it.

    \b
    Examples:
      mistral-guard config
      mistral-guard config --min-severity high
      mistral-guard config --config ci/mistral-guard.toml
    """
    import json

    from scanner.config import KEYS
    from scanner.sources.files import scan_root

    options = replace(options, root=scan_root((path,)))
    effective = options.config
    build_detector(options)
    click.echo(f"# config file: {effective.file or 'none found, defaults apply'}")
    width = max(len(key) for key in KEYS)
    for key in KEYS:
        shown = json.dumps(_plain(effective.value(key)))
        click.echo(f"{key:<{width}} = {shown}  # {effective.source(key)}")
    return EXIT_CLEAN


def _plain(value: object) -> object:
    """A JSON-printable form: paths as strings, lists in order, sets sorted."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, frozenset):
        value = sorted(value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value
