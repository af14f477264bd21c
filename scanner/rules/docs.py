"""docs/RULES.md: the rule reference, rendered from the rule files (one section per rule)."""

from __future__ import annotations

from collections.abc import Sequence

from scanner.rules.loader import Rule

HEADER = """# mistral-guard rules

Generated from `rules/*.toml` by `mistral-guard rules docs --output docs/RULES.md`; do not edit
by hand (a test fails when this file and the rules disagree).
"""


def anchor(rule: Rule) -> str:
    return rule.id.lower()


def _block(text: str) -> str:
    return f"```\n{text.strip()}\n```"


def _section(rule: Rule) -> str:
    scope = ", ".join(f"`{glob}`" for glob in rule.scope) if rule.scope else "any file"
    parts = [
        f'<a id="{anchor(rule)}"></a>',
        f"## {rule.id} — {rule.title}",
        f"`{rule.slug}` · severity **{rule.severity}** · scope: {scope} · file `{rule.source}`",
        f"**What it finds.** {rule.what}",
        *([f"**Decided by evidence.** {rule.evidence}"] if rule.evidence else []),
        f"**Why it matters.** {rule.why}",
        "**Example.**\n\n" + _block(rule.example),
        "**Use instead.**\n\n" + _block(rule.use_instead),
        f"**Fix.** {rule.fix}",
        "**References.**\n\n" + "\n".join(f"- {ref}" for ref in rule.references),
    ]
    return "\n\n".join(parts)


def render(rules: Sequence[Rule]) -> str:
    """The whole Markdown document: a table of rules, then one section per rule, by id."""
    ordered = sorted(rules, key=lambda r: r.id)
    table = ["| id | severity | title |", "|---|---|---|"]
    table += [f"| [{r.id}](#{anchor(r)}) | {r.severity} | {r.title} |" for r in ordered]
    body = [HEADER, "\n".join(table), *(_section(r) for r in ordered)]
    return "\n\n".join(part.strip("\n") for part in body) + "\n"
