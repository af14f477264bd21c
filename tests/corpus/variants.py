"""Family 14, classic shapes in real variants not in the original families (SHAPES.md class 9):
Mistral-named variables, SDK constructors and headers as people actually wrote them, plus the
real negatives seen beside them."""

from __future__ import annotations

from tests.corpus.case import Case, neg, pos

F = "variants"


def cases() -> list[Case]:
    return [
        # D-LUA-01: a commented-out curl in a Neovim plugin config, key in an x-api-key header.
        pos(F, "nvim/lua/plugins/avante/providers/mistral.lua", '''return {
    __inherited_from = "openai",
    api_key_name = "CODESTRAL_API_KEY",
    endpoint = "https://codestral.mistral.ai/v1",
    model = "codestral-latest",
}

-- curl -X POST "https://codestral.mistral.ai/v1/chat/completions" \\
--      -H "Content-Type: application/json" \\
--      -H "x-api-key: {KEY}" \\
--      -d '{"model": "codestral-latest", "messages": []}'
'''),
        pos(F, "scripts/try_fim.py", '''# Quick manual test, kept for reference:
# curl https://codestral.mistral.ai/v1/fim/completions -H 'Authorization: Bearer {KEY}' -d @req.json
import json
print(json.dumps({"prompt": "def add(a, b):", "suffix": ""}))
'''),
        # D-PY-13: a list of keys rotated round-robin.
        pos(F, "ocr/rotate.py", '''import os

from mistralai import Mistral

API_KEYS = [
    "{KEY}",
    os.getenv("MISTRAL_API_KEY_2", ""),
]
current = 0


def next_client() -> Mistral:
    global current
    key = API_KEYS[current]
    current = (current + 1) % len(API_KEYS)
    return Mistral(api_key=key)
'''),
        pos(F, "src/keys.ts", '''import { Mistral } from "@mistralai/mistralai";

const MISTRAL_KEYS: string[] = [process.env.MISTRAL_KEY_A ?? "", "{KEY}"];
export const pick = () => new Mistral({ apiKey: MISTRAL_KEYS[Date.now() % 2] });
'''),
        # D-PY-14: the key written into the environment by the script itself.
        pos(F, "query.py", '''import os
import requests

os.environ["MISTRAL_API_KEY"] = "{KEY}"


def query_mistral(prompt):
    api_key = os.getenv("MISTRAL_API_KEY")
    headers = {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"}
    return requests.post("https://api.mistral.ai/v1/chat/completions", headers=headers,
                         json={"model": "mistral-medium", "messages": [{"role": "user", "content": prompt}]})
'''),
        pos(F, "notebooks_export/setup.py", '''import os
os.environ['MISTRAL_API_KEY'] = '{KEY}'  # colab
from langchain_mistralai import ChatMistralAI
'''),
        # D-TOML-01: Streamlit secrets and Android local.properties.
        pos(F, ".streamlit/secrets.toml", '''MISTRAL_API_KEY = "{KEY}"
APP_PASSWORD = "changeme"
'''),
        pos(F, "local.properties", '''## This file must *NOT* be checked into Version Control Systems,
sdk.dir=/Users/dev/Library/Android/sdk
MISTRAL_API_KEY={KEY}
'''),
        # D-PY-15: the mistral_api_key= keyword of the LangChain chat model.
        pos(F, "llm/factory.py", '''from langchain_mistralai import ChatMistralAI

primary_llm = ChatMistralAI(
    model="mistral-large-latest",
    mistral_api_key="{KEY}",
    temperature=0.2,
)
'''),
        # D-NEG-01, D-NEG-02, D-NEG-04: real negatives seen beside these shapes.
        neg(F, "README.md", '''## Usage

```dart
final client = MistralAIClient(apiKey: 'your api key here');
```

```bash
export MISTRAL_API_KEY='your-key-here'
aicommit2 config set MISTRAL.key="your-api-key"
```
Example response id: `{HEX32}`
'''),
        neg(F, "api/chat_mistral.rb", '''url = "https://api.mistral.ai/v1/chat/completions"
headers = { "Authorization": "Bearer #{ENV['MISTRAL_API_KEY']}" }
res = Webclient.post(url, headers: headers, json: body)
puts res.json

__END__

{"id"=>"{HEX32}", "object"=>"chat.completion", "model"=>"mistral-medium-latest"}
'''),
        neg(F, "providers/multi.py", '''import os

from mistralai import Mistral
from openai import OpenAI

openai_client = OpenAI(api_key="sk-proj-{RANDOM32}")
hf_token = "hf_{RANDOM32}"
mistral_client = Mistral(api_key=os.environ["MISTRAL_API_KEY"])
'''),
        neg(F, ".github/workflows/ci.yml", '''jobs:
  test:
    runs-on: ubuntu-latest
    env:
      MISTRAL_API_KEY: ${{ secrets.MISTRAL_API_KEY }}
      RUN_ID: {UUIDHEX}
    steps:
      - uses: actions/checkout@v4
      - run: pytest -q
'''),
        neg(F, "app/routes/+page.server.ts", '''import { MISTRAL_API_KEY } from "$env/static/private";
import { Mistral } from "@mistralai/mistralai";

export const client = new Mistral({ apiKey: MISTRAL_API_KEY });
const requestId = "{UUID}";
'''),
        # D-PY-24: a Mistral module keeps the rotated key in a comment, or under a name that
        # says what it is for but not for whom; NEGATIVE: ids in comments, another purpose.
        pos(F, "bot/client.py", '''import os

from mistralai import Mistral

# rotated 2024-03, was {KEY}
client = Mistral(api_key=os.environ["MISTRAL_API_KEY"])
'''),
        pos(F, "bot/summarize.py", '''from mistralai import Mistral

SUMMARIZER_TOKEN = "{KEY}"


def summarize(text: str, client: Mistral) -> str:
    return client.chat.complete(model="mistral-small-latest", messages=[{"role": "user", "content": text}])
'''),
        neg(F, "bot/hooks.py", '''from mistralai import Mistral

# request id was {RANDOM32}
WEBHOOK_SECRET = "{RANDOM32}"
client = Mistral()
'''),
    ]
