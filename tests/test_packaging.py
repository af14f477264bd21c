"""The wheel ships the rule files; the hook path stays light; both entry points work."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from hatch_build import parse_rule_files
from scanner.rules.loader import PARSED_RULES, _parsed_bundle, default_rules, load_rules
from scanner.sources.patterns import PathPatterns
from tests.conftest import REPO_ROOT


def test_wheel_contains_every_rule_file(tmp_path):
    scratch = tmp_path / "tmp"  # the build's temporary directory, to see what it leaves
    scratch.mkdir()
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(REPO_ROOT)],
        check=True, capture_output=True, timeout=300, env={**os.environ, "TMPDIR": str(scratch)},
    )
    assert not list(scratch.glob("mistral-guard-build-*"))
    (wheel,) = tmp_path.glob("mistral_guard-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    rule_files = sorted(p.name for p in (REPO_ROOT / "rules").glob("*.toml"))
    assert rule_files
    for name in rule_files:
        assert f"scanner/rulepack/{name}" in names
    assert "scanner/cli/__init__.py" in names
    assert not any(name.startswith("tests/") for name in names)
    # The rule files parsed at build time (hatch_build.py): the TOML documents, with the
    # literal clauses and scope translations derived from them.
    parsed = json.loads(zipfile.ZipFile(wheel).read(f"scanner/rulepack/{PARSED_RULES}"))
    assert sorted(parsed) == rule_files
    assert parsed == parse_rule_files(REPO_ROOT / "rules")
    assert any("scope" in derived for entry in parsed.values()
               for derived in entry["derived"].values())


def test_shipped_scopes_match_as_pathspec_does_without_importing_it(tmp_path):
    rulepack = tmp_path / "rulepack"
    rulepack.mkdir()
    for path in (REPO_ROOT / "rules").glob("*.toml"):
        (rulepack / path.name).write_bytes(path.read_bytes())
    (rulepack / PARSED_RULES).write_text(json.dumps(parse_rule_files(rulepack)))
    paths = ["app.js", "web/src/app.jsx", ".github/workflows/ci.yml", "ci.yml", "a/.env",
             "notebooks/x.ipynb", "Dockerfile", "x.py", "deep/.vibe/config.toml"]
    probe = (
        "import json, sys\n"
        "from scanner.rules import loader\n"
        f"loader.bundled_rules_dir = lambda: {str(rulepack)!r}\n"
        "rules = loader.default_rules()\n"
        f"verdicts = {{r.id: [r.applies_to(p) for p in {paths!r}] for r in rules if r.scope}}\n"
        "print(json.dumps([verdicts, 'pathspec' in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    verdicts, imported = json.loads(out.stdout)
    assert imported is False and verdicts
    for rule in default_rules():  # this checkout's rules: translated by pathspec here
        if rule.scope:
            assert verdicts[rule.id] == [PathPatterns(rule.scope).matches(p) for p in paths]


def test_parsed_rules_are_used_only_for_files_of_the_recorded_content(tmp_path):
    rules_dir = tmp_path / "rulepack"
    rules_dir.mkdir()
    for path in (REPO_ROOT / "rules").glob("*.toml"):
        (rules_dir / path.name).write_bytes(path.read_bytes())
    keys = rules_dir / "keys.toml"
    document = tomllib.loads(keys.read_text("utf-8"))
    document["rule"][0]["title"] = "Title from the parsed file"
    content = keys.read_bytes()
    first = document["rule"][0]["id"]
    derived = {"clauses": [["from-the-build"]], "scope": ["src/", [False, True]]}
    (rules_dir / PARSED_RULES).write_text(json.dumps(
        {"keys.toml": {"content": content.decode("utf-8"), "document": document,
                       "derived": {first: derived}}}))
    parsed = _parsed_bundle(rules_dir)
    assert parsed["keys.toml"]["document"]["rule"][0]["title"] == "Title from the parsed file"
    (rule, *_) = load_rules((), lazy=(str(keys),), parsed=parsed)
    assert rule.title == "Title from the parsed file"
    assert rule.clauses == (frozenset({"from-the-build"}),)
    assert rule.scope_translation == ("src/", (False, True))
    # Edited after the build, keeping its size (one letter of a title changed): the TOML wins.
    position = content.index(b'title = "') + len(b'title = "')
    edited = content[:position] + bytes([content[position] ^ 0x20]) + content[position + 1:]
    assert len(edited) == len(content) and edited != content
    keys.write_bytes(edited)
    assert _parsed_bundle(rules_dir) == {}
    (rules_dir / PARSED_RULES).write_text("not json")
    assert _parsed_bundle(rules_dir) == {}


@pytest.mark.parametrize("derived", [
    "not a table", None, {"MG050": None}, {"MG050": {"clauses": "x", "scope": [1, 2]}},
    {"MG050": {"clauses": [["a"]], "scope": ["(unclosed", [False, True]]}},
])
def test_a_damaged_derived_part_is_ignored_never_a_traceback(tmp_path, derived):
    rules_dir = tmp_path / "rulepack"
    rules_dir.mkdir()
    rule_file = rules_dir / "client-side.toml"  # scoped rules, MG050 among them
    rule_file.write_bytes((REPO_ROOT / "rules" / rule_file.name).read_bytes())
    entry = parse_rule_files(rules_dir)[rule_file.name]
    entry["derived"] = derived
    (rules_dir / PARSED_RULES).write_text(json.dumps({rule_file.name: entry}))
    rules = load_rules((), lazy=(str(rule_file),), parsed=_parsed_bundle(rules_dir))
    fresh = load_rules((), lazy=(str(rule_file),))
    assert [r.id for r in rules] == [r.id for r in fresh] and "MG050" in {r.id for r in rules}
    paths = ("web/src/app.jsx", "server/app.py", ".env", "public/index.html")
    for rule, reference in zip(rules, fresh, strict=True):  # a bad regex: pathspec decides
        assert [rule.applies_to(p) for p in paths] == [reference.applies_to(p) for p in paths]


def test_hook_path_does_not_import_git(tmp_path, key):
    files = []
    for number in range(10):
        path = tmp_path / f"f{number}.py"
        path.write_text(f"x = {number}\n")
        files.append(str(path))
    assert hook_exit_and_heavy_modules(files) == "0 []"


def test_hook_on_a_file_that_scoped_rules_check_stays_light(tmp_path):
    app = tmp_path / "app.js"  # the keywords make scoped rules (*.js, ...) check the path
    app.write_text('const client = new Mistral({ apiKey: process.env.MISTRAL_API_KEY });\n'
                   'fetch("https://api.mistral.ai/v1/chat")\n')
    # pathspec, the one glob engine, is loaded to match the scopes (with hyperscan's module
    # when the `fast` extra is installed: pathspec looks for it); nothing else heavy is.
    assert hook_exit_and_heavy_modules([str(app)], allowed=GLOB_ENGINE) == "0 []"


def test_scan_of_a_tree_with_ignore_files_stays_light(tmp_path):
    (tmp_path / ".gitignore").write_text("build/\n*.log\n!keep.log\n")
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / ".gitignore").write_text("/dist\n")
    (tmp_path / "web" / "app.js").write_text('fetch("https://api.mistral.ai/v1/chat")\n')
    assert exit_and_heavy_modules(["scan", str(tmp_path), "--jobs", "1"],
                                  allowed=GLOB_ENGINE) == "0 []"


def test_plain_scan_and_hook_run_without_click(tmp_path, key):
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.env").write_text(f"MISTRAL_API_KEY={key}\n")
    assert loaded_after(["scan", str(tmp_path)], "click") == "1 []"
    assert loaded_after(["hook", str(tmp_path / "a.py")], "click") == "0 []"
    assert loaded_after(["scan", str(tmp_path), "--jobs", "1"], "click") == "1 ['click']"


def test_plain_scan_with_a_worker_skips_the_costly_standard_modules(tmp_path, key):
    for index in range(300):  # several chunks: a forked worker reads some of them
        (tmp_path / f"m{index}.py").write_text(f"value = {index}\n")
    (tmp_path / "m299.env").write_text(f"MISTRAL_API_KEY={key}\n")
    costly = ("multiprocessing", "threading")  # pathlib comes with pathspec (the .env scope)
    assert loaded_after(["scan", str(tmp_path)], *costly) == "1 []"


def loaded_after(args: list[str], *modules: str) -> str:
    """Run the program in a fresh interpreter: its exit code and which of `modules` it loaded."""
    probe = ("import sys\nfrom scanner.cli import main\n"
             f"code = main({args!r})\nprint(code, [m for m in {modules!r} if m in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    return out.stdout.strip().splitlines()[-1]


GLOB_ENGINE = ("pathspec", "hyperscan")
HEAVY = ("git", "gitdb", "pathspec", "json", "hyperscan", "multiprocessing")


def hook_exit_and_heavy_modules(files: list[str], cwd: Path | None = None,
                                allowed: tuple[str, ...] = ()) -> str:
    return exit_and_heavy_modules(["hook", *files], cwd, allowed)


def exit_and_heavy_modules(args: list[str], cwd: Path | None = None,
                           allowed: tuple[str, ...] = ()) -> str:
    """Run the CLI in a fresh interpreter: its exit code and the heavy modules it imported
    (but the `allowed` ones)."""
    heavy = set(HEAVY) - set(allowed)
    probe = (
        "import sys\n"
        "from scanner.cli import main\n"
        f"code = main({args!r})\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r})\n"
        "print(code, heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=cwd)
    return out.stdout.strip().splitlines()[-1]


def test_console_script_and_module_entry_points():
    script = Path(sys.executable).with_name("mistral-guard")
    for command in ([str(script), "--version"], [sys.executable, "-m", "scanner", "--version"]):
        out = subprocess.run(command, capture_output=True, text=True)
        assert out.returncode == 0 and "mistral-guard, version 0.1.0" in out.stdout


def test_hook_with_a_config_file_stays_light(tmp_path):
    (tmp_path / ".git").mkdir()  # the config search stops here
    (tmp_path / ".mistral-guard.toml").write_text(
        'min-severity = "high"\n[allow]\nsecret-sha256 = ["' + "0" * 64 + '"]\n')
    (tmp_path / "a.py").write_text("x = 1\n")
    assert hook_exit_and_heavy_modules(["a.py"], cwd=tmp_path) == "0 []"
