"""Wheel build hook: ship the bundled rule files parsed once, as JSON, beside the TOML.

Parsing the rule files' TOML took longer than anything else a small scan does; `json` reads
the same documents much faster (docs/PERFORMANCE.md). The TOML stays the source and ships too;
scanner.rules.loader uses the JSON only for a file whose content still has the sha256
recorded for it. The JSON is written to a temporary directory removed when the build ends.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import tomllib
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PARSED_NAME = "parsed-rules.json"  # scanner.rules.loader.PARSED_RULES names the same file


class ParsedRulesHook(BuildHookInterface):
    PLUGIN_NAME = "custom"
    _scratch: str | None = None

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install reads rules/ as it is edited
        parsed = {}
        for path in sorted(Path(self.root, "rules").glob("*.toml")):
            content = path.read_bytes()
            parsed[path.name] = {"sha256": hashlib.sha256(content).hexdigest(),
                                 "document": tomllib.loads(content.decode("utf-8"))}
        self._scratch = tempfile.mkdtemp(prefix="mistral-guard-build-")
        out = Path(self._scratch, PARSED_NAME)
        out.write_text(json.dumps(parsed, sort_keys=True), "utf-8")
        build_data["force_include"][str(out)] = f"scanner/rulepack/{PARSED_NAME}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
