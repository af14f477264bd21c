"""Wheel build hook: ship the bundled rule files parsed once, as JSON, beside the TOML.

Parsing the rule files' TOML took longer than anything else a small scan does; `json` reads
the same documents much faster. What every run would otherwise derive from the rules is
derived here once (docs/PERFORMANCE.md): the literals each rule needs (the prefilter's
clauses, scanner.engine.literals) and each scope's translation into one regex by pathspec
(scanner.sources.patterns), so a run that only matches scopes never imports pathspec. The
TOML stays the source and ships too; scanner.rules.loader uses the JSON only for a file whose
content is still the one recorded in it. The JSON is written to a temporary directory removed
when the build ends.
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


def parse_rule_files(directory: Path) -> dict:
    """The content of parsed-rules.json for the rule files in `directory`."""
    parsed = {}
    for path in sorted(directory.glob("*.toml")):
        content = path.read_bytes().decode("utf-8")
        document = tomllib.loads(content)
        derived = {rule["id"]: derive(rule) for rule in document["rule"]}
        parsed[path.name] = {"content": content, "document": document, "derived": derived}
    return parsed


def derive(rule: dict) -> dict:
    """What scanner.rules.loader.Rule takes as `clauses` and `scope_translation`, worked out
    by the package's own functions (one derivation, whoever runs it)."""
    from scanner.engine.literals import rule_clauses
    from scanner.sources.patterns import PathPatterns

    derived: dict = {}
    if "pattern" in rule:
        derived["clauses"] = [sorted(clause) for clause in
                              rule_clauses(rule["pattern"], rule.get("context"))]
    if "scope" in rule:
        translation = PathPatterns(rule["scope"]).translation
        if translation is not None:  # else pathspec matches it itself, at run time
            derived["scope"] = [translation[0], list(translation[1])]
    return derived


class ParsedRulesHook(BuildHookInterface):
    PLUGIN_NAME = "custom"
    _scratch: str | None = None

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install reads rules/ as it is edited
        sys.path.insert(0, self.root)  # `derive` uses the package's own functions
        try:
            parsed = parse_rule_files(Path(self.root, "rules"))
        finally:
            sys.path.remove(self.root)
        self._scratch = tempfile.mkdtemp(prefix="mistral-guard-build-")
        out = Path(self._scratch, PARSED_NAME)
        out.write_text(json.dumps(parsed, sort_keys=True), "utf-8")
        build_data["force_include"][str(out)] = f"scanner/rulepack/{PARSED_NAME}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
