"""Family 6, dataflow: the name lies, the data flow tells (SHAPES.md class 1).

A key-shaped literal is bound to a name that says nothing of Mistral (token, OPENAI_KEY,
k, AI_TOKEN...) and later, in the same file, that name reaches Mistral: a Bearer header
to a Mistral host, a Mistral client or framework, or a client whose base URL / model is
Mistral's or Codestral's.
"""

from __future__ import annotations

from tests.corpus.case import Case, neg, pos

F = "dataflow"


def cases() -> list[Case]:
    return [
        # D-PY-01: generic api_key literal, then the SDK client is built from it.
        pos(F, "oldwrapper/smoke.py", '''import os
from mistralai import Mistral

api_key = "{KEY}"
model = "mistral-large-latest"

client = Mistral(api_key=api_key)

reply = client.chat.complete(
    model=model,
    messages=[{"role": "user", "content": "Say hi in French"}],
)
print(reply.choices[0].message.content)
'''),
        pos(F, "tools/caption.py", """import base64
import sys

from mistralai import Mistral

k = '{KEY}'


def caption(path: str) -> str:
    data = base64.b64encode(open(path, "rb").read()).decode()
    c = Mistral(api_key=k)
    out = c.chat.complete(model="pixtral-12b-2409", messages=[{"role": "user", "content": [
        {"type": "image_url", "image_url": f"data:image/png;base64,{data}"}]}])
    return out.choices[0].message.content


if __name__ == "__main__":
    print(caption(sys.argv[1]))
"""),
        # D-PY-02: a literal under a token-ish name goes into a session's Bearer header;
        # the session posts to api.mistral.ai further down.
        pos(F, "devin/llm_api.py", '''import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

jwt_code = "{KEY}"

session = requests.session()
session.headers = {
    "Accept": "application/json",
    "Content-Type": "application/json",
    "Authorization": f"Bearer {jwt_code}",
}
session.mount("https://", HTTPAdapter(max_retries=Retry(total=5, backoff_factor=1)))

url = "https://api.mistral.ai/v1/chat/completions"
resp = session.post(url, json={"model": "mistral-large-latest", "messages": []})
resp.raise_for_status()
'''),
        pos(F, "bot/ask.py", '''import httpx

TOKEN = "{KEY}"
HEADERS = {"Authorization": "Bearer " + TOKEN}
ENDPOINT = "https://api.mistral.ai/v1/chat/completions"


def ask(question: str) -> str:
    body = {"model": "mistral-small-latest", "messages": [{"role": "user", "content": question}]}
    r = httpx.post(ENDPOINT, headers=HEADERS, json=body, timeout=30)
    return r.json()["choices"][0]["message"]["content"]
'''),
        # D-JS-01: the literal is an argument of a call to a function that sends it as Bearer.
        pos(F, "backend/apiLLM.js", '''const getData = async (apiKey, prompt) => {
  const url = "https://api.mistral.ai/v1/chat/completions";
  const body = { model: "mistral-large-latest", messages: [{ role: "user", content: prompt }] };
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${apiKey}`,
    },
    body: JSON.stringify(body),
  });
  return (await response.json()).choices[0];
};

getData("{KEY}", "What does cocorico mean?").then((d) => console.log(d));
'''),
        pos(F, "scripts/translate.mjs", '''async function translate(secret, text) {
  const res = await fetch("https://api.mistral.ai/v1/chat/completions", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer " + secret },
    body: JSON.stringify({ model: "mistral-small-latest", messages: [{ role: "user", content: `Translate: ${text}` }] }),
  });
  return res.json();
}

const out = await translate(
  '{KEY}',
  process.argv[2],
);
console.log(out.choices[0].message.content);
'''),
        # D-TS-01: OpenAI SDK pointed at Mistral's base URL; the key sits under an OpenAI name.
        pos(F, "src/llm/client.ts", '''import OpenAI from "openai";

const OPENAI_KEY = "{KEY}";

export const llm = new OpenAI({
  apiKey: OPENAI_KEY,
  baseURL: "https://api.mistral.ai/v1",
});

export async function complete(prompt: string) {
  const r = await llm.chat.completions.create({ model: "mistral-small-latest", messages: [{ role: "user", content: prompt }] });
  return r.choices[0].message.content;
}
'''),
        pos(F, "poe/bot.py", '''import html

from openai import AsyncOpenAI

openai_api_key = "{KEY}"


class Bot:
    def __init__(self) -> None:
        self.client = AsyncOpenAI(
            api_key=openai_api_key,
            base_url="https://api.mistral.ai/v1",
        )

    def clean(self, text: str) -> str:
        return html.escape(text).replace("\\n", " ")
'''),
        # D-PY-03: settings class whose OPENAI_* fields point at the Codestral endpoint.
        pos(F, "app/core/settings.py", '''from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    RABBITMQ_HOST: str = "127.0.0.1"
    RABBITMQ_PORT: int = 5672

    # LLM integration (OpenAI-compatible)
    OPENAI_API_KEY: str = "{KEY}"
    OPENAI_BASE_URL: str = "https://codestral.mistral.ai/v1/"
    OPENAI_MODEL: str = "codestral-latest"


settings = Settings()
'''),
        pos(F, "config/llm.py", '''LLM = {
    "base_url": "https://codestral.mistral.ai/v1",
    "model": "codestral-latest",
    "key": "{KEY}",
    "timeout": 60,
}
'''),
        # D-JS-02: a framework chat model built from a generic AI_TOKEN constant when the
        # endpoint is Mistral's.
        pos(F, "src/modules/ai/nlq.js", '''import { ChatMistralAI } from "@langchain/mistralai";
import { ChatOpenAI } from "@langchain/openai";

const AI_ENDPOINT = "https://api.mistral.ai";
const AI_MODEL = "mistral-large-latest";
const AI_TOKEN = "{KEY}";

let nlqChat;
if (AI_ENDPOINT.includes("https://api.mistral.ai")) {
  nlqChat = new ChatMistralAI({ model: AI_MODEL, apiKey: AI_TOKEN, temperature: 0 });
} else {
  nlqChat = new ChatOpenAI({ model: AI_MODEL, configuration: { baseURL: AI_ENDPOINT } });
}
export default nlqChat;
'''),
        pos(F, "agents/referee.py", '''from langchain_mistralai import ChatMistralAI

SECRET = "{KEY}"


class Referee:
    def __init__(self) -> None:
        self.llm = ChatMistralAI(model="mistral-large-latest", api_key=SECRET, temperature=0.8)
'''),
        # Negatives: the same flows, but the literal goes to another provider, or the
        # Mistral call gets its key from the environment.
        neg(F, "bot/ask.py", '''import os

import httpx

TRACE = "{UUIDHEX}"  # request id of the last failed call
HEADERS = {"Authorization": "Bearer " + os.environ["MISTRAL_API_KEY"]}
ENDPOINT = "https://api.mistral.ai/v1/chat/completions"
'''),
        neg(F, "src/llm/client.ts", '''import OpenAI from "openai";

const OPENAI_KEY = "{RANDOM32}";

export const llm = new OpenAI({ apiKey: OPENAI_KEY, baseURL: "https://api.together.xyz/v1" });
'''),
        neg(F, "backend/apiLLM.js", '''const getData = async (apiKey, prompt) => {
  const res = await fetch("https://api.mistral.ai/v1/chat/completions", {
    method: "POST",
    headers: { Authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ model: "mistral-small-latest", messages: [{ role: "user", content: prompt }] }),
  });
  return res.json();
};

getData(process.env.MISTRAL_API_KEY, "hello").then(console.log);
const traceId = "{HEX32}";
'''),
    ]
