"""Notebooks and Kubernetes Secrets through the real CLI: what is decoded, where it is reported."""

from __future__ import annotations

import base64
import json

from tests.conftest import run_cli
from tests.corpus.case import notebook, stream
from tests.test_cli import FINDING_KEYS


def _findings(path) -> list[dict]:
    result = run_cli("scan", str(path), "--format", "json")
    assert result.code in (0, 1), result.stderr
    return json.loads(result.stdout)["findings"]


def test_notebook_finding_names_cell_and_lines(tmp_path, key):
    text = notebook(
        ("markdown", "# Demo\n", None),
        ("code", "from mistralai import Mistral\n", None),
        ("code", "x = 1\n" + f'client = Mistral(api_key="{key}")\n', None),
    )
    (tmp_path / "demo.ipynb").write_text(text)
    file_line = next(n for n, line in enumerate(text.splitlines(), 1) if key in line)
    (finding,) = _findings(tmp_path)
    assert set(finding) == FINDING_KEYS
    assert (finding["rule_id"], finding["line"]) == ("MG002", file_line)
    report = run_cli("scan", str(tmp_path)).stdout
    assert f"demo.ipynb:{file_line}:" in report and "(cell 3, line 2)" in report
    assert key not in report


def test_notebook_source_as_one_string_maps_to_its_file_line(tmp_path, key):
    text = (
        '{"cells": [{"cell_type": "code", "metadata": {}, "outputs": [],\n'
        f'  "source": "import os\\nMISTRAL_API_KEY = \'{key}\'\\n"}}],\n'
        ' "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
    )
    (tmp_path / "one.ipynb").write_text(text)
    (finding,) = _findings(tmp_path)
    assert (finding["rule_id"], finding["line"]) == ("MG001", 2)


def test_notebook_text_output_scanned_and_images_skipped(tmp_path, key):
    png = {"data": {"image/png": base64.b64encode(key.encode() * 3).decode()},
           "metadata": {}, "output_type": "display_data"}
    (tmp_path / "out.ipynb").write_text(notebook(
        ("code", "!env\n", [stream(f"MISTRAL_API_KEY={key}\n"), png]),
    ))
    (finding,) = _findings(tmp_path)
    assert finding["rule_id"] == "MG001"


def test_notebook_generic_key_uses_context_from_another_cell(tmp_path, key):
    (tmp_path / "far.ipynb").write_text(notebook(
        ("code", "from mistralai import Mistral\n", None),
        ("code", f'token = "{key}"\n', None),
    ))
    assert [f["rule_id"] for f in _findings(tmp_path)] == ["MG016"]


def test_invalid_notebook_is_scanned_as_text(tmp_path, key):
    (tmp_path / "broken.ipynb").write_text(f"MISTRAL_API_KEY={key}\n{{not json")
    assert [f["rule_id"] for f in _findings(tmp_path)] == ["MG001"]


def test_kubernetes_secret_data_is_decoded(tmp_path, key):
    encoded = base64.b64encode(key.encode()).decode()
    (tmp_path / "secret.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: mistral\ndata:\n"
        f"  ca.crt: {base64.b64encode(b'x' * 60).decode()}\n  api-key: {encoded}\n")
    (finding,) = _findings(tmp_path)
    assert (finding["rule_id"], finding["line"]) == ("MG023", 7)


def test_base64_outside_a_secret_is_not_decoded(tmp_path, key):
    encoded = base64.b64encode(key.encode()).decode()
    (tmp_path / "config.yaml").write_text(
        f"kind: ConfigMap\nmetadata:\n  name: mistral\ndata:\n  api-key: {encoded}\n")
    assert _findings(tmp_path) == []


def test_kubernetes_secret_in_json_is_decoded(tmp_path, key):
    encoded = base64.b64encode(key.encode()).decode()
    manifest = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "mistral"},
                "data": {"MISTRAL_API_KEY": encoded, "other": "aGVsbG8="}}
    text = json.dumps(manifest, indent=4)
    (tmp_path / "secret.json").write_text(text)
    (finding,) = _findings(tmp_path)
    assert finding["line"] == next(n for n, l in enumerate(text.splitlines(), 1) if encoded in l)
