"""Opt-in live verification (`--verify`): is each leaked key accepted by Mistral right now?

Each unique key is sent once, as `Authorization: Bearer <key>`, to `GET /v1/models` on
https://api.mistral.ai: the model list, which needs a valid key and spends no tokens. A key
found in a Codestral context that api.mistral.ai rejects is asked again of
https://codestral.mistral.ai, the host Codestral keys belong to (docs/VERIFY.md).

Nothing imports this package unless verification is asked for: it loads the HTTP stack.
The audit calls `verify_keys` directly; the reporting commands call `verify_findings`.
"""

from __future__ import annotations

import json
import os
import ssl
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from scanner.models import Finding, Verification, redact
from scanner.verify.client import Answer, Endpoint, get, tls_context

OFFICIAL_API = "https://api.mistral.ai"
OFFICIAL_CODESTRAL = "https://codestral.mistral.ai"
MODELS_PATH = "/v1/models"
ENDPOINT_ENV = "MISTRAL_GUARD_VERIFY_ENDPOINT"
CODESTRAL_RULES = frozenset({"MG004", "MG006", "MG007"})  # keys named or used as Codestral's
MAX_ATTEMPTS = 3  # per host: the first request and up to two after a 429
LIVE, INVALID, UNKNOWN = "live", "invalid", "unknown"


@dataclass(frozen=True, slots=True)
class Settings:
    """How to verify. `endpoint` replaces both official base URLs (tests, air-gapped
    mirrors); `codestral_endpoint` replaces only the Codestral one (default: `endpoint`)."""

    endpoint: str | None = None
    codestral_endpoint: str | None = None
    concurrency: int = 4  # requests in flight at once
    timeout: float = 10.0  # seconds, per request
    total_timeout: float = 60.0  # seconds, for the whole run, waits for Retry-After included
    max_retry_wait: float = 20.0  # the longest Retry-After honoured, in seconds


@dataclass(frozen=True, slots=True)
class _Plan:
    api: Endpoint
    codestral: Endpoint | None  # None: the same host as `api`, so never asked twice
    settings: Settings
    deadline: float  # time.monotonic() at which the run gives up


def endpoint_from(flag: str | None, environ: Mapping[str, str] = os.environ) -> str | None:
    """The endpoint override: the command-line flag, else MISTRAL_GUARD_VERIFY_ENDPOINT
    (never a configuration file: a scanned repository must not choose where keys go)."""
    return flag or environ.get(ENDPOINT_ENV) or None


def check_endpoint(url: str) -> Endpoint:
    """The parsed override; ValueError with a one-line reason when it is not https."""
    return Endpoint.parse(url)


def verify_keys(keys: Mapping[str, tuple[str, bool]],
                settings: Settings = Settings()) -> dict[str, Verification]:
    """Check each key once: sha256 -> (secret, found in a Codestral context) in, sha256 ->
    Verification out. Never raises for a network answer; Ctrl-C stops the run (the
    requests in flight end within their timeout, in threads nobody waits for)."""
    if not keys:
        return {}
    api = Endpoint.parse(settings.endpoint or OFFICIAL_API)
    codestral = Endpoint.parse(settings.codestral_endpoint or settings.endpoint
                               or OFFICIAL_CODESTRAL)
    plan = _Plan(api, None if codestral == api else codestral, settings,
                 time.monotonic() + settings.total_timeout)
    stop = threading.Event()
    context = tls_context()
    pool = ThreadPoolExecutor(max_workers=max(settings.concurrency, 1),
                              thread_name_prefix="mistral-guard-verify")
    futures = {pool.submit(_check, secret, codestral_context, plan, stop, context): sha
               for sha, (secret, codestral_context) in keys.items()}
    try:
        wait(futures, timeout=settings.total_timeout + 1)  # +1: a request's own timeout ends
    finally:  # normally, at the deadline, or on Ctrl-C: nothing more is started
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
    return {sha: _outcome(future) for future, sha in futures.items()}


def _outcome(future: Future[Verification]) -> Verification:
    """A check's verdict; one that did not end in time, or failed (its exception is never
    shown: it could quote the request), is unknown."""
    if not future.done() or future.cancelled():
        return _verdict(UNKNOWN, "whole-run timeout reached before it was checked")
    error = future.exception()
    if error is not None:
        return _verdict(UNKNOWN, f"internal error ({type(error).__name__})")
    return future.result()


def verify_findings(findings: Sequence[Finding], secrets: Mapping[str, str],
                    settings: Settings) -> list[Finding]:
    """`findings` with `verification` set on each key finding whose secret is in `secrets`
    (sha256 -> secret); a live key's finding is raised to critical. Risk findings are not
    verified."""
    keys: dict[str, tuple[str, bool]] = {}
    for finding in findings:
        secret = secrets.get(finding.secret_sha256)
        if finding.kind != "key" or secret is None:
            continue
        codestral = keys.get(finding.secret_sha256, (secret, False))[1]
        keys[finding.secret_sha256] = (secret, codestral or is_codestral_context(finding))
    verdicts = verify_keys(keys, settings)
    checked = []
    for finding in findings:
        verdict = verdicts.get(finding.secret_sha256) if finding.kind == "key" else None
        if verdict is None:
            checked.append(finding)
            continue
        severity = "critical" if verdict.status == LIVE else finding.severity
        checked.append(replace(finding, verification=verdict, severity=severity))
    return checked


def is_codestral_context(finding: Finding) -> bool:
    """True for a Codestral rule, or when the finding's evidence mentions Codestral."""
    return (finding.rule_id in CODESTRAL_RULES or "codestral" in finding.slug
            or any("codestral" in line.lower() for line in finding.evidence))


def _check(secret: str, codestral_context: bool, plan: _Plan, stop: threading.Event,
           context: ssl.SSLContext) -> Verification:
    """One key: the Mistral API, then Codestral's host for a Codestral key it rejects."""
    verdict = _ask(plan.api, secret, plan, stop, context, "")
    if verdict.status == INVALID and codestral_context and plan.codestral is not None:
        second = _ask(plan.codestral, secret, plan, stop, context, "Codestral ")
        verdict = second if second.status != INVALID else _verdict(
            INVALID, f"{verdict.reason}; Codestral: {second.reason}")
    # Belt and braces: no reason may carry the key, whatever a server or library put in it.
    return replace(verdict, reason=verdict.reason.replace(secret, redact(secret)))


def _ask(endpoint: Endpoint, secret: str, plan: _Plan, stop: threading.Event,
         context: ssl.SSLContext, label: str) -> Verification:
    """GET the model list on one host, waiting out a 429's Retry-After when the run's
    budget allows."""
    settings = plan.settings
    for attempt in range(MAX_ATTEMPTS):
        remaining = plan.deadline - time.monotonic()
        if stop.is_set() or remaining <= 0:
            return _verdict(UNKNOWN, "whole-run timeout reached before it was checked")
        answer = get(endpoint, MODELS_PATH, secret, min(settings.timeout, remaining), context)
        if answer.status != 429:
            return _judge(answer, label)
        delay = 2.0 ** attempt if answer.retry_after is None else answer.retry_after
        if (attempt + 1 == MAX_ATTEMPTS or delay > settings.max_retry_wait
                or time.monotonic() + delay >= plan.deadline):
            break
        if stop.wait(delay):  # the run ended while waiting
            break
    return _verdict(UNKNOWN, f"{label}rate limited (HTTP 429)" + (
        f", Retry-After {answer.retry_after:g}s" if answer.retry_after is not None else ""))


def _judge(answer: Answer, label: str) -> Verification:
    """An HTTP answer to a model-list request, as live / invalid / unknown."""
    if answer.status == 0:
        return _verdict(UNKNOWN, f"{label}{answer.failure}")
    if answer.status in (401, 403):
        return _verdict(INVALID, f"{label}HTTP {answer.status}")
    if 300 <= answer.status < 400:
        return _verdict(UNKNOWN, f"{label}redirect (HTTP {answer.status}) not followed")
    if answer.status != 200:
        return _verdict(UNKNOWN, f"{label}unexpected HTTP {answer.status}")
    if not _is_model_list(answer.body):
        return _verdict(UNKNOWN, f"{label}HTTP 200 with a body that is not a model list")
    return _verdict(LIVE, f"{label}HTTP 200")


def _is_model_list(body: bytes) -> bool:
    """True for the JSON the API answers: an object whose `data` is a list."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return False
    return isinstance(document, dict) and isinstance(document.get("data"), list)


def _verdict(status: str, reason: str) -> Verification:
    checked_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Verification(status=status, checked_at=checked_at, reason=reason)
