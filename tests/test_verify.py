"""--verify end to end against a local HTTPS server that plays the Mistral API (127.0.0.1
only, certificates from a test CA): statuses, each key sent once and only to the configured
host, the exact header, retries, timeouts, TLS refusals, redirects, proxies, Ctrl-C, and no
key in any output."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scanner.models import Finding, sha256_hex
from scanner.rules.check import generate_fake_key
from scanner.verify import Settings, verify_findings, verify_keys
from tests.conftest import git, init_repo, run_cli
from tests.fake_mistral import certificate_authority, connect_proxy, fake_api

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")


@pytest.fixture
def ca(tmp_path):
    with certificate_authority(tmp_path) as pair:
        yield pair


@pytest.fixture
def api(ca):
    with fake_api(ca[0]) as server:
        yield server


@pytest.fixture
def env(ca):
    """The CLI's environment: trust the test CA, no proxy, no endpoint from outside."""
    return {"SSL_CERT_FILE": ca[1], "HTTPS_PROXY": "", "https_proxy": "",
            "MISTRAL_GUARD_VERIFY_ENDPOINT": ""}


@pytest.fixture
def trusting(ca, monkeypatch):
    """This process trusts the test CA and uses no proxy (for in-process API calls)."""
    monkeypatch.setenv("SSL_CERT_FILE", ca[1])
    monkeypatch.setenv("HTTPS_PROXY", "")
    monkeypatch.setenv("https_proxy", "")
    return ca[0]


def slow_keys(api, count: int, seconds: float) -> dict[str, tuple[str, bool]]:
    """`count` keys the server answers after `seconds`, as verify_keys takes them."""
    api.slow_seconds = seconds
    keys = [generate_fake_key() for _ in range(count)]
    api.behaviours.update(dict.fromkeys(keys, "slow"))
    return {sha256_hex(k): (k, False) for k in keys}


def keyed_tree(root: Path, behaviours: dict[str, str], api) -> dict[str, str]:
    """One file per behaviour, each with its own key; the keys by behaviour."""
    root.mkdir(exist_ok=True)
    keys = {}
    for behaviour in behaviours:
        key = generate_fake_key()
        keys[behaviour] = key
        api.behaviours[key] = behaviours[behaviour]
        (root / f"{behaviour}.py").write_text(f'MISTRAL_API_KEY = "{key}"\n')
    return keys


def verified(stdout: str) -> dict[str, dict]:
    """sha256 -> verification object of a JSON report."""
    return {f["secret_sha256"]: f["verification"] for f in json.loads(stdout)["findings"]}


def test_each_status_each_key_once_only_to_the_configured_host(tmp_path, ca, api, env):
    with fake_api(ca[0], host="localhost") as elsewhere:
        api.redirect_to = f"{elsewhere.url}/v1/models"
        names = ("live", "401", "403", "malformed", "redirect")
        keys = keyed_tree(tmp_path / "tree", {name: name for name in names}, api)
        (tmp_path / "tree" / "again.py").write_text(f'MISTRAL_API_KEY = "{keys["live"]}"\n')
        result = run_cli("scan", ".", "--verify", "--verify-endpoint", api.url, "--format",
                         "json", cwd=tmp_path / "tree", env=env)
        assert elsewhere.requests == []  # the redirect was not followed
    assert result.code == 1, result.stderr
    verdicts = verified(result.stdout)
    status = {name: verdicts[sha256_hex(key)] for name, key in keys.items()}
    assert {name: v["status"] for name, v in status.items()} == {
        "live": "live", "401": "invalid", "403": "invalid", "malformed": "unknown",
        "redirect": "unknown"}
    assert status["401"]["reason"] == "HTTP 401" and status["403"]["reason"] == "HTTP 403"
    assert "not a model list" in status["malformed"]["reason"]
    assert "redirect (HTTP 302) not followed" == status["redirect"]["reason"]
    assert status["live"]["checked_at"].endswith("Z")
    for key in keys.values():  # once each, though the live key is in two files
        assert api.sent(key) == 1
    assert sorted(r.authorization for r in api.requests) == sorted(
        f"Bearer {key}" for key in keys.values())
    port = api.url.rsplit(":", 1)[1]
    assert {(r.path, r.host) for r in api.requests} == {("/v1/models", f"127.0.0.1:{port}")}
    assert "verify: 5 unique keys checked: 1 live, 2 invalid, 2 unknown" in result.stderr
    findings = json.loads(result.stdout)["findings"]
    live = [f for f in findings if f["verification"]["status"] == "live"]
    assert len(live) == 2 and {f["severity"] for f in live} == {"critical"}


def test_retry_after_is_honoured_within_bounds(tmp_path, api, env):
    keys = keyed_tree(tmp_path / "tree", {"once": "429", "always": "429-forever"}, api)
    started = time.monotonic()
    result = run_cli("scan", ".", "--verify", "--verify-endpoint", api.url, "--format", "json",
                     cwd=tmp_path / "tree", env=env)
    verdicts = verified(result.stdout)
    assert verdicts[sha256_hex(keys["once"])]["status"] == "live"
    assert api.sent(keys["once"]) == 2  # asked again after Retry-After: 1
    slow = verdicts[sha256_hex(keys["always"])]
    assert slow["status"] == "unknown"
    assert slow["reason"] == "rate limited (HTTP 429), Retry-After 3600s"
    assert api.sent(keys["always"]) == 1  # an hour is past the bound: not waited for
    assert time.monotonic() - started < 30


def test_slow_answer_and_reset_connection_are_unknown(tmp_path, api, env):
    keys = keyed_tree(tmp_path / "tree", {"slow": "slow", "reset": "reset"}, api)
    result = run_cli("scan", ".", "--verify", "--verify-endpoint", api.url, "--verify-timeout",
                     "1", "--format", "json", cwd=tmp_path / "tree", env=env)
    verdicts = verified(result.stdout)
    assert verdicts[sha256_hex(keys["slow"])] | {"checked_at": ""} == {
        "status": "unknown", "checked_at": "", "reason": "timeout"}
    reset = verdicts[sha256_hex(keys["reset"])]
    assert reset["status"] == "unknown"
    assert any(word in reset["reason"] for word in ("reset", "closed", "pipe")), reset
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("case", ["wrong-name", "untrusted-ca"])
def test_certificates_are_verified(tmp_path, ca, env, case):
    """A certificate for another name, or from a CA the client does not trust, is refused
    before any request (so before the key is sent)."""
    names = ("other.example",) if case == "wrong-name" else ("127.0.0.1",)
    (tmp_path / "other").mkdir()
    with certificate_authority(tmp_path / "other") as (other_ca, _):
        issuer = ca[0] if case == "wrong-name" else other_ca
        with fake_api(issuer, names=names) as server:
            keys = keyed_tree(tmp_path / "tree", {"live": "live"}, server)
            result = run_cli("scan", ".", "--verify", "--verify-endpoint", server.url,
                             "--format", "json", cwd=tmp_path / "tree", env=env)
            assert server.requests == []
    verdict = verified(result.stdout)[sha256_hex(keys["live"])]
    assert verdict["status"] == "unknown"
    assert verdict["reason"].startswith("TLS certificate refused")


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_output_carries_the_key_and_live_is_said(tmp_path, api, env, fmt):
    keys = keyed_tree(tmp_path / "tree", {"live": "live", "dead": "401", "slow": "reset"}, api)
    out = tmp_path / f"report.{fmt}"
    result = run_cli("scan", ".", "--verify", "--verify-endpoint", api.url, "--format", fmt,
                     "--format", fmt, "--output", str(out), cwd=tmp_path / "tree", env=env)
    assert result.code == 1, result.stderr
    written = out.read_text(encoding="utf-8")
    assert written in result.stdout or fmt == "gitlab"  # the same report twice
    for key in keys.values():
        assert key not in result.stdout + result.stderr + written
    assert ("LIVE" if fmt != "json" and fmt != "sarif" else '"status": "live"') in written
    if fmt == "sarif":
        results = json.loads(written)["runs"][0]["results"]
        assert {r["properties"]["verification"]["status"] for r in results} == {
            "live", "invalid", "unknown"}
    if fmt == "text":  # the live key first; each unique key with its status
        lines = written.splitlines()
        assert lines[0].startswith("live.py:1:") and lines[0].endswith("confidence)  LIVE")
        assert "    verified: LIVE (HTTP 200) at " in written
        keys_at = lines.index("unique keys (3): revoke and replace each one once")
        assert [line.split("  ")[3].split(" ")[0] for line in lines[keys_at + 1:keys_at + 4]] == [
            "LIVE", "invalid", "unknown"]


def test_only_live(tmp_path, api, env):
    keys = keyed_tree(tmp_path / "tree", {"live": "live", "dead": "401"}, api)
    result = run_cli("scan", ".", "--verify", "--only-live", "--verify-endpoint", api.url,
                     "--format", "json", cwd=tmp_path / "tree", env=env)
    assert result.code == 1
    assert list(verified(result.stdout)) == [sha256_hex(keys["live"])]
    (tmp_path / "tree" / "live.py").unlink()
    clean = run_cli("scan", ".", "--verify", "--only-live", "--verify-endpoint", api.url,
                    cwd=tmp_path / "tree", env=env)
    assert clean.code == 0, clean.stdout
    assert clean.stdout.startswith("no leaks found")


@pytest.mark.parametrize("config", [
    (".mistral-guard.toml", 'verify-endpoint = "{url}"\n'),
    ("pyproject.toml", "[tool.mistral-guard]\nverify = true\n"),
    (".mistral-guard.toml", '[verify]\nendpoint = "{url}"\n'),
])
def test_a_config_file_cannot_turn_on_or_redirect_verification(tmp_path, api, env, config):
    keys = keyed_tree(tmp_path / "tree", {"live": "live"}, api)
    name, body = config
    (tmp_path / "tree" / name).write_text(body.format(url=api.url))
    for args in (["scan", "."], ["scan", ".", "--verify"], ["hook", "live.py", "--verify"]):
        result = run_cli(*args, cwd=tmp_path / "tree", env=env)
        assert result.code == 2
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("mistral-guard: error: ")
        assert "never from a configuration file" in lines[0]
        assert keys["live"] not in result.stdout + result.stderr
    assert api.requests == []


def test_endpoint_from_the_environment_and_nothing_without_verify(tmp_path, api, env):
    keys = keyed_tree(tmp_path / "tree", {"live": "live"}, api)
    with_env = {**env, "MISTRAL_GUARD_VERIFY_ENDPOINT": api.url}
    plain = run_cli("scan", ".", "--format", "json", cwd=tmp_path / "tree", env=with_env)
    assert plain.code == 1 and api.requests == []
    assert verified(plain.stdout) == {sha256_hex(keys["live"]): None}
    result = run_cli("scan", ".", "--verify", "--format", "json", cwd=tmp_path / "tree",
                     env=with_env)
    assert verified(result.stdout)[sha256_hex(keys["live"])]["status"] == "live"
    assert api.sent(keys["live"]) == 1


@pytest.mark.parametrize("args, message", [
    (["--verify", "--verify-endpoint", "http://127.0.0.1:1"],
     "--verify-endpoint: must be an https:// URL"),
    (["--verify", "--verify-endpoint", "https://user:pw@127.0.0.1:1"], "no user or password"),
    (["--only-live"], "--only-live needs --verify"),
    (["--verify-endpoint", "https://127.0.0.1:1"], "--verify-endpoint needs --verify"),
])
def test_bad_verify_options_are_one_line_errors(tmp_path, env, args, message):
    (tmp_path / "a.py").write_text("x = 1\n")
    result = run_cli("scan", ".", *args, cwd=tmp_path, env=env)
    assert result.code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("mistral-guard: error: ")
    assert message in lines[0]


def test_history_staged_and_hook_verify(tmp_path, api, env):
    repo = init_repo(tmp_path / "repo")
    old, staged = generate_fake_key(), generate_fake_key()
    api.behaviours.update({old: "live", staged: "403"})
    (repo / "settings.py").write_text(f'MISTRAL_API_KEY = "{old}"\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "leak")
    (repo / "settings.py").write_text("import os\n")
    git(repo, "commit", "-qam", "remove")
    history = run_cli("history", "--verify", "--verify-endpoint", api.url, "--format", "json",
                      cwd=repo, env=env)
    assert history.code == 1, history.stderr
    assert verified(history.stdout) == {sha256_hex(old): verified(history.stdout)[sha256_hex(old)]}
    assert verified(history.stdout)[sha256_hex(old)]["status"] == "live"
    (repo / "new.py").write_text(f'MISTRAL_API_KEY = "{staged}"\n')
    git(repo, "add", "new.py")
    for args in (["staged"], ["hook", "new.py"]):
        result = run_cli(*args, "--verify", "--verify-endpoint", api.url, "--format", "json",
                         cwd=repo, env=env)
        assert result.code == 1, result.stderr
        assert verified(result.stdout)[sha256_hex(staged)]["status"] == "invalid"
    assert api.sent(old) == 1 and api.sent(staged) == 2  # once per run


def test_keys_found_in_worker_processes_are_verified(tmp_path, api, env):
    tree = tmp_path / "tree"
    tree.mkdir()
    keys = []
    for number in range(200):
        body = f"x = {number}\n"
        if number % 40 == 39:  # in chunks that go to workers
            keys.append(generate_fake_key())
            api.behaviours[keys[-1]] = "live"
            body = f'MISTRAL_API_KEY = "{keys[-1]}"\n'
        (tree / f"f{number:03}.py").write_text(body)
    result = run_cli("scan", ".", "--jobs", "3", "--verify", "--verify-endpoint", api.url,
                     "--format", "json", cwd=tree, env=env)
    assert {sha: v["status"] for sha, v in verified(result.stdout).items()} == {
        sha256_hex(key): "live" for key in keys}


def test_codestral_keys_rejected_by_the_api_are_asked_of_codestral(trusting):
    with fake_api(trusting) as mistral, fake_api(trusting, host="localhost") as codestral:
        codestral_key, plain_key, live_key = (generate_fake_key() for _ in range(3))
        codestral.behaviours[codestral_key] = codestral.behaviours[plain_key] = "live"
        mistral.behaviours[live_key] = "live"
        keys = {sha256_hex(codestral_key): (codestral_key, True),
                sha256_hex(plain_key): (plain_key, False),
                sha256_hex(live_key): (live_key, True)}
        verdicts = verify_keys(keys, Settings(endpoint=mistral.url,
                                              codestral_endpoint=codestral.url))
    assert verdicts[sha256_hex(codestral_key)].status == "live"
    assert verdicts[sha256_hex(codestral_key)].reason == "Codestral HTTP 200"
    assert verdicts[sha256_hex(plain_key)].status == "invalid"  # no Codestral context
    assert verdicts[sha256_hex(live_key)].status == "live"
    assert codestral.sent(plain_key) == 0 and codestral.sent(live_key) == 0
    assert mistral.sent(codestral_key) == codestral.sent(codestral_key) == 1


def test_one_endpoint_for_both_hosts_is_asked_once(tmp_path, api, env):
    key = generate_fake_key()
    (tmp_path / ".env").write_text(f"CODESTRAL_API_KEY={key}\n")
    result = run_cli("scan", ".", "--verify", "--verify-endpoint", api.url, "--format", "json",
                     cwd=tmp_path, env=env)
    finding = json.loads(result.stdout)["findings"][0]
    assert finding["rule_id"] == "MG004"
    assert finding["verification"]["status"] == "invalid"
    assert api.sent(key) == 1


def test_requests_in_flight_are_bounded(trusting):
    with fake_api(trusting) as api:
        verdicts = verify_keys(slow_keys(api, 6, 0.5), Settings(endpoint=api.url, concurrency=2))
    assert {v.status for v in verdicts.values()} == {"live"}
    assert api.max_in_flight == 2


def test_whole_run_timeout(trusting):
    with fake_api(trusting) as api:
        keys = slow_keys(api, 3, 6)
        started = time.monotonic()
        verdicts = verify_keys(keys, Settings(endpoint=api.url, timeout=30, total_timeout=1.5))
        elapsed = time.monotonic() - started
    assert {v.status for v in verdicts.values()} == {"unknown"}
    assert elapsed < 4


def test_https_proxy_from_the_environment(tmp_path, api, env):
    keys = keyed_tree(tmp_path / "tree", {"live": "live"}, api)
    with connect_proxy() as proxy:
        result = run_cli("scan", ".", "--verify", "--verify-endpoint", api.url, "--format",
                         "json", cwd=tmp_path / "tree",
                         env={**env, "HTTPS_PROXY": proxy.url, "NO_PROXY": "", "no_proxy": ""})
        assert proxy.targets == [api.url.removeprefix("https://")]
    assert verified(result.stdout)[sha256_hex(keys["live"])]["status"] == "live"


def test_ctrl_c_stops_cleanly(tmp_path, api, env):
    api.slow_seconds = 30
    keys = keyed_tree(tmp_path / "tree", {"slow": "slow"}, api)
    proc = subprocess.Popen(
        [sys.executable, "-m", "scanner", "scan", ".", "--verify", "--verify-endpoint", api.url,
         "--verify-timeout", "60"], cwd=tmp_path / "tree", env={**os.environ, **env},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while not api.requests and time.monotonic() < deadline:
        time.sleep(0.05)
    assert api.requests, "the request never arrived"
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=20)
    assert time.monotonic() - started < 5
    assert proc.returncode == 130
    assert stderr.decode().strip().endswith("mistral-guard: interrupted")
    assert b"Traceback" not in stderr and keys["slow"].encode() not in stdout + stderr


def test_live_raises_severity_and_risk_findings_are_not_verified(trusting):
    key = generate_fake_key()
    base = dict(rule_id="MG901", slug="s", title="t", severity="high", path="p", line=1,
                column=1, end_column=33, preview=key[:4] + "…", secret_sha256=sha256_hex(key),
                fingerprint="f", fix="x")
    with fake_api(trusting) as api:
        api.behaviours[key] = "live"
        found = verify_findings([Finding(**base), Finding(**base, kind="risk")],
                                {sha256_hex(key): key}, Settings(endpoint=api.url))
    assert found[0].severity == "critical" and found[0].verification.status == "live"
    assert found[1].verification is None and found[1].severity == "high"
    assert api.sent(key) == 1


def _loaded(args: list[str], cwd: Path, env: dict[str, str]) -> str:
    """Run the program in a fresh interpreter: its exit code and the HTTP modules it loaded."""
    probe = ("import sys\nfrom scanner.cli import main\n"
             f"code = main({args!r})\n"
             "print(code, sorted(m for m in ('scanner.verify', 'http.client', 'ssl') "
             "if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=cwd, env={**os.environ, **env}, check=True)
    return out.stdout.strip().splitlines()[-1]


def test_the_http_stack_is_imported_only_with_verify(tmp_path, api, env):
    keyed_tree(tmp_path, {"live": "live"}, api)
    quiet = {**env, "MISTRAL_GUARD_VERIFY_ENDPOINT": api.url}
    for args in (["scan", "."], ["hook", "live.py"], ["scan", ".", "--format", "json"],
                 ["hook", "live.py", "--format", "sarif"]):
        assert _loaded(args, tmp_path, quiet) == "1 []"
    assert _loaded(["scan", ".", "--verify"], tmp_path, quiet) == (
        "1 ['http.client', 'scanner.verify', 'ssl']")
    assert len(api.requests) == 1


def test_a_key_decided_by_evidence_is_verified_and_raised_to_critical(tmp_path, api, env):
    """MG031 (high) is decided from the project's manifest, not matched by a pattern: its
    secret reaches verification all the same, and a live key makes it critical."""
    key = generate_fake_key()
    api.behaviours[key] = "live"
    (tmp_path / "requirements.txt").write_text("mistralai>=1.0\n")
    (tmp_path / "config.py").write_text(f'import os\nAPI_KEY = "{key}"\nTIMEOUT = 30\n')
    plain = json.loads(run_cli("scan", ".", "--format", "json", cwd=tmp_path, env=env).stdout)
    assert [(f["rule_id"], f["severity"]) for f in plain["findings"]] == [("MG031", "high")]
    result = run_cli("scan", ".", "--verify", "--verify-endpoint", api.url, "--format", "json",
                     cwd=tmp_path, env=env)
    [finding] = json.loads(result.stdout)["findings"]
    assert (finding["rule_id"], finding["severity"]) == ("MG031", "critical")
    assert finding["verification"]["status"] == "live"
    assert api.sent(key) == 1


def test_audit_verifies_in_the_workers_and_stores_the_verdicts(tmp_path, ca, api, env):
    pytest.importorskip("distributed")
    import sqlite3

    from tests.audit_org import make_repo

    live, invalid = generate_fake_key(), generate_fake_key()
    api.behaviours.update({live: "live", invalid: "401"})
    repo_a = make_repo(tmp_path / "a", [(1_700_000_000, {"app.py": f'MISTRAL_API_KEY = "{live}"\n'})])
    repo_b = make_repo(tmp_path / "b", [(1_700_000_000, {".env": f"MISTRAL_API_KEY={invalid}\n"})])
    db = tmp_path / "audit.db"
    result = subprocess.run(
        [sys.executable, "-m", "scanner", "audit", str(repo_a), str(repo_b), "--db", str(db),
         "--cache", str(tmp_path / "cache"), "--workers", "2", "--verify",
         "--verify-endpoint", api.url],
        capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1", **env}, timeout=300)
    assert result.returncode == 1, result.stderr
    with sqlite3.connect(db) as conn:
        rows = dict(conn.execute("SELECT secret_sha256, verification_status FROM findings"))
    assert rows == {sha256_hex(live): "live", sha256_hex(invalid): "invalid"}
    assert api.sent(live) == 1 and api.sent(invalid) == 1
    assert live.encode() not in db.read_bytes() and live not in result.stdout + result.stderr
    refused = subprocess.run(
        [sys.executable, "-m", "scanner", "audit", str(repo_a), "--db", str(tmp_path / "x.db"),
         "--cache", str(tmp_path / "cache"), "--verify-endpoint", api.url],
        capture_output=True, text=True, env={**os.environ, **env}, timeout=120)
    assert refused.returncode == 2 and "needs --verify" in refused.stderr
