"""Family 2: Codestral keys, told apart from Mistral keys by their context."""

from __future__ import annotations

from tests.corpus.case import Case, neg, pos

F = "codestral"


def cases() -> list[Case]:
    return [
        pos(F, ".env", "CODESTRAL_API_KEY={KEY}\nEDITOR=code\n"),
        pos(F, "tools/complete.py", '''import os
from mistralai import Mistral

client = Mistral(
    server_url="https://codestral.mistral.ai",
)
api_key = "{KEY}"
'''),
        pos(F, "scripts/fim.sh", '''#!/usr/bin/env bash
set -euo pipefail
curl -s https://codestral.mistral.ai/v1/fim/completions \\
  -H "Content-Type: application/json" \\
  -H "Authorization: Bearer {KEY}" \\
  -d '{"model": "codestral-latest", "prompt": "def add(a, b):"}'
'''),
        pos(F, ".continue/config.yaml", '''name: team
version: 1.0.0
models:
  - name: Codestral
    provider: mistral
    model: codestral-latest
    apiBase: https://codestral.mistral.ai/v1
    roles: [autocomplete]
    apiKey: {KEY}
'''),
        pos(F, "src/codestral.ts", '''export const codestralApiKey = "{KEY}";
export const endpoint = "https://codestral.mistral.ai/v1/fim/completions";
'''),
        pos(F, "bench/run.py", '''import litellm

out = litellm.text_completion(model="codestral/codestral-latest", prompt="def f(", api_key="{KEY}")
'''),
        pos(F, "editor/settings.json", '''{
  "editor.fontSize": 13,
  "codestral.apiKey": "{KEY}",
  "codestral.endpoint": "https://codestral.mistral.ai"
}
'''),
        pos(F, "requests/fim.http", '''POST https://codestral.mistral.ai/v1/fim/completions
Content-Type: application/json
Authorization: Bearer {KEY}

{"model": "codestral-latest", "prompt": "def fib(n):"}
'''),
        pos(F, "nvim/lua/plugins/ai.lua", '''return {
  "acme/codestral.nvim",
  opts = {
    model = "codestral-latest",
    api_key = "{KEY}",
  },
}
'''),
        neg(F, ".env.example", "CODESTRAL_API_KEY=\nCODESTRAL_MODEL=codestral-latest\n"),
        neg(F, ".continue/config.yaml", '''models:
  - name: Codestral
    provider: mistral
    model: codestral-latest
    apiBase: https://codestral.mistral.ai/v1
    apiKey: ${{ secrets.CODESTRAL_API_KEY }}
'''),
        neg(F, "scripts/fim.sh", '''curl -s https://codestral.mistral.ai/v1/fim/completions \\
  -H "Authorization: Bearer $CODESTRAL_API_KEY" \\
  -d '{"model": "codestral-latest", "prompt": "x"}'
'''),
        neg(F, "tools/complete.py", '''import os
client = Mistral(api_key=os.environ["CODESTRAL_API_KEY"], server_url="https://codestral.mistral.ai")
completion_id = "{HEX32}"
'''),
        neg(F, "logs/codestral.jsonl", '''{"id": "{UUIDHEX}", "model": "codestral-latest", "object": "fim.completion"}
{"id": "{UUIDHEX}", "model": "codestral-latest", "object": "fim.completion"}
'''),
        neg(F, "docs/codestral.md", '''# Codestral

Export `CODESTRAL_API_KEY=<your-codestral-key>` and run `make fim`.
Commit {SHA1} added the FIM endpoint.
'''),
    ]
