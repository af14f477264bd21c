"""Repository context in `history` and `staged`: the checkout's manifests tie a file with no
Mistral word to Mistral, as they do in a tree scan."""

from __future__ import annotations

import json

from tests.conftest import run_cli
from tests.gitrepo import Repo, history

MANIFEST = {"services/bot/pyproject.toml": '[project]\ndependencies = ["mistralai>=1.2"]\n'}


def test_history_reports_a_key_in_a_mistral_project_at_medium(tmp_path, key):
    repo = Repo(tmp_path / "repo")
    repo.commit("init", **MANIFEST)
    repo.commit("settings", **{"services/bot/app/config.py": f'API_KEY = "{key}"\n'})
    repo.commit("read it from the environment",
                **{"services/bot/app/config.py": 'API_KEY = os.environ["LLM_KEY"]\n'})
    code, findings, _, stderr = history(repo)
    assert code == 1, stderr
    (finding,) = findings
    assert (finding["path"], finding["line"], finding["rule_id"], finding["confidence"]) == (
        "services/bot/app/config.py", 1, "MG031", "medium")
    assert finding["in_head"] is False


def test_history_without_a_mistral_manifest_reports_nothing(tmp_path, key):
    repo = Repo(tmp_path / "repo")
    repo.commit("init", **{"pyproject.toml": '[project]\ndependencies = ["httpx"]\n'})
    repo.commit("settings", **{"app/config.py": f'API_KEY = "{key}"\n'})
    code, findings, _, stderr = history(repo)
    assert (code, findings) == (0, []), stderr


def test_staged_uses_the_manifests_of_the_checkout(tmp_path, key):
    repo = Repo(tmp_path / "repo")
    repo.commit("init", **MANIFEST)
    repo.write("services/bot/app/config.py", f'# old key was {key}\n')
    repo.git("add", "services/bot/app/config.py")
    result = run_cli("staged", "--format", "json", cwd=repo.path)
    assert result.code == 1, result.stderr
    (finding,) = json.loads(result.stdout)["findings"]
    assert (finding["rule_id"], finding["line"], finding["confidence"]) == ("MG031", 1, "medium")
    assert key not in result.stdout + result.stderr
