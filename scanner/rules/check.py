"""Run a rule's own examples: each positive must give exactly one finding, each negative none.

Used by `mistral-guard rules check FILE` so a team can test its own rule files.
"""

from __future__ import annotations

import secrets
import string

from scanner.engine.detector import Detector
from scanner.engine.shape import KEY_LENGTH, looks_like_mistral_key
from scanner.models import Fragment, sha256_hex
from scanner.rules.loader import KEY_PLACEHOLDER, Rule

_ALPHABET = string.ascii_letters + string.digits


def generate_fake_key() -> str:
    """A random string with the shape of a Mistral key (never a real one)."""
    while True:
        candidate = "".join(secrets.choice(_ALPHABET) for _ in range(KEY_LENGTH))
        if looks_like_mistral_key(candidate):
            return candidate


def fill(example: str, key: str) -> str:
    return example.replace(KEY_PLACEHOLDER, key)


def check_rule(rule: Rule) -> list[str]:
    """Problems with a rule's examples; an empty list means every example behaves."""
    projects = {"": rule.example_project} if rule.example_project else None
    detector = Detector([rule], projects=projects)
    problems = []
    if not rule.applies_to(rule.example_path):
        problems.append(f"{rule.id}: example_path {rule.example_path!r} is outside the rule's "
                        "scope; set example_path to a path the scope admits")
    for number, example in enumerate(rule.examples, 1):
        key = generate_fake_key()
        findings = detector.detect(Fragment(rule.example_path, fill(example, key)))
        if len(findings) != 1:
            problems.append(f"{rule.id} example {number}: {len(findings)} findings, expected 1")
        elif findings[0].rule_id != rule.id:
            problems.append(f"{rule.id} example {number}: the finding is {findings[0].rule_id}'s")
        elif KEY_PLACEHOLDER in example and findings[0].secret_sha256 != sha256_hex(key):
            problems.append(f"{rule.id} example {number}: the finding is not the {{KEY}} value")
        if not any(k in example.lower() for k in rule.keywords):
            problems.append(f"{rule.id} example {number}: contains none of the rule's keywords")
    for number, example in enumerate(rule.negative_examples, 1):
        findings = detector.detect(Fragment(rule.example_path, fill(example, generate_fake_key())))
        if findings:
            problems.append(
                f"{rule.id} negative example {number}: {len(findings)} findings, expected 0")
    return problems
