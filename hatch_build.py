"""Wheel build hook: ship the bundled rule files parsed once, as JSON, beside the TOML.

Parsing the rule files' TOML took longer than anything else a small scan does; `json` reads
the same documents much faster, and the literals each rule needs (the prefilter's clauses,
derived from the patterns by scanner.engine.literals) are derived here once instead of in
every run (docs/PERFORMANCE.md). The TOML stays the source and ships too; scanner.rules.loader
uses the JSON only for a file whose content is still the one recorded in it. The JSON is
written to a temporary directory removed when the build ends.
"""

from __future__ import annotations

import json
import shutil
import sys
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
        sys.path.insert(0, self.root)  # the one derivation of clauses: the package's own
        try:
            from scanner.engine.literals import rule_clauses
        finally:
            sys.path.remove(self.root)
        parsed = {}
        for path in sorted(Path(self.root, "rules").glob("*.toml")):
            content = path.read_bytes().decode("utf-8")
            document = tomllib.loads(content)
            clauses = {rule["id"]: [sorted(clause) for clause in
                                    rule_clauses(rule["pattern"], rule.get("context"))]
                       for rule in document["rule"] if "pattern" in rule}
            parsed[path.name] = {"content": content, "document": document, "clauses": clauses}
        self._scratch = tempfile.mkdtemp(prefix="mistral-guard-build-")
        out = Path(self._scratch, PARSED_NAME)
        out.write_text(json.dumps(parsed, sort_keys=True), "utf-8")
        build_data["force_include"][str(out)] = f"scanner/rulepack/{PARSED_NAME}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
