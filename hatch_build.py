"""Wheel build hook: ship the bundled rule files parsed once, as JSON, beside the TOML.

Parsing the rule files' TOML took longer than anything else a small scan does; `json` reads
the same documents about twenty times faster. The TOML stays the source and ships too;
scanner.rules.loader uses the JSON only while every file still has the size recorded for it.
"""

from __future__ import annotations

import json
import tempfile
import tomllib
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

PARSED_NAME = "parsed-rules.json"  # scanner.rules.PARSED_RULES names the same file


class ParsedRulesHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install reads rules/ as it is edited
        files = sorted(Path(self.root, "rules").glob("*.toml"))
        parsed = {path.name: {"size": path.stat().st_size,
                              "document": tomllib.loads(path.read_text("utf-8"))}
                  for path in files}
        out = Path(tempfile.mkdtemp(prefix="mistral-guard-build-"), PARSED_NAME)
        out.write_text(json.dumps(parsed, sort_keys=True), "utf-8")
        build_data["force_include"][str(out)] = f"scanner/rulepack/{PARSED_NAME}"
