"""Configuration: discovery, precedence, every key, bad values, and `mistral-guard config`."""

from __future__ import annotations

import json

import pytest

from scanner.models import sha256_hex
from tests.conftest import init_repo, run_cli
from tests.test_rules_loader import VALID as TEAM_RULE


def leak(key: str) -> str:
    return f'MISTRAL_API_KEY="{key}"\n'


def findings(root, *args, cwd=None):
    result = run_cli("scan", str(root), "--format", "json", "--show-suppressed", *args, cwd=cwd)
    assert result.code in (0, 1), result.stderr
    report = json.loads(result.stdout)
    return (sorted(f["path"] for f in report["findings"]),
            {s["path"]: s["suppressed_by"] for s in report["suppressed"]})


@pytest.fixture
def repo(tmp_path, key):
    root = init_repo(tmp_path / "repo")
    (root / "app.py").write_text(leak(key))
    (root / "vendor").mkdir()
    (root / "vendor" / "lib.py").write_text(leak(key))
    (root / "tests").mkdir()
    (root / "tests" / "fixture.py").write_text(leak(key))
    return root


def test_exclude_and_allow_paths_from_pyproject(repo):
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.mistral-guard]\nexclude = ["vendor/"]\n\n'
        '[tool.mistral-guard.allow]\npaths = ["tests/**"]\n')
    paths, suppressed = findings(repo)
    assert paths == ["app.py"]
    assert suppressed == {"tests/fixture.py": "config allow.paths 'tests/**' "
                                              f"({repo / 'pyproject.toml'})"}


def test_config_is_found_from_a_subdirectory_and_globs_stay_relative_to_it(repo, key):
    (repo / ".mistral-guard.toml").write_text('exclude = ["/vendor/lib.py"]\n')
    paths, _ = findings(repo / "vendor")
    assert paths == []
    (repo / "vendor" / "other.py").write_text(leak(key))
    paths, _ = findings(repo / "vendor")
    assert paths == ["other.py"]


def test_search_stops_at_the_repository_root(tmp_path, repo):
    (tmp_path / ".mistral-guard.toml").write_text('exclude = ["*.py"]\n')
    paths, _ = findings(repo)
    assert paths == ["app.py", "tests/fixture.py", "vendor/lib.py"]


def test_own_file_wins_over_pyproject(repo):
    (repo / "pyproject.toml").write_text('[tool.mistral-guard]\nexclude = ["app.py"]\n')
    (repo / ".mistral-guard.toml").write_text('exclude = ["vendor/"]\n')
    paths, _ = findings(repo)
    assert paths == ["app.py", "tests/fixture.py"]


def test_explicit_config_overrides_discovery_and_flags_override_both(repo, tmp_path):
    (repo / ".mistral-guard.toml").write_text('exclude = ["vendor/"]\nmin-severity = "low"\n')
    other = tmp_path / "ci.toml"
    other.write_text('min-severity = "critical"\ndisable = ["MG001"]\n')
    paths, _ = findings(repo, "--config", str(other))
    assert paths == []  # MG001 disabled; the discovered file's exclude is not used
    result = run_cli("config", str(repo), "--config", str(other), "--min-severity", "high",
                     "--disable", "MG002")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"# config file: {other}"
    assert 'min-severity        = "high"  # command line' in lines
    assert 'disable             = ["MG002"]  # command line' in lines
    assert "exclude             = []  # default" in lines


def test_config_command_names_the_source_of_every_value(repo):
    (repo / "pyproject.toml").write_text(
        '[tool.mistral-guard]\nmax-file-size = "2MB"\nbaseline = "mg-baseline.json"\n'
        'allow = { secret-sha256 = ["' + "A" * 64 + '"] }\n')
    result = run_cli("config", cwd=repo)
    assert result.code == 0, result.stderr
    source = str(repo / "pyproject.toml")
    assert f"max-file-size       = 2097152  # {source}" in result.stdout
    assert f'baseline            = "{repo / "mg-baseline.json"}"  # {source}' in result.stdout
    assert f'allow.secret-sha256 = ["{"a" * 64}"]  # {source}' in result.stdout
    assert 'min-severity        = "info"  # default' in result.stdout


def test_allow_secret_sha256_suppresses_a_known_test_key(repo, key):
    (repo / ".mistral-guard.toml").write_text(
        f'[allow]\nsecret-sha256 = ["{sha256_hex(key)}"]\n')
    paths, suppressed = findings(repo)
    assert paths == []
    assert set(suppressed.values()) == {
        f"config allow.secret-sha256 ({repo / '.mistral-guard.toml'})"}


def test_include_scans_a_git_ignored_bundle(repo, key):
    (repo / ".gitignore").write_text("dist/\nvendor/\n")
    (repo / "dist" / "assets").mkdir(parents=True)
    (repo / "dist" / "assets" / "bundle.js").write_text(leak(key))
    (repo / "dist" / "assets" / "other.css").write_text(leak(key))
    assert findings(repo)[0] == ["app.py", "tests/fixture.py"]
    (repo / ".mistral-guard.toml").write_text('include = ["dist/**/*.js"]\n')
    assert findings(repo)[0] == ["app.py", "dist/assets/bundle.js", "tests/fixture.py"]
    (repo / ".mistral-guard.toml").write_text(
        'include = ["dist/**/*.js"]\nexclude = ["bundle.js"]\n')  # exclude wins
    assert findings(repo)[0] == ["app.py", "tests/fixture.py"]


def test_exclude_drops_files_the_hook_is_given(repo):
    (repo / ".mistral-guard.toml").write_text('exclude = ["vendor/"]\n')
    result = run_cli("hook", "vendor/lib.py", "app.py", cwd=repo)
    assert result.code == 1
    assert "app.py:1:" in result.stdout and "vendor" not in result.stdout
    assert result.stdout.startswith("app.py") and "1 file (" in result.stdout


def test_extra_rules_and_disable(repo, key):
    (repo / "team.toml").write_text(TEAM_RULE)
    (repo / "settings.py").write_text(f'ACME_MISTRAL = "{key}"\n')
    (repo / ".mistral-guard.toml").write_text('extra-rules = ["team.toml"]\ndisable = ["MG001"]\n')
    paths, _ = findings(repo)
    assert paths == ["settings.py"]
    check = run_cli("rules", "check", str(repo / "team.toml"))
    assert check.code == 0 and "1 rules checked, 0 problems" in check.stdout


def test_team_rule_with_a_failing_example_is_rejected_by_rules_check(tmp_path):
    rule_file = tmp_path / "team.toml"
    positive = """examples = ['ACME_MISTRAL = "{KEY}"']"""
    assert positive in TEAM_RULE
    rule_file.write_text(TEAM_RULE.replace(positive, "examples = ['ACME_MISTRAL = nothing']"))
    result = run_cli("rules", "check", str(rule_file))
    assert result.code == 1
    assert "MG900 example 1: 0 findings, expected 1" in result.stdout
    assert "1 rules checked, 1 problems" in result.stdout


@pytest.mark.parametrize("content, message", [
    ('exclud = ["x"]\n', "key 'exclud'"),
    ('min-severity = "hgh"\n', "key 'min-severity': must be one of info"),
    ('max-file-size = "big"\n', "key 'max-file-size': 'big' is not a size"),
    ('max-file-size = -1\n', "key 'max-file-size'"),
    ('exclude = "vendor/"\n', "key 'exclude': must be a list of strings"),
    ('disable = ["MG1"]\n', "key 'disable': 'MG1' is not a rule id"),
    ('disable = ["MG999"]\n', "key 'disable': unknown rule MG999"),
    ('baseline = 3\n', "key 'baseline': must be a file name"),
    ('extra-rules = ["missing.toml"]\n', "cannot read rule file"),
    ('[allow]\nsecret-sha256 = ["abc"]\n', "key 'allow.secret-sha256'"),
    ('[allow]\nhashes = []\n', "key 'allow.hashes'"),
    ('allow = 3\n', "key 'allow': must be a table"),
    ('min-severity = \n', "invalid config file"),
])
def test_bad_config_is_one_line_naming_file_and_key_exit_2(repo, content, message):
    (repo / ".mistral-guard.toml").write_text(content)
    for args in (["scan", str(repo)], ["config", str(repo)], ["hook", str(repo / "app.py")]):
        result = run_cli(*args, cwd=repo)
        assert result.code == 2, (args, result.stdout)
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        if "invalid config" not in message and "rule file" not in message:
            assert ".mistral-guard.toml" in result.stderr


def test_missing_explicit_config_is_exit_2(repo):
    result = run_cli("scan", str(repo), "--config", "nope.toml")
    assert result.code == 2 and "config file not found: nope.toml" in result.stderr


def test_min_severity_and_max_file_size_precedence(repo, key):
    (repo / "team.toml").write_text(TEAM_RULE)  # MG900 is "high"
    (repo / "settings.py").write_text(f'ACME_MISTRAL = "{key}"\n' + "#" * 3000 + "\n")
    (repo / ".mistral-guard.toml").write_text(
        'extra-rules = ["team.toml"]\nmin-severity = "critical"\n')
    assert "settings.py" not in findings(repo)[0]
    assert "settings.py" in findings(repo, "--min-severity", "high")[0]
    (repo / ".mistral-guard.toml").write_text(
        'extra-rules = ["team.toml"]\nmax-file-size = "2KB"\n')
    assert "settings.py" not in findings(repo)[0]
    assert "settings.py" in findings(repo, "--max-file-size", "1MB")[0]


def test_unknown_disabled_rule_on_the_command_line(repo):
    result = run_cli("scan", str(repo), "--disable", "mg999")
    assert result.code == 2
    assert result.stderr.strip() == ("mistral-guard: error: --disable: unknown rule MG999 "
                                     "(`mistral-guard rules list` shows them)")
