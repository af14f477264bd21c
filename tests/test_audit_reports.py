"""`mistral-guard audit report`: JSON, CSV, SARIF and the self-contained HTML page, made from a
real audit store; the page is loaded in a real headless Chromium (Debian's package)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from tests.audit_org import audit, make_org, make_repo
from tests.conftest import run_cli

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HOSTILE_PATH = "</script><img src=x onerror=document.title='owned'>.py"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Six repositories (three share a key, one is clean), a hostile file name, and one
    repository that fails, audited into one store: (db, org, failing address)."""
    from scanner.rules.check import generate_fake_key

    root = tmp_path_factory.mktemp("org")
    org = make_org(root, 6)
    hostile_key = generate_fake_key()
    hostile = make_repo(root / "hostile", [(1_720_000_000, {
        HOSTILE_PATH: f'MISTRAL_API_KEY = "{hostile_key}"\n'})])
    org.repos.append(hostile)
    org.keys["hostile"] = {hostile_key}
    missing = str(root / "gone")
    db = root / "audit.db"
    result = audit(*map(str, org.repos), missing, "--db", str(db), "--cache", str(root / "c"))
    assert result.returncode == 1, result.stderr
    return db, org, missing


def report(db: Path, fmt: str) -> str:
    result = run_cli("audit", "report", "--db", str(db), "--format", fmt)
    assert result.code == 1, result.stderr  # the store holds findings
    return result.stdout


def sha(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def test_json_report(store):
    db, org, missing = store
    document = json.loads(report(db, "json"))
    findings = document["findings"]
    assert {f["repository"] for f in findings} == {
        str(r) for r in org.repos if org.keys[r.name]}
    for f in findings:
        assert {"rule_id", "severity", "path", "line", "preview", "secret_sha256", "fingerprint",
                "commit", "author", "date", "in_head", "verification", "repository"} <= set(f)
        assert f["preview"].endswith("…") and len(f["preview"]) == 5
    assert document["failed"] == [{"repository": missing, "error": document["failed"][0]["error"]}]
    assert "does not exist" in document["failed"][0]["error"]
    shared = [k for k in document["keys"] if k["secret_sha256"] == sha(org.shared)]
    assert len(shared) == 1, "a key in three repositories is one key to rotate"
    assert sorted(p["repository"] for p in shared[0]["places"]) == sorted(
        str(r) for r in org.repos[:3])
    assert len(document["keys"]) == len(set().union(*org.keys.values()))
    text = json.dumps(document)
    for keys in org.keys.values():
        assert all(key not in text for key in keys)


def test_csv_report(store):
    db, org, _ = store
    rows = list(csv.DictReader(io.StringIO(report(db, "csv"))))
    assert {row["secret_sha256"] for row in rows} == {
        sha(k) for keys in org.keys.values() for k in keys}
    assert all(row["repository"] and row["rule_id"].startswith("MG") for row in rows)


def test_sarif_report_has_one_run_per_repository(store):
    db, org, _ = store
    document = json.loads(report(db, "sarif"))
    assert document["version"] == "2.1.0"
    uris = [run["versionControlProvenance"][0]["repositoryUri"] for run in document["runs"]]
    assert sorted(uris) == sorted(r.as_uri() for r in org.repos)  # the failed one has no run
    for run in document["runs"]:
        name = Path(run["versionControlProvenance"][0]["repositoryUri"]).name
        assert len({r["partialFingerprints"]["mistralGuardFingerprint/v1"]
                    for r in run["results"]}) == len(run["results"])
        assert bool(run["results"]) == bool(org.keys[name])


def test_report_to_a_file_and_missing_store(store, tmp_path):
    db = store[0]
    out = tmp_path / "audit.html"
    result = run_cli("audit", "report", "--db", str(db), "--format", "html", "-o", str(out))
    assert result.code == 1 and "written to" in result.stderr
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "http://" not in page and "https://" not in page.replace(
        "https://console.mistral.ai", "")  # no CDN, nothing fetched
    missing = run_cli("audit", "report", "--db", str(tmp_path / "none.db"))
    assert missing.code == 2 and "Traceback" not in missing.stderr


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium with everything that could reach the network off."""
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
         "--virtual-time-budget=3000", *args],
        capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed "
                    "(.ci/run installs it)")
def test_html_report_in_headless_chromium(store, tmp_path):
    db, org, _ = store
    page = tmp_path / "audit.html"
    run_cli("audit", "report", "--db", str(db), "--format", "html", "-o", str(page))

    loaded = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    console = [line for line in loaded.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console
    dom = loaded.stdout
    assert 'data-ready="yes"' in dom, "the page script ran to the end"
    assert dom.count('<tr class="failed">') == 1
    assert f"{len(org.repos) + 1} of {len(org.repos) + 1} repositories shown" in dom
    assert '<svg id="timeline"' in dom and dom.count('<g class="bar">') >= 2
    # every place of every key: the shared key is listed in each of its three repositories
    assert dom.count("<li>") == sum(len(keys) for keys in org.keys.values())
    # A hostile file name is text, never markup: no <img> was created, the title is intact.
    assert "<img" not in dom and "<title>mistral-guard audit</title>" in dom
    assert "&lt;/script&gt;&lt;img src=x" in dom

    filtered = chromium(tmp_path, "--dump-dom", page.as_uri() + "#filter=repo-01")
    assert f"1 of {len(org.repos) + 1} repositories shown" in filtered.stdout
    body = filtered.stdout.split('<table id="repositories">')[1].split("</table>")[0]
    assert "repo-01" in body and "repo-02" not in body and "hostile" not in body

    shot = Path(os.environ.get("MG_SCREENSHOT_DIR", tmp_path)) / "audit-report.png"
    taken = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,1600",
                     page.as_uri())
    assert taken.returncode == 0 and shot.stat().st_size > 10_000
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
