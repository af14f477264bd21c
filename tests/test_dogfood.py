"""The project scans itself clean with its own tool."""

from tests.conftest import REPO_ROOT, run_cli


def test_repository_scans_clean():
    result = run_cli("scan", str(REPO_ROOT))
    assert result.code == 0, result.stdout + result.stderr
    assert result.stdout.startswith("no leaks found")
