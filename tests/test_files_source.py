"""The working-tree source on real directories: .gitignore, skips, awkward files."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import init_repo, run_cli


def leak(key: str) -> str:
    return f'MISTRAL_API_KEY="{key}"\n'


def scan_json(path, *args):
    result = run_cli("scan", str(path), "--format", "json", *args)
    return result, json.loads(result.stdout) if result.stdout.strip() else None


def test_gitignore_is_honoured_at_every_level(tmp_path, key):
    root = init_repo(tmp_path / "repo")
    (root / ".gitignore").write_text("ignored.env\nbuild/\n")
    (root / "ignored.env").write_text(leak(key))
    (root / "build").mkdir()
    (root / "build" / "bundle.js").write_text(leak(key))
    (root / "sub").mkdir()
    (root / "sub" / ".gitignore").write_text("local.py\n!keep.py\n")
    (root / "sub" / "local.py").write_text(leak(key))
    (root / "sub" / "keep.py").write_text(leak(key))
    (root / "app.py").write_text(leak(key))
    (root / ".git" / "info" / "exclude").write_text("excluded.txt\n")
    (root / "excluded.txt").write_text(leak(key))
    result, report = scan_json(root)
    assert result.code == 1
    assert sorted(f["path"] for f in report["findings"]) == ["app.py", "sub/keep.py"]


def test_git_dir_is_never_scanned(tmp_path, key):
    root = init_repo(tmp_path / "repo")
    (root / ".git" / "leak.txt").write_text(leak(key))
    result, report = scan_json(root)
    assert result.code == 0 and report["findings"] == []


def test_explicit_ignored_file_is_scanned(tmp_path, key):
    root = tmp_path
    (root / ".gitignore").write_text("secret.env\n")
    (root / "secret.env").write_text(leak(key))
    result = run_cli("scan", "secret.env", cwd=root)
    assert result.code == 1 and "secret.env:1:" in result.stdout


def test_binary_and_large_files_are_skipped_and_named(tmp_path, key):
    (tmp_path / "image.png").write_bytes(b"\x89PNG\0\0" + leak(key).encode())
    (tmp_path / "huge.txt").write_text(leak(key) + "x" * 2048)
    (tmp_path / "ok.txt").write_text("nothing here\n")
    result, report = scan_json(tmp_path, "--max-file-size", "1KB")
    assert result.code == 0 and report["findings"] == []
    assert "skipped 1 file (binary): image.png" in result.stderr
    assert "skipped 1 file (too large): huge.txt" in result.stderr
    assert report["stats"]["files"] == 1


def test_broken_symlink_fifo_and_symlink_loop(tmp_path, key):
    (tmp_path / "dangling").symlink_to(tmp_path / "missing")
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "loop").mkdir()
    (tmp_path / "loop" / "self").symlink_to(tmp_path / "loop")
    (tmp_path / "real.py").write_text(leak(key))
    (tmp_path / "link.py").symlink_to(tmp_path / "real.py")
    result, report = scan_json(tmp_path)
    assert result.code == 1
    assert sorted(f["path"] for f in report["findings"]) == ["link.py", "real.py"]
    assert "(broken symlink): dangling" in result.stderr
    assert "(not a regular file): pipe" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file_is_skipped(tmp_path, key):
    secret = tmp_path / "secret.py"
    secret.write_text(leak(key))
    secret.chmod(0)
    result, _ = scan_json(tmp_path)
    assert result.code == 0 and "permission denied" in result.stderr


@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="needs Linux /proc")
def test_file_whose_read_fails_is_skipped_and_the_rest_scanned(tmp_path, key):
    # /proc/self/mem opens for its owner (root too) and fails on read(): an I/O error at
    # read time, the case a permission bit cannot produce for root.
    (tmp_path / "broken.txt").symlink_to("/proc/self/mem")
    (tmp_path / "app.py").write_text(leak(key))
    result, report = scan_json(tmp_path)
    assert result.code == 1
    assert [f["path"] for f in report["findings"]] == ["app.py"]
    assert "(input/output error): broken.txt" in result.stderr
    assert "Traceback" not in result.stderr


def test_non_utf8_names_and_bytes(tmp_path, key):
    name = os.fsencode(tmp_path) + b"/caf\xe9.env"
    with open(name, "wb") as handle:
        handle.write(b"\x80\x81 garbage \xc3\x28\n" + leak(key).encode())
    result, report = scan_json(tmp_path)
    assert result.code == 1
    (finding,) = report["findings"]
    assert finding["path"] == "caf\ufffd.env" and finding["line"] == 2


def test_utf16_files_are_decoded(tmp_path, key):
    (tmp_path / "settings.ps1").write_bytes(("\ufeff$env:" + leak(key)).encode("utf-16-le"))
    (tmp_path / "app.config").write_bytes(leak(key).encode("utf-16"))
    result, report = scan_json(tmp_path)
    assert result.code == 1
    assert sorted(f["path"] for f in report["findings"]) == ["app.config", "settings.ps1"]


def test_crlf_line_numbers(tmp_path, key):
    (tmp_path / "a.env").write_bytes(b"A=1\r\nB=2\r\n" + leak(key).replace("\n", "\r\n").encode())
    _, report = scan_json(tmp_path)
    (finding,) = report["findings"]
    assert (finding["line"], finding["column"]) == (3, 18)


def test_paths_are_relative_to_the_scanned_root(tmp_path, key):
    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "sub" / "conf.py").write_text(leak(key))
    _, report = scan_json(tmp_path / "pkg")
    assert report["findings"][0]["path"] == "sub/conf.py"
    (tmp_path / "other").mkdir()
    result = run_cli("scan", "pkg", "other", "--format", "json", cwd=tmp_path)
    assert json.loads(result.stdout)["findings"][0]["path"] == "pkg/sub/conf.py"


def test_a_root_given_with_a_trailing_slash_keeps_its_gitignore(tmp_path, key):
    (tmp_path / ".gitignore").write_text("sub/leak.env\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "leak.env").write_text(f"MISTRAL_API_KEY={key}\n")
    (tmp_path / "app.env").write_text(f"MISTRAL_API_KEY={key}\n")
    for root in (str(tmp_path), str(tmp_path) + "/"):
        result = run_cli("scan", root, "--format", "json")
        assert [f["path"] for f in json.loads(result.stdout)["findings"]] == ["app.env"], root
