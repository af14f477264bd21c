"""`mistral-guard rules ...`: list, explain and check rules."""

from __future__ import annotations

from pathlib import Path

import click

from scanner.errors import ScanError
from scanner.pipeline.run import EXIT_CLEAN, EXIT_FINDINGS


@click.group()
def rules() -> None:
    """List the rules, explain what each one finds, check rule files.

    \b
    Examples:
      mistral-guard rules list
      mistral-guard rules explain MG001
      mistral-guard rules check team-rules.toml
      mistral-guard rules docs --output docs/RULES.md
    """


@rules.command("list")
def rules_list() -> int:
    """Print the rule table: id, severity, slug and title.

    \b
    Example:
      mistral-guard rules list | grep critical
    """
    from scanner.rules.loader import default_rules

    for rule in sorted(default_rules(), key=lambda r: r.id):
        click.echo(f"{rule.id}  {rule.severity:<8}  {rule.slug:<36}  {rule.title}")
    return EXIT_CLEAN


@rules.command("explain")
@click.argument("rule_id")
def rules_explain(rule_id: str) -> int:
    """Print what a rule finds, why it matters, an example, what to use instead, the fix and
    references. Example: mistral-guard rules explain MG001"""
    from scanner.rules.loader import default_rules

    wanted = rule_id.strip().upper()
    rule = next((r for r in default_rules() if r.id == wanted), None)
    if rule is None:
        raise ScanError(f"unknown rule id {rule_id!r}; `mistral-guard rules list` shows them")
    sections = [
        f"{rule.id}  {rule.title}  [{rule.severity}]  ({rule.slug})",
        f"What: {rule.what}",
        f"Why: {rule.why}",
        f"Example: {rule.example}",
        f"Use instead: {rule.use_instead}",
        f"Fix: {rule.fix}",
        "References:\n" + "\n".join(f"  {ref}" for ref in rule.references),
    ]
    click.echo("\n\n".join(sections))
    return EXIT_CLEAN


@rules.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def rules_check(files: tuple[Path, ...]) -> int:
    """Validate rule files against the JSON Schema rules/schema.json and the strict loader
    (patterns compile, have a secret group, ids are unique), then run every example and
    negative example.

    Exit 0 when every rule behaves, 1 when an example misbehaves, 2 when a file is invalid.

    \b
    Example:
      mistral-guard rules check team-rules.toml
    """
    from scanner.rules.check import check_rule
    from scanner.rules.loader import load_rules

    loaded = load_rules(files)
    problems = [problem for rule in loaded for problem in check_rule(rule)]
    for problem in problems:
        click.echo(problem)
    click.echo(f"{len(loaded)} rules checked, {len(problems)} problems")
    return EXIT_FINDINGS if problems else EXIT_CLEAN


@rules.command("docs")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the Markdown to FILE instead of standard output. "
                   "Example: --output docs/RULES.md")
def rules_docs(output: Path | None) -> int:
    """Print the rule reference as Markdown (one section per rule, anchors by id), as kept in
    docs/RULES.md.

    \b
    Examples:
      mistral-guard rules docs --output docs/RULES.md
      mistral-guard rules docs | less
    """
    from scanner.rules.docs import render
    from scanner.rules.loader import default_rules

    text = render(default_rules())
    if output is None:
        click.echo(text, nl=False)
        return EXIT_CLEAN
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ScanError(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"{output}: {len(default_rules())} rules")
    return EXIT_CLEAN
