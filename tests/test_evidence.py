"""Candidates, evidence and decision: the engine's own parts, then the contract through the CLI."""

from __future__ import annotations

import json

import pytest

from scanner.engine import evidence as ev
from scanner.engine.detector import Detector
from scanner.engine.project import mistral_projects, project_of
from scanner.models import Fragment
from scanner.rules.loader import default_rules
from tests.conftest import git, init_repo, run_cli

DETECTOR = Detector(default_rules())


def _binding(line: str, key: str, above: str = "") -> ev.Binding:
    text = above + line.replace("{KEY}", key)
    start = text.index(key)
    return ev.binding(text, text.rfind("\n", 0, start) + 1, start)


@pytest.mark.parametrize(("line", "name"), [
    ('api_key = "{KEY}"', "api_key"),
    ('const API_KEY: &str = "{KEY}";', "API_KEY"),
    ('    static let apiKey = "{KEY}"', "apiKey"),
    ('private const string ApiKey = "{KEY}";', "ApiKey"),
    ('public string ApiKey { get; init; } = "{KEY}";', "ApiKey"),
    ('  "apiKey": "{KEY}",', "apiKey"),
    ("define('MISTRAL_API_KEY', '{KEY}');", "MISTRAL_API_KEY"),
    ('buildConfigField("String", "MISTRAL_API_KEY", "\\"{KEY}\\"")', "MISTRAL_API_KEY"),
    ("export K={KEY}", "K"),
    ('const KEYS: string[] = ["", "{KEY}"];', "KEYS"),
    ('<string name="mistral_api_key">{KEY}</string>', "mistral_api_key"),
])
def test_the_name_a_key_is_bound_to_in_every_language(line, name, key):
    assert _binding(line, key).name == name


@pytest.mark.parametrize(("above", "line", "name"), [
    ("<key>MISTRAL_API_KEY</key>\n", "<string>{KEY}</string>", "MISTRAL_API_KEY"),
    ("- name: MISTRAL_API_KEY\n", "  value: {KEY}", "MISTRAL_API_KEY"),
    ('variable "mistral_api_key" {\n  type = string\n', '  default = "{KEY}"', "mistral_api_key"),
    ("api_key: >-\n", "  {KEY}", "api_key"),
])
def test_a_name_on_an_earlier_line_binds_the_value_below(above, line, name, key):
    assert _binding(line, key, above).name == name


def test_a_key_passed_straight_to_a_call_names_the_call_and_position(key):
    bound = _binding('getData(1, "{KEY}")', key)
    assert (bound.name, bound.call, bound.argument) == (None, "getData", 1)
    assert ev.is_env_lookup(_binding('os.getenv("{KEY}")', key).call)
    assert not ev.is_env_lookup(_binding('hashlib.sha256("{KEY}")', key).call)


def test_name_words_and_what_they_say():
    assert ev.name_words("mistralApiKey") == ["mistral", "api", "key"]
    assert ev.says_mistral(ev.name_words("CODESTRAL_TOKEN")) == "codestral"
    assert ev.is_generic_credential(ev.name_words("LLM_API_KEY"))
    assert not ev.is_generic_credential(ev.name_words("SESSION_SECRET"))
    assert not ev.is_keyish(ev.name_words("cache_key"))
    assert not ev.is_generic_credential(ev.name_words("OPENAI_KEY"))


def test_evidence_never_quotes_a_key_used_as_a_name(key):
    assert key not in ev.name_shown(f"env_{key}")


def test_manifests_mark_their_folders_as_mistral_projects(tmp_path):
    (tmp_path / "bot").mkdir()
    (tmp_path / "bot" / "requirements.txt").write_text("mistralai==1.2.5\n")
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "package.json").write_text('{"dependencies": {"express": "4"}}\n')
    (tmp_path / "api" / "requirements").mkdir(parents=True)
    (tmp_path / "api" / "requirements" / "base.txt").write_text("langchain-mistralai\n")
    projects = mistral_projects(str(tmp_path))
    assert projects == {"bot/": "bot/requirements.txt", "api/": "api/requirements/base.txt"}
    assert project_of("bot/app/config.py", projects) == "bot/requirements.txt"
    assert project_of("web/config.js", projects) is None


def _detect(path: str, text: str, projects: dict[str, str] | None = None) -> list:
    return Detector(default_rules(), projects=projects).detect(Fragment(path, text))


def test_a_generic_name_that_flows_into_a_bearer_header_to_mistral_is_a_key(key):
    text = (f'jwt_code = "{key}"\nHEADERS = {{"Authorization": "Bearer " + jwt_code}}\n'
            'httpx.post("https://api.mistral.ai/v1/chat/completions", headers=HEADERS)\n')
    (finding,) = _detect("bot/ask.py", text)
    assert (finding.rule_id, finding.confidence, finding.line) == ("MG003", "high", 1)
    assert any("Bearer" in words for words in finding.evidence)
    assert all(key not in words for words in finding.evidence)


def test_another_providers_key_in_a_mistral_file_is_not_reported(key):
    text = f'from mistralai import Mistral\nOPENAI_KEY = "{key}"\nopenai.api_key = OPENAI_KEY\n'
    assert _detect("app.py", text) == []


def test_names_in_code_are_not_keys_however_key_shaped(key):
    """A generated SDK's type names are 32 letters and digits too (seen in Mistral's own
    client history): reached through a module, or called, they are code, not values."""
    type_name = "AgentsAPIV1AgentsGetAgentVersion"
    text = ("from mistralai import Mistral\n"
            "def get(agent_version: Union[\n"
            f"    models_agents_api_v1_agents_getop.{type_name},\n"
            f"    {type_name}(),\n"
            f"]): ...\napi_key = \"{key}\"\n")
    (finding,) = _detect("src/mistralai/client/agents.py", text)
    assert finding.line == 6


def test_a_project_manifest_makes_a_generic_key_a_medium_suspect(key):
    text = f'API_KEY = "{key}"\n'
    (finding,) = _detect("app/config.py", text, {"": "requirements.txt"})
    assert (finding.rule_id, finding.confidence) == ("MG031", "medium")
    assert _detect("app/config.py", text) == []  # no manifest: nothing says Mistral


def test_a_printed_key_after_printing_the_key_variable_is_a_leak(key):
    printed = ">>> print(settings.mistral_api_key)"  # mistral-guard: allow[MG071]
    found = _detect("run.txt", f"{printed}\n{key}\n>>> exit()\n")
    (finding,) = [f for f in found if f.kind == "key"]
    assert (finding.rule_id, finding.line) == ("MG029", 2)
    assert _detect("job.log", f"$ printenv MISTRAL_API_KEY\n***\nrequest {key}\n") == []


def test_a_fixture_key_drops_to_low_confidence_rules_and_evidence_alike(key):
    (by_rule,) = _detect("tests/fixtures/settings.py", f'MISTRAL_API_KEY = "{key}"\n')
    (by_name,) = _detect("app/smoke.py", f'from mistralai import Mistral\nFAKE_API_KEY = "{key}"\n')
    assert by_rule.confidence == by_name.confidence == "low"
    (real,) = _detect("services/mock_interview/coach.py",
                      f'"""Mock interview coach."""\n\n\nMISTRAL_API_KEY = "{key}"\n')
    assert real.confidence == "high"


def test_fixtures_are_hidden_by_default_and_shown_with_min_confidence_low(tmp_path, key):
    fixture = tmp_path / "tests" / "fixtures" / "settings.py"
    fixture.parent.mkdir(parents=True)
    fixture.write_text(f'MISTRAL_API_KEY = "{key}"\n')
    assert run_cli("scan", str(tmp_path)).code == 0
    shown = run_cli("scan", str(tmp_path), "--min-confidence", "low", "--format", "json")
    assert shown.code == 1
    (finding,) = json.loads(shown.stdout)["findings"]
    assert finding["confidence"] == "low" and finding["kind"] == "key"
    assert any("fixture" in words for words in finding["evidence"])


def test_json_and_text_end_with_the_unique_keys(tmp_path, key):
    (tmp_path / ".env").write_text(f"MISTRAL_API_KEY={key}\n")
    (tmp_path / "app.py").write_text(f'from mistralai import Mistral\nMistral(api_key="{key}")\n')
    report = json.loads(run_cli("scan", str(tmp_path), "--format", "json").stdout)
    assert len(report["findings"]) == 2
    (unique,) = report["unique_keys"]
    assert sorted(place["path"] for place in unique["places"]) == [".env", "app.py"]
    text = run_cli("scan", str(tmp_path)).stdout
    assert "unique key (1): revoke and replace each one once" in text
    assert key not in text


def test_a_risk_finding_in_history_shows_what_matched_and_never_says_rotate(tmp_path):
    repo = init_repo(tmp_path / "repo")
    (repo / "client.py").write_text('from mistralai import Mistral\n'
                                    'client = Mistral(server_url="http' + '://api.mistral.ai")\n')
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "plain http")
    (repo / "client.py").write_text('from mistralai import Mistral\nclient = Mistral()\n')
    git(repo, "commit", "-qam", "https")
    result = run_cli("history", "--repo", str(repo))
    assert result.code == 1, result.stderr
    assert "matched: " in result.stdout and "secret:" not in result.stdout
    assert "rotate the key" not in result.stdout and "filter-repo" not in result.stdout
    assert "only in history: already fixed at HEAD" in result.stdout


def test_a_key_for_mistral_on_azure_gets_the_cloud_fix_hint(key):
    text = ('from mistralai_azure import MistralAzure\n'
            f'client = MistralAzure(azure_endpoint="https://m.services.ai.azure.com", '
            f'azure_api_key="{key}")\n')
    (finding,) = _detect("cloud/azure.py", text)
    assert finding.rule_id == "MG032" and "Azure" in finding.fix
    assert any("another cloud" in words for words in finding.evidence)


def test_findings_of_one_line_share_one_block_in_the_text_report(key):
    from scanner.models import Stats
    from scanner.report import text as text_report

    found = _detect("app.py", f'from mistralai import Mistral\nMistral(api_key="{key}"); '
                              f'MISTRAL_API_KEY = "{key}"\n')
    assert len(found) == 2 and found[0].line == found[1].line
    rendered = text_report.render(found, Stats())
    assert rendered.count("app.py:2:") == 1 and "\n  and " in rendered


def test_manifests_are_read_in_a_bounded_number_of_folders(tmp_path):
    import scanner.engine.project as project

    for index in range(project.MAX_FOLDERS + 20):
        (tmp_path / f"pkg{index:04d}").mkdir()
    (tmp_path / "pkg0000" / "requirements.txt").write_text("mistralai\n")
    (tmp_path / f"pkg{project.MAX_FOLDERS + 10:04d}" / "requirements.txt").write_text("mistralai\n")
    assert mistral_projects(str(tmp_path)) == {"pkg0000/": "pkg0000/requirements.txt"}


def test_folders_past_the_pre_read_are_read_when_a_file_below_them_asks(tmp_path, key):
    from scanner.engine.project import Projects

    service = tmp_path / "services" / "api" / "summarizer"
    (service / "app").mkdir(parents=True)
    (service / "pyproject.toml").write_text('[project]\ndependencies = ["mistralai>=1"]\n')
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "pyproject.toml").write_text('dependencies = ["mistral-common"]\n')
    projects = Projects.scan(str(tmp_path))
    path = "services/api/summarizer/app/settings.py"
    assert projects.known(path) is None  # three levels down: not pre-read
    assert projects.lookup(path) == "services/api/summarizer/pyproject.toml"
    assert projects.lookup("local/config.py") is None  # local inference only
    assert projects.lookup("node_modules/x/index.js") is None
    found = Detector(default_rules(), projects=projects).detect(
        Fragment(path, f'COMPLETION_KEY = "{key}"\n'))
    assert [(f.rule_id, f.confidence) for f in found] == [("MG031", "medium")]


def test_a_comment_speaks_of_a_key_after_code_or_on_the_line_above():
    text = 'KEY = env("K")  # rotated, was X\n// Previous credentials:\n// X\n# old build id: X\n'
    lines = text.split("\n")
    starts = [sum(len(line) + 1 for line in lines[:n]) for n in range(4)]
    assert ev.comment_about_key(text, starts[0], text.index("X"))
    assert ev.comment_about_key(text, starts[2], starts[2] + 3)
    assert not ev.comment_about_key(text, starts[3], text.rindex("X"))


def test_fixture_files_and_file_wide_fake_markers():
    assert ev.fixture_path("src/chat/fixtures.py") is not None
    assert ev.fixture_path("web/api.mock.ts") is not None
    assert ev.fixture_path("scripts/load_fixtures.py") is None
    assert ev.fixture_path("services/mock_interview/coach.py") is None
    text = '"""FAKE credentials."""\n\n\n\nK = "X"\n'
    assert ev.fake_marker("a.py", text, text.index("K"), text.index("X"), "K") is not None
    prose = '"""Mock interview coach."""\n\n\n\nK = "X"\n'
    assert ev.fake_marker("a.py", prose, prose.index("K"), prose.index("X"), "K") is None


def test_a_symlinked_folder_ends_the_manifest_lookup(tmp_path):
    """History may name `ext/a.py` where the checkout has `ext` as a symlink out of the
    repository: the lookup reads nothing through it."""
    from scanner.engine.project import Projects

    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "package.json").write_text('{"dependencies": {"@mistralai/mistralai": "1"}}')
    (outside / "deep" / "package.json").write_text('{"dependencies": {"@mistralai/mistralai": "1"}}')
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "ext").symlink_to(outside)
    projects = Projects.scan(str(repo))
    assert projects.lookup("ext/a.py") is None
    assert projects.lookup("ext/deep/a.py") is None
    (repo / "real").mkdir()
    (repo / "real" / "package.json").write_text('{"dependencies": {"@mistralai/mistralai": "1"}}')
    assert Projects.scan(str(repo)).lookup("real/x/a.py") == "real/package.json"


@pytest.mark.parametrize("line", [
    'raise ValueError("not a valid API key")',
    "    backend = Backend.FAKE,",
    "# fill in a placeholder value before you deploy",
    "# returns a sample token for the docs",
])
def test_ordinary_code_and_prose_do_not_mark_a_file_fake(line, key):
    text = f'MISTRAL_API_KEY = "{key}"\n{line}\n'
    assert [(f.rule_id, f.confidence) for f in _detect("app.py", text)] == [("MG001", "high")]


@pytest.mark.parametrize("line", [
    "# FAKE credentials only: the calls go to a stub server",
    '"""The key below is not a real key."""',
    "# a fake API key for the demo",
])
def test_a_file_that_says_its_keys_are_fake_lowers_them(line, key):
    text = f'{line}\nMISTRAL_API_KEY = "{key}"\n'
    assert [f.confidence for f in _detect("app.py", text)] == ["low"]


@pytest.mark.parametrize("text", [
    'SUMMARIZER_KEY = "{KEY}"\n# summarise with mistral\n',
    "# mistral: old key was {KEY}\n",
])
def test_naming_mistral_in_passing_keeps_the_projects_evidence(text, key):
    found = _detect("app/config.py", text.replace("{KEY}", key), {"": "requirements.txt"})
    assert [(f.rule_id, f.confidence) for f in found] == [("MG031", "medium")]


def test_stand_in_words_count_as_whole_words_of_a_name(key):
    for name, confidence in (("RESAMPLER_KEY", "medium"), ("SAMPLE_KEY", "low")):
        found = _detect("app/config.py", f'{name} = "{key}"\n', {"": "requirements.txt"})
        assert [f.confidence for f in found] == [confidence], name
