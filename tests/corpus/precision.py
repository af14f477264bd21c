"""Hard negatives: every kind of look-alike of the Precision list, in every kind of file.

Each template is combined with each look-alike value, so the same realistic file is tried
with hex digests, UUIDs, base64 blobs, lockfile hashes, response ids and random identifiers.
"""

from __future__ import annotations

from tests.corpus.case import Case, neg, notebook, stream

_VALUES = ("{HEX32}", "{HEX32U}", "{SHA1}", "{UUID}", "{UUIDHEX}", "{B64}", "{INTEGRITY}")

# (family, path, template with {V}): files that talk to Mistral, look-alikes in them.
_MISTRAL_FILES = [
    ("keys", "app/client.py", 'from mistralai import Mistral\n\nclient = Mistral(api_key=os.environ["MISTRAL_API_KEY"])\napi_key_sha = "{V}"\nresponse_id = "{V}"\n'),
    ("keys", "web/src/chat.ts", 'import { Mistral } from "@mistralai/mistralai";\nconst client = new Mistral({ apiKey: process.env.MISTRAL_API_KEY });\nconst etag = "{V}";\nconst key = "{V}";\n'),
    ("keys", "cmd/main.go", 'package main\n\n// uses https://api.mistral.ai/v1\nvar commit = "{V}"\nvar token = "{V}"\n'),
    ("bearer", "scripts/call.sh", 'curl https://api.mistral.ai/v1/models \\\n  -H "Authorization: Bearer $MISTRAL_API_KEY" \\\n  -H "X-Request-Id: {V}"\n'),
    ("files", ".env", "MISTRAL_API_KEY=\nMISTRAL_MODEL=mistral-small-latest\nKEY={V}\n"),
    ("files", "deploy/values.yaml", "mistral:\n  model: mistral-large-latest\n  checksum: {V}\n  token: {V}\n"),
    ("files", "package.json", '{\n  "dependencies": {"@mistralai/mistralai": "^1.5.0"},\n  "integrity": "{V}",\n  "key": "{V}"\n}\n'),
    ("codestral", "editor/codestral.json", '{\n  "endpoint": "https://codestral.mistral.ai/v1",\n  "requestId": "{V}",\n  "token": "{V}"\n}\n'),
    ("notebooks", "nb/analysis.ipynb", notebook(
        ("code", 'from mistralai import Mistral\nres_id = "{V}"\nkey = "{V}"\n', [stream("{V}\n")]))),
]

# Random key-shaped identifiers in code that has nothing to do with Mistral.
_UNRELATED = [
    ("keys", "services/session.py", 'import redis\n\nSESSION_ID = "{RANDOM32}"\ncache_key = "{RANDOM32}"\napi_key = "{RANDOM32}"\n'),
    ("keys", "web/src/analytics.js", 'const requestId = "{RANDOM32}";\nconst apiKey = "{RANDOM32}"; // segment\n'),
    ("keys", "internal/cache/cache.go", 'package cache\n\nconst Key = "{RANDOM32}"\nconst Token = "{RANDOM32}"\n'),
    ("keys", "src/main/java/Ids.java", 'class Ids { static final String TOKEN = "{RANDOM32}"; }\n'),
    ("keys", "Sources/Ids.swift", 'let deviceToken = "{RANDOM32}"\nlet apiKey = "{RANDOM32}"\n'),
    ("bearer", "scripts/github.sh", 'curl https://api.github.com/user -H "Authorization: Bearer {RANDOM32}"\n'),
    ("bearer", "requests/stripe.http", 'GET https://api.stripe.com/v1/charges\nAuthorization: Bearer {RANDOM32}\n'),
    ("files", ".env", "SESSION_SECRET={RANDOM32}\nAPI_KEY={RANDOM32}\n"),
    ("files", "Dockerfile", "FROM alpine\nENV API_KEY={RANDOM32}\n"),
    ("files", ".github/workflows/ci.yml", "env:\n  API_KEY: {RANDOM32}\n  TOKEN: {RANDOM32}\n"),
    ("files", "docker-compose.yml", "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: {RANDOM32}\n      API_KEY: {RANDOM32}\n"),
    ("files", "k8s/secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: redis\nstringData:\n  token: {RANDOM32}\n"),
    ("codestral", "docs/ids.md", "Request {RANDOM32} failed; see the log.\n"),
    ("notebooks", "nb/ids.ipynb", notebook(("code", 'import uuid\ntoken = "{RANDOM32}"\n', [stream("{RANDOM32}\n")]))),
]

# Placeholders and redactions where a Mistral key would go.
_PLACEHOLDERS = ["YOUR_API_KEY", "<MISTRAL_API_KEY>", "x" * 32, "sk-" + "0" * 29, "${MISTRAL_API_KEY}",
                 "********", "abcd" + "*" * 28, "YOUR_MISTRAL_API_KEY_GOES_HERE_1", "{{mistralApiKey}}"]
_PLACEHOLDER_FILES = [
    ("keys", "app/settings.py", 'MISTRAL_API_KEY = "{P}"\n'),
    ("keys", "web/src/client.ts", 'const client = new Mistral({ apiKey: "{P}" });\n'),
    ("bearer", "docs/curl.md", 'curl https://api.mistral.ai/v1/models -H "Authorization: Bearer {P}"\n'),
    ("files", ".env.example", "MISTRAL_API_KEY={P}\n"),
    ("codestral", "README.md", "Set CODESTRAL_API_KEY={P} in your shell.\n"),
]


def cases() -> list[Case]:
    out = []
    for family, path, template in _MISTRAL_FILES:
        for number, value in enumerate(_VALUES):
            out.append(neg(family, _numbered(path, number), template.replace("{V}", value)))
    for family, path, template in _UNRELATED:
        out.append(neg(family, path, template))
    for family, path, template in _PLACEHOLDER_FILES:
        for number, value in enumerate(_PLACEHOLDERS):
            out.append(neg(family, _numbered(path, number), template.replace("{P}", value)))
    return out


def _numbered(path: str, number: int) -> str:
    """Put variant `number` of a file in its own folder, so the file keeps its real name."""
    return f"v{number}/{path}"
