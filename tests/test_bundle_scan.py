"""Built bundles are usually git-ignored: scanned when named on the command line or with
`scan --include-ignored`, skipped by a plain `scan .`."""

from __future__ import annotations

import json

from scanner.models import sha256_hex
from tests.conftest import init_repo, run_cli


def bundle(key: str) -> str:
    return (f'const e="{key}";fetch("https://api.mistral.ai/v1/chat/completions",'
            '{method:"POST",headers:{Authorization:`Bearer ${e}`}});\n')


def findings(result) -> list[tuple[str, str]]:
    return sorted((f["rule_id"], f["path"]) for f in json.loads(result.stdout)["findings"])


def make_project(tmp_path, key):
    root = init_repo(tmp_path / "web")
    (root / ".gitignore").write_text("dist/\n.next/\n.env.local\n")
    (root / "dist" / "assets").mkdir(parents=True)
    (root / "dist" / "assets" / "index-Cq81xZ2a.js").write_text(bundle(key))
    (root / ".next" / "static" / "chunks").mkdir(parents=True)
    (root / ".next" / "static" / "chunks" / "page-7f3a.js").write_text(bundle(key))
    (root / ".env.local").write_text("NEXT_PUBLIC_MIS" + "TRAL_API_KEY=\n")
    (root / "app.py").write_text("print('hello')\n")
    return root


def test_plain_scan_skips_ignored_bundles(tmp_path, key):
    root = make_project(tmp_path, key)
    result = run_cli("scan", str(root), "--format", "json")
    assert result.code == 0 and findings(result) == []


def test_include_ignored_scans_bundles_and_ignored_env_files(tmp_path, key):
    root = make_project(tmp_path, key)
    result = run_cli("scan", str(root), "--include-ignored", "--format", "json")
    assert result.code == 1
    assert findings(result) == [
        ("MG050", ".env.local"),
        ("MG059", ".next/static/chunks/page-7f3a.js"),
        ("MG059", "dist/assets/index-Cq81xZ2a.js"),
    ]
    assert key not in result.stdout


def test_named_ignored_bundle_folder_is_scanned(tmp_path, key):
    root = make_project(tmp_path, key)
    result = run_cli("scan", "dist/", "--format", "json", cwd=root)
    assert result.code == 1
    assert findings(result) == [("MG059", "assets/index-Cq81xZ2a.js")]
    result = run_cli("scan", ".next", "--format", "json", cwd=root)
    assert findings(result) == [("MG059", "static/chunks/page-7f3a.js")]


def test_include_ignored_never_enters_git_dir(tmp_path, key):
    root = make_project(tmp_path, key)
    (root / ".git" / "bundle.min.js").write_text(bundle(key))
    result = run_cli("scan", str(root), "--include-ignored", "--format", "json")
    assert all(not path.startswith(".git/") for _, path in findings(result))


def test_help_explains_include_ignored():
    result = run_cli("scan", "--help")
    assert result.code == 0
    assert "--include-ignored" in result.stdout and "scan dist/" in result.stdout


def test_public_variable_holding_a_key_is_critical_and_named(tmp_path, key):
    (tmp_path / ".env").write_text("VITE_MIS" + f"TRAL_API_KEY={key}\n")
    result = run_cli("scan", str(tmp_path), "--format", "json")
    report = json.loads(result.stdout)["findings"]
    assert result.code == 1 and key not in result.stdout
    assert any(f["severity"] == "critical" and f["secret_sha256"] == sha256_hex(key)
               for f in report)
    assert [(f["rule_id"], f["severity"]) for f in report if f["rule_id"] == "MG050"] == [
        ("MG050", "medium")]
