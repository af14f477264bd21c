"""Prefilter engines and the parallel scan: identical findings whatever the engine or job count."""

from __future__ import annotations

import dataclasses
import random
import re
import string
import sys

import pytest

from scanner.engine import prefilter

from scanner.pipeline import workers
from scanner.engine.detector import Detector
from scanner.engine.literals import UNSURE
from scanner.models import Fragment
from scanner.pipeline.fragments import scan_fragments
from scanner.pipeline.tree import CHUNK_FILES, scan_source
from scanner.engine.prefilter import KeywordPrefilter, simd_available
from scanner.rules.loader import default_rules
from scanner.rules.check import fill, generate_fake_key
from scanner.sources.files import FileSource, decode

RULES = default_rules()
ENGINES = ["python", pytest.param("hyperscan", marks=pytest.mark.skipif(
    not simd_available(), reason="the hyperscan wheel (extra 'fast') is not installed"))]
# Paths that put scoped rules in and out of play (MG026 only under .vibe/, MG023 in YAML...).
PATHS = ["src/app.py", ".vibe/config.toml", ".github/workflows/ci.yml", "k8s/secret.yaml", ".env",
         "Dockerfile", "dist/main.js", "README.md"]
FILLERS = ["import os", "x = 1", "def f():", "    return None", "# a comment", "{}", ""]
EXTRA = [
    "see https://API.MISTRAL.AI/v1", "MiStRaL", "CODESTRAL", "mistral\u0130", "\u0130stral",
    "mistral.a\u0130", "caf\u00e9 mistra", "codestra l", "mis\u212atral", "\ufeffMISTRAL_API_KEY",
]


def _snippets() -> list[str]:
    """Every rule example and negative example, filled, plus case and Unicode edge cases."""
    texts = [fill(e, generate_fake_key()) for r in RULES
             for e in (*r.examples, *r.negative_examples)]
    return texts + EXTRA


def _corpus(rng: random.Random) -> list[bytes]:
    """Files of filler lines with snippets planted at random, in several encodings."""
    snippets = _snippets()
    files = [s.encode() for s in snippets]
    for _ in range(150):
        lines = rng.choices(FILLERS, k=rng.randint(0, 60))
        for _ in range(rng.randint(0, 3)):
            lines.insert(rng.randint(0, len(lines)), rng.choice(snippets))
        text = "\n".join(lines)
        encoding = rng.choice(["utf-8", "utf-8", "utf-8", "utf-16", "latin-1"])
        files.append(text.encode(encoding, "replace"))
    return files


def test_unsure_characters_are_all_that_lower_to_or_match_ascii():
    letters = [re.compile(c, re.IGNORECASE) for c in string.ascii_lowercase]
    found = tuple(chr(c) for c in range(0x80, sys.maxunicode + 1)
                  if not 0xD800 <= c < 0xE000 and (
                      any(ch.isascii() for ch in chr(c).lower())
                      or any(letter.fullmatch(chr(c)) for letter in letters)))
    assert found == UNSURE


@pytest.mark.parametrize("engine", ENGINES)
def test_bytes_gate_never_rejects_what_the_text_prefilter_accepts(engine):
    gate = KeywordPrefilter(RULES, engine)
    for data in _corpus(random.Random(1)):
        text = decode(data)
        if text is None or data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue  # binary is skipped; UTF-16 files are never gated
        expected = bool(gate.candidates(text))
        assert gate.may_match(data) or not expected
        # With a path the gate judges literals and scopes too: on ASCII it is exact (but for a
        # possible Kubernetes Secret, whose decoded data it cannot see).
        for path in PATHS:
            in_place = bool(gate.candidates(text, path))
            assert gate.may_match(data, path) or not in_place, path
            if data.isascii() and b"Secret" not in data:
                assert gate.may_match(data, path) == in_place, path


def test_engines_agree_on_every_input():
    if not simd_available():
        pytest.skip("the hyperscan wheel (extra 'fast') is not installed")
    python, simd = KeywordPrefilter(RULES, "python"), KeywordPrefilter(RULES, "hyperscan")
    for data in [*_corpus(random.Random(2)), b"", b"\0" * 10]:
        for path in PATHS:
            assert python.may_match(data, path) == simd.may_match(data, path), path
        # Without a path the Python engine stops at the first keyword (scoped rules cannot
        # be ruled out anyway); the SIMD engine has judged every literal in the same pass.
        assert python.may_match(data) or not simd.may_match(data)


def test_auto_engine_switches_after_the_threshold(monkeypatch):
    monkeypatch.setattr(prefilter, "SIMD_AFTER_BYTES", 100)
    gate = KeywordPrefilter(RULES, "auto")
    assert not gate.may_match(b"x" * 60) and gate.engine == "python"
    assert gate.may_match(b"x" * 60 + b"MISTRAL")
    assert gate.engine == ("hyperscan" if simd_available() else "python")


def test_vendor_words_share_the_core_the_gate_searches_first():
    assert all(prefilter._VENDOR_CORE in word for word in prefilter._VENDOR_WORDS)


def test_a_rule_that_needs_no_vendor_word_passes_the_gate_only_where_its_scope_admits():
    gate = KeywordPrefilter(RULES, "python")
    data = b'[models]\napi_key = "' + generate_fake_key().encode() + b'"\n'
    assert gate.may_match(data, ".vibe/config.toml")  # MG026: any token under .vibe/
    assert not gate.may_match(data, "src/config.toml")


def test_non_ascii_keyword_keeps_the_gate_open():
    rule = dataclasses.replace(RULES[0], keywords=("mistràl",))
    gate = KeywordPrefilter([rule], "python")
    assert gate.may_match("MISTRÀL".encode())


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    rng = random.Random(3)
    files = _corpus(rng)
    count = CHUNK_FILES * 8 + 50  # several chunks
    for index in range(count):
        folder = root / f"d{index % 7}"
        folder.mkdir(exist_ok=True)
        (folder / f"f{index}.txt").write_bytes(files[index % len(files)])
    (root / "blob.bin").write_bytes(b"\0MISTRAL_API_KEY=" + generate_fake_key().encode())
    for index in range(0, 7, 2):  # skips spread over several chunks
        (root / f"d{index}" / "broken.py").symlink_to(root / "missing")
        (root / f"d{index}" / f"image{index}.png").write_bytes(b"\x89PNG\0\0")
    big = "\n".join(rng.choices(FILLERS, k=300_000)) + f'\nMISTRAL_API_KEY="{generate_fake_key()}"\n'
    (root / "big.py").write_text(big)  # > 1 MB: see SIMD_AFTER_BYTES below
    (root / ".gitignore").write_text("d6/\n")
    return root


def _scan(root, engine: str | None, jobs: int):
    detector = Detector(RULES, engine or "python")
    gate = detector.may_match if engine else None
    source = FileSource((str(root),), gate=gate)
    result, skipped = scan_source(source, detector, "info", jobs)
    return result.findings, (result.stats.files, result.stats.bytes), skipped


def test_same_findings_for_every_engine_and_job_count(corpus_dir, monkeypatch):
    monkeypatch.setattr(prefilter, "SIMD_AFTER_BYTES", 1024 * 1024)  # "auto" switches mid-scan
    reference = _scan(corpus_dir, None, 1)  # no bytes gate: every file decoded and detected
    assert len(reference[0]) > 50 and reference[2]
    variants = [("python", 1), ("python", 2), ("auto", 1), ("auto", 3)]
    if simd_available():
        variants += [("hyperscan", 1), ("hyperscan", 2)]
    for engine, jobs in variants:
        assert _scan(corpus_dir, engine, jobs) == reference, (engine, jobs)


def test_spawned_workers_give_the_same_findings(corpus_dir, monkeypatch):
    monkeypatch.setattr(workers, "START_METHOD", "spawn")  # the default off Linux
    assert _scan(corpus_dir, "auto", 2) == _scan(corpus_dir, None, 1)


def test_serial_stream_and_chunked_scan_agree(corpus_dir):
    detector = Detector(RULES)
    source = FileSource((str(corpus_dir),))
    # Through the transforms, as the pipeline does (a copy without quoting noise, say).
    streamed = scan_fragments(source.fragments(), detector).findings
    findings, _, skipped = _scan(corpus_dir, "auto", 2)
    assert sorted(streamed, key=lambda f: (f.path, f.line, f.column, f.rule_id)) == findings
    assert source.skipped == skipped


def test_detector_on_fragment_matches_gate_for_examples():
    detector = Detector(RULES)
    for text in _snippets():
        if detector.detect(Fragment("x.py", text)):
            assert detector.may_match(text.encode())




@pytest.mark.parametrize("engine", ENGINES)
def test_a_notebook_whose_text_holds_the_vendor_word_only_once_decoded_passes_the_gate(engine):
    # The cells are JSON strings: a `\u004d` escape, or a line split over two strings, gives the
    # detector text (MISTRAL_API_KEY) that the raw bytes do not hold.
    import json

    from scanner.engine.transforms import expand

    line = f'os.environ["MISTRAL_API_KEY"] = "{generate_fake_key()}"\n'

    def notebook(source: list[str]) -> str:
        return json.dumps({"cells": [{"cell_type": "code", "source": source, "outputs": []}]})

    detector = Detector(RULES, engine)
    for text in (notebook(["import os\n", line]).replace("MISTRAL", "\\u004dISTRAL"),
                 notebook(["import os\n", line[:15], line[15:]])):
        assert "mistral" not in text.lower()
        pieces = expand(Fragment("analysis.ipynb", text))
        assert [finding for piece in pieces for finding in detector.detect(piece)]
        assert detector.may_match(text.encode(), "analysis.ipynb")
