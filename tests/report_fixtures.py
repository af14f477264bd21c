"""Fixed findings and rule docs for report tests: fake previews and hashes, never a key."""

from __future__ import annotations

from scanner.models import Finding, RuleDoc, Stats, sha256_hex

DOCS_URL = "https://github.com/mistral-guard/mistral-guard/blob/main/docs/RULES.md"


def _doc(rule_id: str, severity: str) -> RuleDoc:
    return RuleDoc(
        id=rule_id, slug=f"fixture-{rule_id.lower()}", title=f"Fixture rule {rule_id}",
        severity=severity, what=f"What {rule_id} finds.", why=f"Why {rule_id} matters.",
        fix=f"Fix for {rule_id}: read the key from MISTRAL_API_KEY.",
        help_uri=f"{DOCS_URL}#{rule_id.lower()}",
        references=("https://docs.mistral.ai/api/",),
    )


RULE_DOCS = [_doc("MG001", "critical"), _doc("MG003", "high"), _doc("MG010", "medium"),
             _doc("MG020", "low"), _doc("MG030", "info")]
_BY_ID = {doc.id: doc for doc in RULE_DOCS}


def _finding(rule_id: str, path: str, line: int, column: int, n: int, **history) -> Finding:
    doc = _BY_ID[rule_id]
    return Finding(
        rule_id=rule_id, slug=doc.slug, title=doc.title, severity=doc.severity, path=path,
        line=line, column=column, end_column=column + 32, preview=f"Fak{n}…",
        secret_sha256=sha256_hex(f"fixture secret {n}"),
        fingerprint=sha256_hex(f"fixture fingerprint {n}"), fix=doc.fix, **history,
    )


FINDINGS = [
    _finding("MG001", ".env", 2, 17, 1, evidence=("bound to `MISTRAL_API_KEY`: the name says Mistral",)),
    _finding("MG003", "deploy/call.sh", 4, 30, 2, commit="0123456789abcdef0123456789abcdef01234567",
             author="Dev <dev@example.invalid>", date="2024-05-01T12:00:00+00:00", in_head=False),
    _finding("MG010", "dir, with: odd/100% done.py", 1, 1, 3),
    _finding("MG020", "src/app.py", 10, 5, 4, commit="fedcba9876543210fedcba9876543210fedcba98",
             author="Dev <dev@example.invalid>", date="2024-05-02T08:30:00+00:00", in_head=True),
    _finding("MG030", "src/app.py", 12, 9, 5, kind="risk", matched="plain-http endpoint",
             confidence="medium", commit="fedcba9876543210fedcba9876543210fedcba98",
             author="Dev <dev@example.invalid>", date="2024-05-02T08:30:00+00:00", in_head=False),
]
STATS = Stats(files=7, bytes=4096, commits=0, seconds=0.25)
