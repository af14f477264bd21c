"""Evidence around a candidate key: what it is bound to, where that name goes, what the file,
its project and the lines before it say.

Everything here reads plain text with small regular expressions; no language is parsed. The
facts are phrased for people ("bound to `token`; `token` is sent as Bearer at line 12") and
never contain the candidate itself: names are identifiers, and an identifier that is itself
key-shaped is never quoted (`name_shown`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from scanner.engine.candidates import KEY_TOKEN

# -- What a file says about Mistral ---------------------------------------------------------

MODEL_SIGNAL = "names the Mistral model"
# Signals that the file talks to Mistral, searched in the lowercased text, strongest first.
_MISTRAL_SIGNALS = (
    ("calls", re.compile(r"(?:api|codestral)\.mistral\.ai")),
    ("uses the Mistral SDK", re.compile(
        r"""@mistralai/[\w-]{1,40}          # npm packages
          | \bmistralai(?:[._-][\w]{1,30})?\b(?!/)  # Python package (not the model org)
          | langchain[-_]mistralai | @ai-sdk/mistral | langchain4j-mistral-ai
          | mistral-?ai[-_.]?(?:sdk|client|java|go|rs|dart)""", re.X)),
    ("builds a Mistral client", re.compile(
        r"\b[\w.]{0,30}mistral\w{0,30}\s{0,3}(?:\(|\.builder\(|\s\{)")),
    (MODEL_SIGNAL, re.compile(
        r"""\b(?:open-)?(?:mistral|codestral|ministral|pixtral|magistral|devstral|mixtral)
            -(?:large|medium|small|tiny|embed|latest|saba|ocr|moderation|\d)[\w.-]{0,30}""", re.X)),
    ("serves Mistral models on Vertex AI", re.compile(r"publishers/mistralai")),
    ("sets provider mistral", re.compile(r"provider\W{1,4}mistral")),
)
# Another provider's SDK or host: a key in such a file with only Mistral model names (served by
# that provider: Together, Groq, Bedrock, OpenRouter...) is that provider's key.
_OTHER_SDK = re.compile(
    r"""\b(?:from|import|require\(?)\s*["']?(?:together|groq|anthropic|openrouter|boto3
          |huggingface_hub|cohere|fireworks|replicate|google\.generativeai)\b
      | api\.(?:together\.xyz|groq\.com|anthropic\.com|openrouter\.ai|fireworks\.ai)
      | bedrock""", re.X)
# A Mistral model served by another cloud: Azure AI endpoints, Vertex AI.
_OTHER_CLOUD = re.compile(r"[\w-]{1,63}\.(?:inference|services|models)\.ai\.azure\.com"
                          r"|aiplatform\.googleapis\.com|mistralazure|mistralgcp")
_MISTRAL_HOST = re.compile(r"(?:api|codestral)\.mistral\.ai|\.ai\.azure\.com"
                           r"|aiplatform\.googleapis\.com")


@dataclass(frozen=True, slots=True)
class FileFacts:
    """What a whole fragment says: computed once per fragment, shared by its candidates."""

    mistral: str | None  # the strongest Mistral signal in words, with its line; None if none
    model_only: bool  # that signal is only a model name (other providers serve those too)
    other_sdk: bool  # the file also uses another provider's SDK or host
    mentions_mistral: bool  # the word mistral or codestral appears at all
    codestral: bool  # the file is about Codestral
    other_cloud: bool  # an Azure AI or Vertex AI endpoint serving Mistral models


def file_facts(text: str, lowered: str) -> FileFacts:
    """The Mistral signals and fixture markers of one fragment."""
    mentions = "mistral" in lowered or "codestral" in lowered
    strongest = None
    if mentions:
        for words, pattern in _MISTRAL_SIGNALS:
            match = pattern.search(lowered)
            if match is not None:
                line = lowered.count("\n", 0, match.start()) + 1
                shown = match.group().strip(" ({") if words != "builds a Mistral client" \
                    else text[match.start():match.end()].strip(" ({")
                strongest = f"the file {words} `{_printable(shown)}` (line {line})"
                break
    return FileFacts(
        mistral=strongest,
        model_only=strongest is not None and MODEL_SIGNAL in strongest,
        other_sdk=mentions and _OTHER_SDK.search(lowered) is not None,
        mentions_mistral=mentions,
        codestral=mentions and "codestral" in lowered
        and "api.mistral.ai" not in lowered,
        other_cloud=mentions and _OTHER_CLOUD.search(lowered) is not None,
    )


# -- Test fixtures and fakes ----------------------------------------------------------------

_FIXTURE_DIRS = frozenset({"fixtures", "fixture", "__fixtures__", "__mocks__", "mocks", "mock",
                           "testdata", "test-data", "test_data", "fakes", "stubs", "cassettes",
                           "vcr_cassettes", "__snapshots__", "mock_data", "mockdata"})
# A file named as a fixture: fixtures.py, mocks.ts, user.fixture.json, api.mock.js, *.snap.
_FIXTURE_FILE = re.compile(r"""(?x)
    (?:^|/)(?:fixtures|mocks|fakes|stubs|(?:mock|fake|dummy|sample)_data)\.[\w.]{1,12}\Z
  | \.(?:fixtures?|mocks?|fakes?|stubs?)\.[\w]{1,8}\Z
  | \.snap\Z""")
_TEST_FILE = re.compile(r"(?:^|/)(?:tests?|spec|__tests__)/|(?:^|/)test_[^/]*$"
                        r"|[._-](?:test|spec)\.[a-z]+$|_test\.go$")
# A word that says a value is not real: on the candidate's line, in its name, or just above.
_FAKE_WORD = re.compile(r"""(?xi)
    \b(?:fake|dummy|mock(?:ed)?|stub|bogus|placeholder|fixture)\b
  | \bmock[A-Z_]                                        # mockApiKey, MOCK_KEY
  | (?:\bnot|n't)\s{1,3}(?:a\s{1,3})?(?:real|valid|live|actual|working)\b  # "not a real key"
  | \b(?:example|sample)[\s_-]{1,3}(?:api[\s_-]?)?(?:key|token|secret|credential)s?\b
  | \bfor\s{1,3}(?:tests?|testing|demo|docs)\s{1,3}only\b""")
# The same, said anywhere in the file: only what cannot be mistaken for prose about a product
# or for code ("a mock interview", "not a valid API key" in an error message, `Backend.FAKE`):
# a FAKE/DUMMY/MOCK/STUB marker in capitals standing alone, "not a real key", "fake key",
# "dummy token".
_FAKE_FILE = re.compile(r"""(?x)
    (?<![\w.])(?:FAKE|DUMMY|MOCK|STUB)\b(?!\s{0,3}[=:(,.\]])  # a marker, not `MOCK = 1`
  | (?i:(?:\bnot|n't)\s{1,3}(?:a\s{1,3})?(?:real|actual)\s{1,3}(?:\w{1,12}\s{1,3}){0,2}
         (?:keys?|tokens?|secrets?|credentials?)\b)
  | (?i:\b(?:fake|dummy|bogus)[\s_-]{1,3}(?:api[\s_-]?)?(?:key|token|secret|credential)s?\b)""")
# Words of a name that say it holds a stand-in (EXAMPLE_KEY, sampleToken, PLACEHOLDER_KEY).
_FAKE_NAME_WORDS = frozenset({"fake", "dummy", "mock", "stub", "example", "sample",
                              "placeholder", "bogus"})


def fixture_path(path: str) -> str | None:
    """Why `path` is a test fixture (a fixtures/, __mocks__/ or testdata/ folder, a file named
    as a fixture or mock), or None."""
    for part in path.split("/")[:-1]:
        if part.lower() in _FIXTURE_DIRS:
            return f"the path is a test fixture folder (`{_printable(part)}/`)"
    if _FIXTURE_FILE.search(path.lower()):
        return f"the file is a test fixture (`{_printable(path.rsplit('/', 1)[-1])}`)"
    return None


def fake_marker(path: str, text: str, line_start: int, start: int,
                name: str | None) -> str | None:
    """Why the candidate at `start` says it is fake (fixture folder or file, a stand-in word in
    its name, a fake/dummy/mock word on its line or the two lines above, "not a real key" or a
    FAKE marker anywhere in the file, such a word anywhere in a test file), or None. Near the
    candidate means within LEFT_CHARS characters, however long the lines."""
    fixture = fixture_path(path)
    if fixture is not None:
        return fixture
    if name is not None and not _FAKE_NAME_WORDS.isdisjoint(name_words(name)):
        return f"its name `{name_shown(name)}` says it is not real"
    above = line_start
    for _ in range(2):
        above = text.rfind("\n", 0, max(above - 1, 0)) + 1 if above > 0 else 0
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    near = text[max(above, start - LEFT_CHARS):min(line_end, start + LEFT_CHARS)]
    if _FAKE_WORD.search(near):
        return "a comment beside it says it is not real (fake, dummy, mock)"
    if _says_fake(text):
        return "the file says its keys are not real (FAKE, \"not a real key\")"
    if _TEST_FILE.search(path) and _uses_fakes(text):
        return "a test file that uses fakes or mocks"
    return None


@lru_cache(maxsize=4)  # one search per text, however many candidates it holds
def _uses_fakes(text: str) -> bool:
    return _FAKE_WORD.search(text) is not None


@lru_cache(maxsize=4)
def _says_fake(text: str) -> bool:
    return _FAKE_FILE.search(text) is not None


# -- The name a candidate is bound to --------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Binding:
    """How the candidate sits in its line: the name it is bound to (`API_KEY = "..."`,
    `"apiKey": "..."`, `<key>NAME</key>` above, `define('NAME', ...)`), or the call it is an
    argument of (`getData("...")`, `os.getenv("...")`)."""

    name: str | None
    call: str | None = None  # the function the candidate is passed to, directly
    argument: int = 0  # its position among that call's arguments (0-based)
    bearer: bool = False  # the value carries its scheme: "Bearer <key>"
    line: int = 0  # 0-based line of the name when it sits on an earlier line
    label: str = ""  # up to three words before the value ("Mistral API Key:")


_BEARER_BEFORE = re.compile(r"[Bb]earer\s{1,4}\Z")
_QUOTE_BEFORE = re.compile(r"""(?:\b[rRbBuUfF]{1,2})?(?:\\?["'`]){1,3}\Z|@"\Z""")
_NAME_END = re.compile(r"""(?P<name>[A-Za-z_$@][\w$.@-]{0,80})["'\]]?\s*\Z""")
_PROPERTY = re.compile(r"\{\s*(?:get|set|init)\s*;[^{}]{0,40}\}\s*\Z")  # C# `{ get; init; }`
# `name: Type =` (Python, TypeScript, Rust, Kotlin, Swift): the type holds no quote but `&'a`.
_ANNOTATED = re.compile(r"""(?P<name>[A-Za-z_$][\w$]{0,80})\s*\??\s*:"""
                        r"""\s*(?:&'\w+\s)?[\w\[\]<>&.,|? ]{1,60}\Z""")
_LABEL = re.compile(r"""((?:[A-Za-z_][\w.-]{0,40}[ \t]{1,3}){0,3}[A-Za-z_][\w.-]{0,40})\s*\Z""")
_OPERATOR = re.compile(r"(?:\?\?=|\|\|=|:=|=>|<-|\?:|\|\||\?\?|[=:])\s*\Z")
# A keyword argument or key whose value starts on the next line: `api_key=`, `"apiKey":`.
_KEYWORD_END = re.compile(r"""([A-Za-z_][\w.-]{0,80})["']?\s{0,4}(?:=|:)\s{0,4}\n\s{0,80}\Z""")
_STRING_ARG = re.compile(r"""["']([A-Za-z_][\w.-]{0,80})["']\s*,\s*\Z""")
_TAG_BEFORE = re.compile(r"""<(?P<tag>[\w:.-]{1,40})(?P<attrs>[^<>]{0,300})>\s*\Z""")
_ATTR_NAME = re.compile(r"""\b(?:name|key|id|android:name)\s*=\s*["']([^"'<>]{1,80})["']""")
_GENERIC_NAMES = frozenset({"value", "default", "string", "text", "data", "content", "val",
                            "secret_value", "secretvalue", "secret-string"})
# A name on an earlier line whose value is on the candidate's line. Each pattern's group 1 is
# the name; `_OPENS` says whether the name opens a block the value must be indented under.
_NAME_ABOVE = (
    re.compile(r"<key>\s*([^<>\s]{1,80})\s*</key>"),  # plist
    re.compile(r"""\b(?:name|key|id)\s*=\s*["']([^"'<>]{1,80})["']"""),  # XML attribute, HCL
    re.compile(r"""["']?\b(?:name|key)["']?\s*:\s*["']?([A-Za-z_][\w.-]{0,80})["']?\s*,?\s*\Z"""),
    re.compile(r"""\bvariable\s+"([^"]{1,80})\""""),  # Terraform variable block
    # The value continues on the next line: an explicit opener after the name.
    re.compile(r"""(?x)
        ([A-Za-z_][\w.-]{0,80})["']?\s{0,8}          # the name, maybe quoted
        (?:(?:[:=]|=>|:=)\s{0,8})?                    # its operator (none after ENV NAME)
        (?:\\                                       # a line continuation (NAME= and a backslash)
          | <<[-~]?\s{0,2}["']?[A-Z_]{1,20}["']?      # a heredoc: NAME = <<-EOT
          | \"\"\"|\'\'\'|`                             # a multi-line string: NAME = \"\"\"
        )\s{0,8}\Z"""),
    re.compile(r"""<([A-Za-z_][\w:.-]{0,40})(?:\s[^<>]{0,200})?>\s*\Z"""),  # <apiKey> alone
    # NAME: | >- ( [ {, or a bare NAME: / NAME = whose value is indented below it.
    re.compile(r"""([A-Za-z_][\w.-]{0,80})["']?\s*(?:[:=]|=>)\s*"""
               r"""(?:[>|](?:[-+]?\d?|\d[-+]?)|\(|\[|\{)?\s*\Z"""),
)
_OPENS = (False, False, False, False, False, False, True)  # the last needs an indented value
LINES_ABOVE = 8  # how far up a name may sit above its value
LEFT_CHARS = 400  # how far left of its value a name may sit (a call's name, a tag)
NAME_CHARS = 160  # how far left of its value an assigned name or a label may sit


def binding(text: str, line_start: int, start: int) -> Binding:
    """What the candidate at `start` (its line starting at `line_start`) is bound to. Only the
    LEFT_CHARS characters before it are read: a name sits close to its value."""
    left = text[max(line_start, start - LEFT_CHARS):start]
    bearer = False
    if (match := _BEARER_BEFORE.search(left)) is not None:
        bearer = True
        left = left[:match.start()]
    left = _QUOTE_BEFORE.sub("", left).rstrip()
    label_match = _LABEL.search(left[-NAME_CHARS:].rstrip(":= \t"))
    label = label_match.group(1) if label_match else ""
    if left.strip() == "-":  # a YAML sequence item: the sequence's name is above
        return _name_above(text, line_start, bearer, None)
    if not left.strip():  # alone on its line: an argument of a call opened above, or a
        above = text[max(line_start - 2000, 0):line_start]  # value under a name above
        call, argument, opener = enclosing_call(above)
        if call is not None:  # `f(\n  api_key=\n    "<key>")`: the keyword above names it
            keyword = _KEYWORD_END.search(above[-NAME_CHARS:])
            return Binding(keyword.group(1) if keyword else None, call, argument, bearer,
                           label=label)
        return _name_above(text, line_start, bearer, None)
    if left.endswith(("(", "[", ",")):
        call, argument, opener = enclosing_call(left)
        named = _STRING_ARG.search(left[-NAME_CHARS:])
        # define('NAME', ...), f("String", "NAME", ...)
        if named is not None and left.endswith(","):
            return Binding(named.group(1), call, argument, bearer, label=label)
        if call is None and opener > 0:  # an element of a list: the list's name
            return Binding(_assigned_name(left[:opener]), None, argument, bearer, label=label)
        return Binding(None, call, argument, bearer, label=label)
    if (tag := _TAG_BEFORE.search(left)) is not None:  # <string name="x">KEY or <value>KEY
        attribute = _ATTR_NAME.search(tag.group("attrs"))
        if attribute is not None:
            return Binding(attribute.group(1), bearer=bearer, label=label)
        return _name_above(text, line_start, bearer, tag.group("tag"))
    name = _assigned_name(left)
    if name is not None:
        if name.lower() in _GENERIC_NAMES:
            return _name_above(text, line_start, bearer, name)
        call, argument, _ = enclosing_call(left)
        return Binding(name, call, argument, bearer, label=label)
    if left.rstrip().endswith(">"):
        return _name_above(text, line_start, bearer, None)
    return Binding(None, bearer=bearer, label=label)


def _assigned_name(left: str) -> str | None:
    """The name assigned at the end of `left` (`const API_KEY: &str =`, `"apiKey":`,
    `string ApiKey { get; init; } =`), or None."""
    left = left[-NAME_CHARS:]
    operator = _OPERATOR.search(left)
    if operator is None:
        return None
    before = _PROPERTY.sub("", left[:operator.start()].rstrip()).rstrip()
    annotated = _ANNOTATED.search(before) if operator.group().strip() == "=" else None
    found = annotated or _NAME_END.search(before)
    return found.group("name") if found is not None else None


def _name_above(text: str, line_start: int, bearer: bool, fallback: str | None) -> Binding:
    """The name on one of the LINES_ABOVE lines above (plist `<key>`, YAML `name:`, HCL
    `variable "..."`, `NAME = (`, `NAME=\\`, `NAME = <<EOT`, `<apiKey>`), or `fallback` when
    none is found. A bare `NAME:` or `NAME =` counts only when the value is indented below
    it, and a line less indented than the value that names nothing ends the search: the value
    sits in that line's block, which has no name."""
    line_end = text.find("\n", line_start)
    value_line = text[line_start:len(text) if line_end < 0 else line_end]
    indent = _indent(value_line)
    end = line_start - 1
    for _ in range(LINES_ABOVE):
        if end < 0:
            break
        begin = text.rfind("\n", 0, end) + 1
        raw = text[begin:end]
        line = raw.strip()
        if line and not _COMMENT_LINE.match(line):
            tail = line[-LEFT_CHARS:]  # names end their line; a long line costs no more
            for pattern, opens in zip(_NAME_ABOVE, _OPENS, strict=True):
                match = pattern.search(tail)
                if match is None or (opens and _indent(raw) >= indent):
                    continue
                if match.group(1).lower() not in _GENERIC_NAMES:
                    return Binding(match.group(1), bearer=bearer,
                                   line=text.count("\n", 0, begin))
                break
            else:
                if _indent(raw) < indent and not line.endswith((",", "(", "[", "{")):
                    break
        end = begin - 1
    return Binding(fallback, bearer=bearer)


def _indent(line: str) -> int:
    """The columns before the first character of `line` that is not blank or a list dash."""
    return len(line) - len(line.lstrip(" \t-"))


_CALLEE = re.compile(r"(?P<callee>(?:new\s+)?[A-Za-z_$][\w$.:]{0,80})\s*\Z")


def enclosing_call(left: str) -> tuple[str | None, int, int]:
    """The function whose call is still open at the end of `left` (`Mistral(api_key=` ->
    "Mistral"), how many arguments come before, and where its bracket is; (None, n, index)
    for an open list, (None, 0, -1) when nothing is open."""
    depth = 0
    commas = 0
    for index in range(len(left) - 1, max(len(left) - 2000, -1), -1):
        char = left[index]
        if char in ")]}":
            depth += 1
        elif char in "([{":
            if depth == 0:
                if char == "{":  # an object literal argument: new Mistral({ apiKey: ...
                    continue
                callee = _CALLEE.search(left, 0, index)
                return (callee.group("callee") if callee else None), commas, index
            depth -= 1
        elif char == "," and depth == 0:
            commas += 1
    return None, 0, -1


# -- Comments that speak of a key ------------------------------------------------------------

# Where a comment starts: at the start of a line (#, //, /*, a lone *, --, ;, %, <!--, REM;
# `_COMMENT_LINE.match` on a line, also used to pass over comment lines above a value) or
# after code (` #`, ` //`, ` /*`, ` --`, `<!--`).
_COMMENT_LINE = re.compile(r"\s{0,40}(?:#|//|/\*|\*(?!\S)|--|;|%|<!--|(?i:rem)\b)")
_COMMENT_AFTER_CODE = re.compile(r"\s(?:#|//|/\*|--)\s|<!--")
_COMMENT_START = re.compile(f"^(?:{_COMMENT_LINE.pattern})|{_COMMENT_AFTER_CODE.pattern}")
# What a comment says about the value beside it: a credential word, or a word of rotation.
_KEY_TALK = re.compile(r"""(?xi)
    \b(?:api[\s_-]?)?(?:keys?|tokens?|secrets?|credentials?|apikey|creds)\b
  | \b(?:old|previous|prev|former|backup|legacy|retired|was|used\s{1,3}to\s{1,3}be)\b
  | \b(?:rotat|revok|expir|leak|replac|remov|delet)\w{0,4}\b  # rotated, revoke, expired...""")
# ... unless it says the value is an id, a digest or a version (`# old commit: <sha>`).
_ID_TALK = re.compile(r"""(?xi)
    \b(?:ids?|hash|sha\w{0,4}|commit|uuid|checksum|digest|nonce|request|trace|build|version
      |revision|etag|session|fingerprint)\b""")


def comment_about_key(text: str, line_start: int, start: int) -> bool:
    """True when the candidate sits in a comment that speaks of a key or of its rotation ("old
    key was ...", `// previous: ...`, a commented-out assignment), on its line or, when its
    comment line says nothing, on the comment line just above."""
    begin = max(line_start, start - LEFT_CHARS)
    before = text[begin:start]
    # `^` is the start of the line only when the slice starts there (a long line is cut).
    opener = (_COMMENT_START if begin == line_start else _COMMENT_AFTER_CODE).search(before)
    if opener is None:
        return False
    said = before[opener.start():]
    if not _KEY_TALK.search(said) and before[:opener.start()].strip() == "" and line_start:
        above = text[text.rfind("\n", 0, line_start - 1) + 1:line_start - 1]
        if _COMMENT_LINE.match(above):
            said = above + " " + said
    return _KEY_TALK.search(said) is not None and _ID_TALK.search(said) is None


# -- What names say ------------------------------------------------------------------------

_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
# Words that make a *-key name something else than a credential (cache_key, sort_key, ...).
_NOT_CREDENTIAL = frozenset({
    "cache", "sort", "foreign", "partition", "idempotency", "dedup", "dedupe",
    "lookup", "map", "hash", "row", "request", "public", "csrf", "page", "next", "cursor",
    "continuation", "storage", "object", "index", "unique", "composite", "shard", "bucket",
    "routing", "i18n", "translation", "message", "state", "sitemap", "react", "list", "dict",
    "column", "field", "event", "metric", "redis", "memo", "group", "stream", "idem",
    "model", "prompt", "sdk", "version", "name", "id", "max", "min", "count", "length",
})
_KEYISH = frozenset({"key", "apikey", "token", "secret", "auth", "authorization", "bearer",
                     "credential", "credentials", "pass", "password", "passwd", "pat", "api"})


def name_words(name: str) -> list[str]:
    """`mistralApiKey` -> ["mistral", "api", "key"]; `MISTRAL_API_KEY` likewise."""
    return [word.lower() for word in _WORD.findall(name)]


def says_mistral(words: list[str]) -> str | None:
    """"codestral" or "mistral" when a word of the name says so, else None."""
    joined = "".join(words)
    if "codestral" in joined:
        return "codestral"
    if "mistral" in joined:
        return "mistral"
    return None


# The words of a name that says "credential" and nothing about which service it is for
# (API_KEY, llmToken, MY_SECRET_KEY_2): a key under such a name in a Mistral file is Mistral's.
_GENERIC_CREDENTIAL = _KEYISH | frozenset({
    "keys", "access", "llm", "ai", "client", "private", "prod", "production", "dev", "default",
    "my", "your", "the", "x", "service", "chat", "value", "new", "old", "current", "backup",
    "primary", "secondary", "main", "real", "live", "api", "k", "s", "v", "user", "app",
})


def is_generic_credential(words: list[str]) -> bool:
    """True when the name says "credential" and nothing more (`API_KEY`, `llmToken`), not
    which other service it belongs to (`SESSION_SECRET`, `DB_PASSWORD`)."""
    return is_keyish(words) and all(word in _GENERIC_CREDENTIAL or word.isdigit()
                                    for word in words)


# Words of a name that say which other service or purpose a credential is for: with one of
# these, a key-ish name in a Mistral project is not taken for Mistral's key.
_OTHER_SERVICE = frozenset({
    "openai", "oai", "gpt", "anthropic", "claude", "groq", "cohere", "together", "huggingface",
    "hf", "replicate", "gemini", "google", "gcp", "vertex", "azure", "aws", "s3", "github",
    "gh", "gitlab", "slack", "discord", "telegram", "stripe", "twilio", "sendgrid", "mailgun",
    "firebase", "supabase", "pinecone", "weaviate", "qdrant", "langsmith", "langchain",
    "tavily", "serper", "serpapi", "brave", "jina", "voyage", "elevenlabs", "deepgram",
    "notion", "airtable", "sentry", "datadog", "posthog", "algolia", "mapbox", "maps",
    "youtube", "spotify", "twitter", "facebook", "paypal", "shopify", "deepseek", "perplexity",
    "fireworks", "openrouter", "ollama", "jwt", "session", "cookie", "db", "database",
    "postgres", "mysql", "redis", "mongo", "django", "flask", "signing", "encryption",
    "encrypt", "hmac", "webhook", "license", "master", "ssh", "gpg", "pgp", "rsa", "smtp",
    "mail", "email", "oauth", "refresh", "csrf", "salt", "pepper",
})


def is_unclaimed_credential(words: list[str]) -> bool:
    """True when the name reads like a credential and names no other service or purpose
    (`API_KEY`, `completionToken`, `SUMMARIZER_KEY`; not `STRIPE_KEY`, `SECRET_KEY` of a web
    framework, `JWT_SECRET`)."""
    return is_keyish(words) and not any(word in _OTHER_SERVICE for word in words) \
        and words != ["secret", "key"]


_SETTER = re.compile(r"(?:\.|\b)(?:set|with|use)?_?(?:api_?key|apikey|token|secret|key)\Z",
                     re.I)


def setter_name(call: str | None) -> str | None:
    """The last part of a call that sets a credential (`.apiKey(`, `setApiKey(`,
    `withToken(`), as a name; None for any other call (`getenv(`, `hash(`)."""
    if call is None:
        return None
    last = call.rsplit(".", 1)[-1].rsplit("::", 1)[-1]
    return last if _SETTER.search(last) else None


def is_keyish(words: list[str]) -> bool:
    """True when the name reads like a credential (key, token, secret, ...)."""
    if any(word in _NOT_CREDENTIAL for word in words):
        return False
    return any(word in _KEYISH or word.endswith(("key", "token", "secret")) for word in words)


def name_shown(name: str) -> str:
    """A name as evidence may show it: never a key-shaped token (a key pasted as a name)."""
    return _printable(KEY_TOKEN.sub("…", name))[:60]


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() and c != "`" else "?" for c in text)


# -- Where a name goes in the same file -----------------------------------------------------

@dataclass(frozen=True, slots=True)
class Sink:
    """A place the candidate's name (or the candidate itself) reaches Mistral."""

    kind: str  # "bearer": sent as a Bearer token; "client": given to a Mistral client
    words: str  # the evidence in words
    codestral: bool = False


# The environment lookups of the common languages, by how the called name ends: os.getenv,
# os.environ[...], process.env[...], System.getenv, ENV.fetch, Platform.environment[...],
# ProcessInfo.processInfo.environment[...], env::var, os.Getenv / os.LookupEnv,
# Environment.GetEnvironmentVariable, Deno.env.get, dotenv's get, $_ENV / $_SERVER.
_ENV_LOOKUP = re.compile(
    r"""(?:getenv|getEnv|Getenv|LookupEnv|environ(?:\.get)?|environment|(?:\b|_)env|ENV
          |ENV\.fetch|env\.get|env::var|var_os|GetEnvironmentVariable|\$_ENV|\$_SERVER
          |dotenv\.get|config\.get_env)\Z""", re.X)
_FUNCTION_DEF = (r"""(?:\bdef|\bfunction\*?|\bfunc|\bfun|\bfn|\bsub)\s+{name}"""
                 r"""\s*\((?P<params>[^)]{{0,300}})\)
                  | \b{name}\s*[:=]\s*(?:async\s+)?(?:function\s*)?"""
                 r"""\((?P<params2>[^)]{{0,300}})\)""")


def is_env_lookup(call: str | None) -> bool:
    """True for an environment lookup (`os.getenv`, `process.env`, `System.getenv`, ...)."""
    return call is not None and _ENV_LOOKUP.search(call) is not None


def line_of(text: str, position: int) -> int:
    """The 1-based line of `position`."""
    return text.count("\n", 0, position) + 1


def call_sink(text: str, position: int, call: str | None, facts: FileFacts) -> Sink | None:
    """A sink when the call open at `position` is a Mistral client, or a client (OpenAI,
    Azure) whose arguments nearby point at a Mistral host or model."""
    if call is None:
        return None
    lowered_call = call.lower()
    if "mistral" in lowered_call or "codestral" in lowered_call:
        return Sink("client", f"given to `{name_shown(call)}` (line {line_of(text, position)})",
                    "codestral" in lowered_call)
    region = text[max(position - 400, 0):position + 600].lower()
    host = _MISTRAL_HOST.search(region)
    if host is not None and (facts.mentions_mistral or "mistral" in region):
        return Sink("client", f"given to `{name_shown(call)}`, a client pointed at "
                    f"`{host.group()}` (line {line_of(text, position)})",
                    "codestral" in host.group())
    return None


def name_sinks(text: str, name: str, skip_line: int, facts: FileFacts) -> list[Sink]:
    """Where `name` goes in the same file: a Bearer header to a Mistral host, a Mistral
    client, a client pointed at Mistral, a line that names Mistral. At most three."""
    if len(name) < 1 or len(name) > 80:
        return []
    found: list[Sink] = []
    pattern = re.compile(rf"(?<![\w$.]){re.escape(name)}(?![\w$])")
    for match in pattern.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_number = text.count("\n", 0, match.start())
        if line_number == skip_line:
            continue
        line_end = text.find("\n", match.end())
        line = text[line_start:len(text) if line_end < 0 else line_end]
        lowered = line.lower()
        shown = f"`{name_shown(name)}`"
        if "bearer" in lowered and facts.mistral is not None:
            found.append(Sink("bearer", f"{shown} is sent as a Bearer token (line "
                              f"{line_number + 1}); {facts.mistral}", facts.codestral))
        elif "mistral" in lowered or "codestral" in lowered:
            found.append(Sink("client", f"{shown} is used for Mistral at line {line_number + 1}",
                              "codestral" in lowered))
        else:
            call, _, _ = enclosing_call(text[max(line_start - 1500, 0):match.start()])
            sink = call_sink(text, match.start(), call, facts)
            if sink is not None:
                found.append(Sink(sink.kind, f"{shown} is {sink.words}", sink.codestral))
        if len(found) >= 3:
            break
    return found


def sibling_sink(text: str, line: int, name: str) -> Sink | None:
    """A sink when a setting with the same prefix within three lines points at a Mistral host
    (`OPENAI_API_KEY = "..."` beside `OPENAI_BASE_URL = "https://codestral.mistral.ai/v1"`)."""
    words = name_words(name)
    if len(words) < 2:
        return None
    prefix = re.compile(rf"(?i)\b{re.escape(words[0])}[\w.-]{{0,40}}\s*[:=][^\n]{{0,120}}"
                        r"((?:api|codestral)\.mistral\.ai|[\w-]{1,63}\.ai\.azure\.com)")
    lines = text.split("\n", line + 4)[max(line - 3, 0):line + 4]
    for offset, nearby in enumerate(lines):
        match = prefix.search(nearby)
        if match is not None:
            number = max(line - 3, 0) + offset + 1
            return Sink("client", f"`{name_shown(name)}` is configured beside a base URL of "
                        f"`{match.group(1).lower()}` (line {number})",
                        "codestral" in match.group(1).lower())
    return None


def parameter_sinks(text: str, call: str, argument: int, facts: FileFacts) -> list[Sink]:
    """Sinks of the parameter at `argument` of the function `call` defined in this file
    (`getData("<key>", ...)` where `getData(apiKey, ...)` sends `apiKey` as Bearer)."""
    name = call.rsplit(".", 1)[-1]
    if not re.fullmatch(r"[A-Za-z_$][\w$]{0,80}", name):
        return []
    definition = re.search(_FUNCTION_DEF.format(name=re.escape(name)), text, re.X)
    if definition is None:
        return []
    params = (definition.group("params") or definition.group("params2") or "").split(",")
    if argument >= len(params):
        return []
    parameter = re.match(r"\s*[*&]*\s*([A-Za-z_$][\w$]*)", params[argument])
    if parameter is None:
        return []
    body_end = min(len(text), definition.end() + 3000)
    body = text[:body_end]
    skip = text.count("\n", 0, definition.start())
    return [Sink(s.kind, f"it is passed to `{name_shown(name)}`, where {s.words}", s.codestral)
            for s in name_sinks(body[:body_end], parameter.group(1), skip, facts)]


# -- Output context --------------------------------------------------------------------------

# A line that prints the Mistral key variable, or announces it ("Mistral API Key:").
_PRINTS_KEY = re.compile(
    r"""(?:\b(?:print|echo|printenv|printf|puts|println|console\.log|log(?:ger)?\.\w+|write)\b
          [^\n]{0,120}(?:mistral|codestral)\w{0,20}(?:api)?\W?(?:key|token))
      | (?:(?:mistral|codestral)[\w .-]{0,20}(?:api[\w .-]{0,3})?(?:key|token)\b[^\n]{0,40}:\s*\Z)
      | ^\s*(?:os\.environ\[["'](?:mistral|codestral)_api_key["']\]"""
    r"""|(?:mistral|codestral)_api_key)\s*\Z""",
    re.I | re.X | re.M)
# What may stand before a printed value: timestamps, log levels, logger names, `$ `, quotes.
_LOG_PREFIX = re.compile(r"""\A[\s\d:.,TZ/+\-\[\]]*(?:\b(?:DEBUG|INFO|WARN(?:ING)?|ERROR|TRACE)\b
                             [\s\w.:\[\]-]{0,60}?)?\s*["']?\Z""", re.X)
OUTPUT_LINES = 6  # how far above a printed key the print may be


def printed_before(text: str, line_start: int, start: int, end: int,
                   context: str = "") -> str | None:
    """When the candidate stands alone on its line (after a log prefix at most) and one of the
    OUTPUT_LINES lines above (or the last lines of `context`: a notebook output's cell)
    printed the Mistral key variable: that line, in words."""
    line_end = text.find("\n", end)
    rest = text[end:len(text) if line_end < 0 else line_end].strip().strip("'\"")
    if rest or not _LOG_PREFIX.match(text[line_start:start]):
        return None
    above_end = line_start - 1
    for _ in range(OUTPUT_LINES):
        if above_end < 0:
            break
        above_start = text.rfind("\n", 0, above_end) + 1
        if _PRINTS_KEY.search(text[above_start:above_end]):
            return (f"it was printed right after line {line_of(text, above_start)} printed "
                    "the Mistral key variable")
        above_end = above_start - 1
    if above_end < 0 and context and line_start == 0:
        for line in context.rstrip("\n").split("\n")[-OUTPUT_LINES:]:
            if _PRINTS_KEY.search(line):
                return "it is the output of a cell that printed the Mistral key variable"
    return None
