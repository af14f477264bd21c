"""Load rule files (TOML) with a strict validator; compile each pattern once per process.

The bundled rules are compiled on first use: most runs reach few of them past the prefilter,
and compiling them all took longer than walking and reading a small tree. Rule files the user
names (config `extra-rules`, `rules check`) are checked against the JSON Schema
`rules/schema.json` and compiled as they load, so a defect there is an error before any scan;
the bundled files are held to the same schema by a test (tests/rules/test_rule_format.py)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

from scanner.errors import ScanError, quoted
from scanner.models import RULE_ID, SEVERITIES

if TYPE_CHECKING:
    from scanner.sources.patterns import PathPatterns, Translation

KEY_PLACEHOLDER = "{KEY}"
SHAPES = ("mistral-key", "any")
_REQUIRED = {
    "id", "slug", "title", "severity", "keywords", "fix", "what", "why",
    "example", "use_instead", "references", "examples", "negative_examples",
}
# A rule has a `pattern`, or names the `evidence` the decision (scanner.engine.decide) reports
# under its id; `example_project` is the manifest its examples are scanned beside.
_OPTIONAL = {"pattern", "evidence", "example_project", "scope", "context", "context_lines",
             "shape", "example_path", "anchors"}
DEFAULT_EXAMPLE_PATH = "example.txt"
PARSED_RULES = "parsed-rules.json"  # written into the wheel by hatch_build.py
SCHEMA = "schema.json"  # beside the bundled rule files: JSON Schema (draft 2020-12)
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_TEXT_FIELDS = ("title", "fix", "what", "why", "example", "use_instead")
_LIST_FIELDS = ("keywords", "references", "examples", "negative_examples")


@dataclass(frozen=True)  # no slots: the compiled patterns are cached_property
class Rule:
    """One detection rule, validated and compiled."""

    id: str
    slug: str
    title: str
    severity: str
    keywords: tuple[str, ...]
    pattern: str
    fix: str
    what: str
    why: str
    example: str
    use_instead: str
    references: tuple[str, ...]
    examples: tuple[str, ...]
    negative_examples: tuple[str, ...]
    source: str
    scope: tuple[str, ...] = ()
    context_pattern: str | None = None
    context_lines: int = 0
    shape: str = "mistral-key"
    example_path: str = DEFAULT_EXAMPLE_PATH  # the path examples are scanned under
    # Lowercase literals of which every match contains one: the pattern then runs only on
    # the lines around them (a speed hint for rules that capture a name or URL, shape "any").
    anchors: tuple[str, ...] = ()
    evidence: str = ""  # for a rule without a pattern: the evidence it stands for, in words
    example_project: str | None = None  # a manifest naming Mistral beside the examples
    # Derived by the wheel's build (hatch_build.py) so that a run need not: the literal clauses
    # of the context and the pattern (scanner.engine.literals.rule_clauses; None: the
    # prefilter derives them on first use), and the scope's translation by pathspec
    # (scanner.sources.patterns; None: translated on first use).
    clauses: tuple[frozenset[str], ...] | None = None
    scope_translation: Translation | None = None

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern; a ScanError when it does not compile or lacks `secret`."""
        regex = _compile(self.pattern, "pattern", self.source, self.id)
        if "secret" not in regex.groupindex:
            raise _fail(self.source, self.id, "pattern has no (?P<secret>...) group")
        return regex

    @cached_property
    def context(self) -> re.Pattern[str] | None:
        """The compiled context pattern, if the rule has one."""
        if self.context_pattern is None:
            return None
        return _compile(self.context_pattern, "context", self.source, self.id)

    @cached_property
    def scope_globs(self) -> PathPatterns:
        """The scope's globs (read by pathspec) as one regex; a ScanError when one is malformed."""
        from scanner.sources.patterns import PathPatterns, PatternError

        if self.scope_translation is not None:
            try:
                return PathPatterns.translated(self.scope_translation)
            except re.error:  # a damaged parsed-rules.json: translate the scope here
                pass
        try:
            return PathPatterns(self.scope)
        except PatternError as exc:
            raise _fail(self.source, self.id, f"bad 'scope' pattern: {exc}") from None

    def compile(self) -> None:
        """Compile the patterns now, so that a defect is reported at load time."""
        if self.pattern:
            _ = self.regex
        _ = self.context, self.scope_globs

    def applies_to(self, path: str) -> bool:
        """True when the rule's scope (path globs) admits `path`; no scope admits all."""
        return not self.scope or self.scope_globs.matches(path)


def bundled_rules_dir() -> str:
    """The rule files shipped in the wheel, or `rules/` beside the package in a checkout."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # scanner/
    packaged = os.path.join(package, "rulepack")
    return packaged if os.path.isdir(packaged) else os.path.join(os.path.dirname(package), "rules")


def _fail(source: str, rule_id: str | None, message: str) -> ScanError:
    where = f"{source}: rule {rule_id}" if rule_id else source
    return ScanError(f"invalid rule file {where}: {message}")


def _string_list(raw: dict, field: str, source: str, rule_id: str) -> tuple[str, ...]:
    value = raw[field]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise _fail(source, rule_id, f"'{field}' must be a non-empty list of strings")
    return tuple(value)


def _compile(pattern: object, field: str, source: str, rule_id: str) -> re.Pattern[str]:
    if not isinstance(pattern, str) or not pattern:
        raise _fail(source, rule_id, f"'{field}' must be a non-empty string")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise _fail(source, rule_id, f"'{field}' does not compile: {exc}") from None


def parse_rule(raw: object, source: str, compile_now: bool = True) -> Rule:
    """Validate one `[[rule]]` table and build a Rule; raise ScanError on any defect (in its
    patterns too, unless `compile_now` is false: then on first use)."""
    if not isinstance(raw, dict):
        raise _fail(source, None, "each [[rule]] must be a table")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
        raise _fail(source, None,
                    f"bad rule id {quoted(rule_id)} (expected MG followed by 3 digits)")
    unknown = set(raw) - _REQUIRED - _OPTIONAL
    if unknown:
        raise _fail(source, rule_id, f"unknown field(s): {', '.join(sorted(unknown))}")
    missing = _REQUIRED - set(raw)
    if missing:
        raise _fail(source, rule_id, f"missing field(s): {', '.join(sorted(missing))}")
    for field in ("slug", *_TEXT_FIELDS):
        if not isinstance(raw[field], str) or not raw[field].strip():
            raise _fail(source, rule_id, f"'{field}' must be a non-empty string")
    if not _SLUG.match(raw["slug"]):
        raise _fail(source, rule_id,
                    f"bad slug {quoted(raw['slug'])} (lowercase words joined by '-')")
    if raw["severity"] not in SEVERITIES:
        raise _fail(source, rule_id, f"severity must be one of {', '.join(SEVERITIES)}")
    lists = {field: _string_list(raw, field, source, rule_id) for field in _LIST_FIELDS}
    if any(k != k.lower() for k in lists["keywords"]):
        raise _fail(source, rule_id, "keywords must be lowercase")
    if any(not ref.startswith("https://") for ref in lists["references"]):
        raise _fail(source, rule_id, "references must be https:// URLs")
    if ("pattern" in raw) == ("evidence" in raw):
        raise _fail(source, rule_id, "a rule needs either a 'pattern' or an 'evidence' "
                    "(a rule the evidence engine decides), not both")
    for field in ("pattern", "context", "evidence", "example_project"):
        if field in raw and (not isinstance(raw[field], str) or not raw[field]):
            raise _fail(source, rule_id, f"'{field}' must be a non-empty string")
    shape = raw.get("shape", "mistral-key")
    if shape not in SHAPES:
        raise _fail(source, rule_id, f"shape must be one of {', '.join(SHAPES)}")
    context_lines = raw.get("context_lines", 0)
    if not isinstance(context_lines, int) or isinstance(context_lines, bool) or context_lines < 0:
        raise _fail(source, rule_id, "'context_lines' must be a non-negative integer")
    if "context_lines" in raw and "context" not in raw:
        raise _fail(source, rule_id, "'context_lines' needs a 'context' pattern")
    scope = _string_list(raw, "scope", source, rule_id) if "scope" in raw else ()
    example_path = raw.get("example_path", DEFAULT_EXAMPLE_PATH)
    if not isinstance(example_path, str) or not example_path:
        raise _fail(source, rule_id, "'example_path' must be a non-empty string")
    anchors = _string_list(raw, "anchors", source, rule_id) if "anchors" in raw else ()
    if any(a != a.lower() for a in anchors):
        raise _fail(source, rule_id, "anchors must be lowercase")
    rule = Rule(
        id=rule_id, slug=raw["slug"], title=raw["title"], severity=raw["severity"],
        keywords=lists["keywords"], pattern=raw.get("pattern", ""), fix=raw["fix"],
        what=raw["what"], evidence=raw.get("evidence", ""),
        example_project=raw.get("example_project"),
        why=raw["why"], example=raw["example"], use_instead=raw["use_instead"],
        references=lists["references"], examples=lists["examples"],
        negative_examples=lists["negative_examples"], source=source, scope=scope,
        context_pattern=raw.get("context"), context_lines=context_lines, shape=shape,
        example_path=example_path, anchors=anchors,
    )
    if compile_now:
        rule.compile()
    return rule


def _parsed_bundle(directory: str) -> dict[str, dict]:
    """The bundled rule files as the wheel's build parsed them (see hatch_build.py): for each
    file whose content is still the one recorded, its `document` and what was `derived`;
    empty in a checkout or when unreadable. Comparing the content itself costs less than
    importing hashlib to compare a digest."""
    try:
        with open(os.path.join(directory, PARSED_RULES), "rb") as handle:
            import json

            parsed = json.load(handle)
        current = {}
        for name, entry in parsed.items():
            with open(os.path.join(directory, name), "rb") as handle:
                if handle.read() == entry["content"].encode("utf-8"):
                    current[name] = entry
        return current
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def read_toml(path: str | os.PathLike[str], kind: str, shown: str) -> dict:
    """A TOML document; unreadable or invalid TOML is a one-line ScanError naming the `kind`
    of file and `shown` (its name as the user should see it)."""
    import tomllib  # here: an installed wheel reads its bundled rules as JSON

    from scanner.ownfile import read_own_text

    text = read_own_text(path, kind)  # a regular file under a size cap, UTF-8
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScanError(f"invalid {kind} {shown}: {exc}") from None


def schema_problem(document: object) -> tuple[int | None, str] | None:
    """The most relevant defect of a parsed rule file against rules/schema.json, as (index of
    the [[rule]] table or None, one-line message); None when the document conforms."""
    import json

    import jsonschema  # type: ignore[import-untyped]  # only for rule files a user supplies

    with open(os.path.join(bundled_rules_dir(), SCHEMA), encoding="utf-8") as handle:
        schema = json.load(handle)
    errors = jsonschema.Draft202012Validator(schema).iter_errors(document)
    error = jsonschema.exceptions.best_match(errors)
    if error is None:
        return None
    location = list(error.absolute_path)
    index = None
    if len(location) >= 2 and location[0] == "rule" and isinstance(location[1], int):
        index, location = location[1], location[2:]
    where = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in location)
    message = _schema_message(error)
    return index, f"{where.lstrip('.')}: {message}" if where else message


def _schema_message(error: Any) -> str:
    """A jsonschema error in words that show a value from the file only through `quoted` (a
    rule file may hold a pasted key where a word belongs)."""
    expected, instance = error.validator_value, error.instance
    value = f"{quoted(instance)} " if isinstance(instance, (str, int, float)) else ""
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        known = set(error.schema.get("properties", {}))
        unknown = ", ".join(quoted(name) for name in sorted(map(str, set(instance) - known)))
        return f"unknown field(s): {unknown}"
    if error.validator in ("required", "dependentRequired"):
        return str(error.message)  # names only fields the schema lists
    hint = error.schema.get("description") if isinstance(error.schema, dict) else None
    if error.validator in ("oneOf", "anyOf", "not", "allOf") and hint:
        return str(hint)
    words = {
        "enum": lambda: "must be one of " + ", ".join(map(str, expected)),
        "pattern": lambda: f"must match {expected}",
        "type": lambda: f"must be of type {expected}",
        "minLength": lambda: "must not be empty",
        "minItems": lambda: "must not be empty",
        "minimum": lambda: f"must be at least {expected}",
    }.get(error.validator, lambda: f"breaks the schema's {error.validator!r} rule")
    return f"{value}{words()}" + (f" ({hint})" if hint else "")


def _check_schema(document: dict, source: str) -> None:
    """Raise a one-line ScanError naming the file and rule when `document` breaks the schema."""
    problem = schema_problem(document)
    if problem is None:
        return
    index, message = problem
    rule_id = None
    if index is not None:
        table = document["rule"][index]
        rule_id = table.get("id") if isinstance(table, dict) else None
        if not isinstance(rule_id, str) or not RULE_ID.match(rule_id):
            rule_id = f"#{index + 1}"  # the table's place: a malformed id is not shown
    raise _fail(source, rule_id, message)


def load_rule_file(path: str | os.PathLike[str], compile_now: bool = True,
                   document: dict | None = None, schema: bool = False) -> list[Rule]:
    """Read one rule file (or take its already parsed `document`); any defect is a ScanError
    naming the file (a defect in a pattern: on first use, unless `compile_now`). With `schema`
    the document is checked against rules/schema.json first."""
    source = os.path.basename(path)
    if document is None:
        document = read_toml(path, "rule file", source)
    if schema:
        _check_schema(document, source)
    unknown = set(document) - {"rule"}
    if unknown:
        raise _fail(source, None, f"unknown top-level key(s): {', '.join(sorted(unknown))}")
    tables = document.get("rule")
    if not isinstance(tables, list) or not tables:
        raise _fail(source, None, "no [[rule]] tables")
    return [parse_rule(raw, source, compile_now) for raw in tables]


def load_rules(paths: tuple[str | os.PathLike[str], ...], lazy: tuple[str, ...] = (),
               parsed: dict[str, dict] | None = None) -> list[Rule]:
    """Load every rule of `lazy` (compiled on first use; files the build already `parsed`,
    by file name, are not read again) and `paths` (the user's: checked against the schema and
    compiled now); ids must be unique across all."""
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    parsed = parsed or {}
    for path, compile_now in [*((p, False) for p in lazy), *((p, True) for p in paths)]:
        entry = {} if compile_now else parsed.get(os.path.basename(path), {})
        derived = entry.get("derived")
        for rule in load_rule_file(path, compile_now, entry.get("document"), schema=compile_now):
            if isinstance(derived, dict) and rule.id in derived:
                rule = _with_derived(rule, derived[rule.id])
            if rule.id in seen:
                raise ScanError(
                    f"invalid rule file {rule.source}: duplicate rule id {rule.id} "
                    f"(also in {seen[rule.id]})"
                )
            seen[rule.id] = rule.source
            rules.append(rule)
    return rules


def _with_derived(rule: Rule, derived: object) -> Rule:
    """`rule` with what the wheel's build derived for it (see Rule.clauses); what does not
    have the expected form is left out, to be derived at run time."""
    if not isinstance(derived, dict):
        return rule
    clauses, scope = derived.get("clauses"), derived.get("scope")
    if not (isinstance(clauses, list) and all(
            isinstance(c, list) and all(isinstance(x, str) for x in c) for c in clauses)):
        clauses = None
    if not (isinstance(scope, list) and len(scope) == 2 and isinstance(scope[0], str)
            and isinstance(scope[1], list) and all(isinstance(v, bool) for v in scope[1])):
        scope = None
    return replace(rule, clauses=None if clauses is None else tuple(map(frozenset, clauses)),
                   scope_translation=None if scope is None else (scope[0], tuple(scope[1])))


@cache
def default_rules(extra: tuple[str, ...] = ()) -> tuple[Rule, ...]:
    """The bundled rules plus any extra rule files, loaded and compiled once per process."""
    directory = bundled_rules_dir()
    try:
        names = os.listdir(directory)
    except OSError:
        names = []
    bundled = tuple(sorted(os.path.join(directory, name) for name in names
                           if name.endswith(".toml")))
    if not bundled:
        raise ScanError(f"no rule files found in {directory}")
    return tuple(load_rules(extra, lazy=bundled, parsed=_parsed_bundle(directory)))
