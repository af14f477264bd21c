"""A generated, labelled corpus for the risk families 6-9 (client-side, transport, CI/logs, auth).

Each case is one small project file: a realistic positive of one family, or a hard negative
that looks close to one. `write_corpus` lays them out under a root, one directory per case,
with `{KEY}` filled by a freshly generated fake key (no key literal is stored here).

Risky tokens in the templates are cut with `§` (removed when the files are written), so this
module itself never matches the rules it tests and the repository still scans itself clean.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scanner.rules.check import fill, generate_fake_key

CUT = "§"
FAMILIES = {
    6: ("client-side exposure", range(50, 60)),
    7: ("transport", range(60, 70)),
    8: ("CI and log leakage", range(70, 80)),
    9: ("unsupported auth", range(80, 100)),
}


@dataclass(frozen=True)
class Case:
    """One corpus file: its family when it is a positive, None when it is a hard negative."""

    family: int | None
    path: str
    text: str


def family_of(rule_id: str) -> int | None:
    """The risk family (6-9) a rule id belongs to, or None for other rules."""
    number = int(rule_id[2:])
    return next((f for f, (_, ids) in FAMILIES.items() if number in ids), None)


def _c(family: int | None, path: str, text: str) -> Case:
    return Case(family, path, text)


CLIENT_SIDE = [
    _c(6, ".env.local", "NEXT_PUBLIC_MIS§TRAL_API_KEY={KEY}\nNEXT_PUBLIC_APP_NAME=chat\n"),
    _c(6, "web/.env", "VITE_§MISTRAL_API_KEY=\nVITE_API_BASE=/api\n"),
    _c(6, "src/lib/mistral.ts",
       "import { Mistral } from '@mistralai/mistralai';\n\n"
       "export const client = new Mistral({\n"
       "  apiKey: import.meta.env.VITE_§MISTRAL_API_KEY,\n});\n"),
    _c(6, "src/config/env.ts",
       "export const env = {\n  mistralKey: process.env.EXPO_PUBLIC_MIS§TRAL_API_KEY ?? '',\n};\n"),
    _c(6, "src/routes/+page.svelte",
       "<script>\n  import { PUBLIC_§MISTRAL_API_KEY } from '$env/static/public';\n"
       "  export let data;\n</script>\n<h1>{data.title}</h1>\n"),
    _c(6, "netlify.toml",
       "[build]\n  command = \"npm run build\"\n[build.environment]\n"
       "  GATSBY_§CODESTRAL_API_KEY = \"\"\n"),
    _c(6, "app/chat/chat-panel.tsx",
       "\"use client\";\n\nimport { useState } from \"react\";\n"
       "import { Mistral } from \"@§mistralai/mistralai\";\n\n"
       "export function ChatPanel() {\n  const [text, setText] = useState(\"\");\n"
       "  return <textarea value={text} onChange={(e) => setText(e.target.value)} />;\n}\n"),
    _c(6, "src/components/ChatBox.jsx",
       "export default function ChatBox({ apiKey }) {\n"
       "  async function send(prompt) {\n"
       "    const res = await fetch(\"https://§api.mistral.ai/v1/chat/completions\", {\n"
       "      method: \"POST\",\n"
       "      headers: { Authorization: `Bearer ${apiKey}` },\n"
       "      body: JSON.stringify({ model: \"mistral-small-latest\", messages: [prompt] }),\n"
       "    });\n    return res.json();\n  }\n  return <button onClick={() => send('hi')}>Ask</button>;\n}\n"),
    _c(6, "src/lib/components/Complete.svelte",
       "<script>\n  import { Mistral } from '@§mistralai/mistralai';\n"
       "  const client = new Mistral({ apiKey });\n</script>\n"),
    _c(6, "components/Assistant.vue",
       "<template><button @click=\"ask\">Ask</button></template>\n<script setup>\n"
       "async function ask() {\n"
       "  await fetch('https://§codestral.mistral.ai/v1/fim/completions', { method: 'POST' })\n"
       "}\n</script>\n"),
    _c(6, "public/index.html",
       "<!doctype html>\n<html><body>\n<div id=\"out\"></div>\n<script>\n"
       "  fetch(\"https://§api.mistral.ai/v1/chat/completions\", { method: \"POST\" })\n"
       "    .then((r) => r.json());\n</script>\n</body></html>\n"),
    _c(6, "android/app/build.gradle.kts",
       "android {\n    defaultConfig {\n"
       "        buildConfigField(\"String\", \"§MISTRAL_API_KEY\", "
       "\"\\\"${localProps[\"mistral.apiKey\"]}\\\"\")\n    }\n}\n"),
    _c(6, "android/app/src/main/res/values/strings.xml",
       "<resources>\n    <string name=\"app_name\">Chat</string>\n"
       "    <string name=\"§mistral_api_key\">CHANGE_ME</string>\n</resources>\n"),
    _c(6, "gradle.properties", "org.gradle.jvmargs=-Xmx2048m\n§mistralApiKey=\n"),
    _c(6, "ios/Runner/Info.plist",
       "<plist version=\"1.0\">\n<dict>\n  <key>CFBundleName</key>\n  <string>Chat</string>\n"
       "  <key>§MISTRAL_API_KEY</key>\n  <string>$(MISTRAL_API_KEY)</string>\n</dict>\n</plist>\n"),
    _c(6, "scripts/release.sh",
       "#!/bin/sh\nset -e\nflutter build apk --release \\\n"
       "  --dart-define=§MISTRAL_API_KEY=\"$MISTRAL_KEY\"\n"),
    _c(6, "src/api/mistral.js",
       "import axios from 'axios';\n\nexport const api = axios.create({\n"
       "  headers: { Authorization: `Bearer ${process.env.VUE_APP_MIS§TRAL_API_KEY}` },\n});\n"),
    _c(6, "dist/assets/index-Cq81xZ2a.js",
       "const e=\"{KEY}\";async function t(n){return(await fetch(\"https://api.mistral.ai/v1/chat/"
       "completions\",{method:\"POST\",headers:{Authorization:`Bearer ${e}`},body:n})).json()}"
       "export{t as ask};\n"),
    _c(6, ".next/static/chunks/app/page-7f3a2c.js",
       "(self.webpackChunk=self.webpackChunk||[]).push([[931],{42:function(e,t,n){var r=new "
       "n.Mistral({apiKey:\"{KEY}\"});/* @mistralai/mistralai */}}]);\n"),
    _c(6, "build/static/js/main.3f2a1b.js.map",
       "{\"version\":3,\"file\":\"main.js\",\"sources\":[\"src/api.js\"],\"sourcesContent\":"
       "[\"const k = \\\"{KEY}\\\"; fetch('https://api.mistral.ai/v1/models')\"],"
       "\"mappings\":\"AAAA\"}\n"),
]

CLIENT_SIDE_NEGATIVES = [
    _c(None, "app/api/chat/route.ts",
       "import { Mistral } from \"@mistralai/mistralai\";\n\n"
       "const client = new Mistral({ apiKey: process.env.MISTRAL_API_KEY });\n\n"
       "export async function POST(req: Request) {\n  const { messages } = await req.json();\n"
       "  const r = await client.chat.complete({ model: \"mistral-small-latest\", messages });\n"
       "  return Response.json(r);\n}\n"),
    _c(None, "app/page.tsx",
       "import { Mistral } from \"@mistralai/mistralai\";\n\nexport default async function Page() {\n"
       "  const client = new Mistral({ apiKey: process.env.MISTRAL_API_KEY });\n"
       "  const models = await client.models.list();\n  return <ul>{models.data.length}</ul>;\n}\n"),
    _c(None, "pages/api/chat.ts",
       "export default async function handler(req, res) {\n"
       "  const r = await fetch(\"https://api.mistral.ai/v1/chat/completions\", {\n"
       "    method: \"POST\",\n"
       "    headers: { Authorization: `Bearer ${process.env.MISTRAL_API_KEY}` },\n"
       "    body: JSON.stringify(req.body),\n  });\n  res.status(200).json(await r.json());\n}\n"),
    _c(None, "pages/index.tsx",
       "export async function getServerSideProps() {\n"
       "  const r = await fetch(\"https://api.mistral.ai/v1/models\", {\n"
       "    headers: { Authorization: `Bearer ${process.env.MISTRAL_API_KEY}` },\n  });\n"
       "  return { props: { models: await r.json() } };\n}\n"
       "export default function Home({ models }) { return <pre>{models.object}</pre>; }\n"),
    _c(None, "src/routes/api/chat/+server.ts",
       "import { MISTRAL_API_KEY } from '$env/static/private';\n"
       "import { Mistral } from '@mistralai/mistralai';\n"
       "const client = new Mistral({ apiKey: MISTRAL_API_KEY });\n"),
    _c(None, "src/routes/chat/+page.server.ts",
       "import { env } from '$env/dynamic/private';\n"
       "export const load = async () => fetch('https://api.mistral.ai/v1/models');\n"),
    _c(None, "server/api/chat.post.ts",
       "import { Mistral } from '@mistralai/mistralai';\nexport default defineEventHandler(async () => {\n"
       "  const { mistralApiKey } = useRuntimeConfig();\n"
       "  return new Mistral({ apiKey: mistralApiKey }).models.list();\n});\n"),
    _c(None, "src/components/Chat.tsx",
       "export function Chat() {\n  async function send(prompt: string) {\n"
       "    return fetch('/api/chat', { method: 'POST', body: JSON.stringify({ prompt }) });\n"
       "  }\n  return <button onClick={() => send('hi')}>Send</button>;\n}\n"),
    _c(None, "src/components/Footer.tsx",
       "export function Footer() {\n"
       "  return <a href=\"https://docs.mistral.ai\">Powered by Mistral AI</a>;\n}\n"),
    _c(None, "app/chat/types.tsx",
       "\"use client\";\nimport type { ChatCompletionResponse } from "
       "\"@mistralai/mistralai/models/components\";\n"
       "export function Reply({ r }: { r: ChatCompletionResponse }) { return <p>{r.id}</p>; }\n"),
    _c(None, "app/chat/chat-form.tsx",
       "\"use client\";\nexport function ChatForm() {\n"
       "  return <form action=\"/api/chat\" method=\"post\"><input name=\"q\" /></form>;\n}\n"),
    _c(None, "src/server/mistral.ts",
       "import 'server-only';\nimport { Mistral } from '@mistralai/mistralai';\n"
       "export const mistral = new Mistral({ apiKey: process.env.MISTRAL_API_KEY });\n"),
    _c(None, "src/components/ServerChat.tsx",
       "import 'server-only';\nimport { Mistral } from '@mistralai/mistralai';\n"
       "export async function ServerChat() { return null; }\n"),
    _c(None, ".env", "NEXT_PUBLIC_SUPABASE_ANON_KEY=\nNEXT_PUBLIC_MISTRAL_MODEL=mistral-small-latest\n"
       "MISTRAL_API_KEY=\nVITE_API_BASE_URL=/api\n"),
    _c(None, "README.md",
       "# Chat\n\nNever set NEXT_PUBLIC_MIS§TRAL_API_KEY: public variables ship to browsers.\n"
       "Set MISTRAL_API_KEY on the server instead.\n"),
    _c(None, "docs/setup.md", "Old versions read VITE_§MISTRAL_API_KEY; this is gone.\n"),
    _c(None, "android/app/build.gradle",
       "android {\n  defaultConfig {\n"
       "    buildConfigField \"String\", \"API_BASE_URL\", '\"https://backend.example.com\"'\n"
       "    buildConfigField \"String\", \"MISTRAL_MODEL\", '\"mistral-small-latest\"'\n  }\n}\n"),
    _c(None, "android/app/src/main/res/values/strings.xml",
       "<resources>\n    <string name=\"app_name\">Mistral Chat</string>\n"
       "    <string name=\"mistral_api_key_hint\">Ask your admin</string>\n</resources>\n"),
    _c(None, "ios/App/Info.plist",
       "<dict>\n  <key>CFBundleName</key>\n  <string>Mistral Chat</string>\n"
       "  <key>MistralModel</key>\n  <string>mistral-small-latest</string>\n</dict>\n"),
    _c(None, "gradle.properties", "org.gradle.jvmargs=-Xmx2048m\nmistral.model=mistral-small-latest\n"),
    _c(None, "lib/config.dart",
       "const apiBase = String.fromEnvironment('API_BASE_URL');\n"
       "const model = String.fromEnvironment('MISTRAL_MODEL');\n"),
    _c(None, "dist/assets/index-Dd02kLm9.js",
       "const s=\"{KEY}\";fetch(\"/api/chat\",{method:\"POST\",headers:{\"x-session\":s}});\n"),
    _c(None, "dist/assets/vendor-Ab12Cd34.js",
       "var u=\"https://api.mistral.ai\",h=\"9e107d9d372bb6826bd81d3542a419d6\","
       "i=\"3f2b6c1e-8a4d-4e6b-9c2f-1a7d5e3b9c40\";\n"),
    _c(None, "src/app.js",
       "const sessionId = \"{KEY}\";\nfetch('/api/chat', { headers: { 'x-session': sessionId } });\n"),
]

TRANSPORT = [
    _c(7, "config/settings.py",
       "import os\n\nMISTRAL_BASE_URL = \"http:§//api.mistral.ai\"\n"
       "MISTRAL_API_KEY = os.environ[\"MISTRAL_API_KEY\"]\n"),
    _c(7, ".env.production", "MISTRAL_ENDPOINT=http:§//mistral-gw.corp.example.com:8080\n"),
    _c(7, "src/llm.ts",
       "import { Mistral } from '@mistralai/mistralai';\n\nexport const client = new Mistral({\n"
       "  apiKey: process.env.MISTRAL_API_KEY,\n  serverURL: 'http:§//llm-proxy.example.net',\n});\n"),
    _c(7, "scripts/fim.sh",
       "#!/bin/sh\ncurl http:§//codestral.mistral.ai/v1/fim/completions \\\n"
       "  -H \"Authorization: Bearer $CODESTRAL_API_KEY\" -d @prompt.json\n"),
    _c(7, "app/client.py",
       "import os\nimport httpx\nfrom mistralai import Mistral\n\n"
       "http = httpx.Client(veri§fy=False)\n"
       "client = Mistral(api_key=os.environ[\"MISTRAL_API_KEY\"], client=http)\n"),
    _c(7, "app/chains.py",
       "from langchain_mistralai import ChatMistralAI\n\n"
       "llm = ChatMistralAI(model=\"mistral-large-latest\", endpoint=\"http:§//10.20.0.5:8000\")\n"),
    _c(7, "docker-compose.yml",
       "services:\n  api:\n    image: app:latest\n    environment:\n"
       "      MISTRAL_API_KEY: ${MISTRAL_API_KEY}\n"
       "      MISTRAL_BASE_URL: http:§//gateway.example.org\n"),
    _c(7, "cmd/chat/main.go",
       "package main\n\nimport \"crypto/tls\"\n\nconst api = \"https://api.mistral.ai/v1/chat/completions\"\n\n"
       "var cfg = &tls.Config{Insecure§SkipVerify: true}\n"),
    _c(7, "src/agent.js",
       "import https from 'node:https';\nimport { Mistral } from '@mistralai/mistralai';\n\n"
       "const agent = new https.Agent({ reject§Unauthorized: false });\n"),
    _c(7, "src/ai.ts",
       "import { createMistral } from '@ai-sdk/mistral';\n\nexport const mistral = createMistral({\n"
       "  baseURL: 'http:§//mistral.internal.example.com/v1',\n});\n"),
    _c(7, "deploy/chart/values.yaml",
       "mistral:\n  model: mistral-small-latest\n  baseUrl: http:§//mistral-gw.prod.example.com\n"
       "  apiKeySecret: mistral-api-key\n"),
    _c(7, "app/src/main/kotlin/Chat.kt",
       "val client = MistralClient(\n    apiKey = BuildConfig.KEY,\n"
       "    baseUrl = \"http:§//llm.example.net\",\n)\n"),
    _c(7, "tools/call.py",
       "import requests\n\nr = requests.post(\"https://api.mistral.ai/v1/chat/completions\",\n"
       "                  json=body, headers=headers, veri§fy=False)\n"),
]

TRANSPORT_NEGATIVES = [
    _c(None, ".env.development", "MISTRAL_BASE_URL=http://localhost:8080/v1\n"),
    _c(None, "dev/settings.py",
       "from mistralai import Mistral\n\nclient = Mistral(api_key=\"x\", server_url=\"http://127.0.0.1:4010\")\n"),
    _c(None, "compose.dev.yml",
       "services:\n  app:\n    environment:\n      MISTRAL_BASE_URL: http://0.0.0.0:8000/v1\n"),
    _c(None, "src/local.ts",
       "import { Mistral } from '@mistralai/mistralai';\n"
       "export const client = new Mistral({ serverURL: 'http://mistral-proxy.local:8000' });\n"),
    _c(None, "src/docker.py",
       "from langchain_mistralai import ChatMistralAI\n"
       "llm = ChatMistralAI(endpoint=\"http://host.docker.internal:8000\")\n"),
    _c(None, "src/vllm.py",
       "from langchain_mistralai import ChatMistralAI\nllm = ChatMistralAI(endpoint=\"http://vllm:8000\")\n"),
    _c(None, "config/prod.env", "MISTRAL_BASE_URL=https://mistral-gw.corp.example.com\n"),
    _c(None, "src/openai_client.py",
       "from openai import OpenAI\nclient = OpenAI(base_url=\"http://proxy.example.com/v1\")\n"),  # mistral-guard: allow[MG061] (a case inside a string)
    _c(None, "tools/health.py",
       "import requests\n\nr = requests.get(\"https://intranet.example.com/health\", veri§fy=False)\n"),
    _c(None, "tools/secure.py",
       "import requests\n\nr = requests.post(\"https://api.mistral.ai/v1/chat/completions\",\n"
       "                  json=body, verify=\"/etc/ssl/corp-ca.pem\")\n"),
    _c(None, "docs/proxy.md", "Do not use http:§//api.mistral.ai; the SDK uses https.\n"),
    _c(None, "src/ollama.py",
       "import ollama\n\nresp = ollama.chat(model=\"mistral\", messages=msgs)  # http://localhost:11434\n"),
    _c(None, "src/telemetry.py",
       "from mistralai import Mistral\n\nclient = Mistral(api_key=key)\n" + "\n" * 20
       + "TELEMETRY = {\"endpoint\": \"http://metrics.example.com\"}\n"),
    _c(None, "src/mistral_https.ts",
       "import { Mistral } from '@mistralai/mistralai';\n"
       "export const c = new Mistral({ serverURL: 'https://api.mistral.ai' });\n"),
    _c(None, "tests/telemetry.test.ts",
       "test('uses the base URL', async () => {\n"
       "  await createTracer({ apiKey: 'test-key', baseURL: 'http://mistral.test/api' });\n});\n"),
    _c(None, "deploy/chart/values-dev.yaml",
       "mistral:\n  model: mistral-small-latest\n  baseUrl: http://mistral-gw:8080\n"),
    _c(None, "webhook.py",
       "verify_signature = False  # mistral.ai webhook payloads are checked elsewhere\n"),
]

CI_LOGS = [
    _c(8, ".github/workflows/ci.yml",
       "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    env:\n"
       "      MISTRAL_API_KEY: ${{ secrets.MISTRAL_API_KEY }}\n    steps:\n"
       "      - run: echo \"Key: $§MISTRAL_API_KEY\"\n      - run: pytest\n"),
    _c(8, "scripts/check_env.sh",
       "#!/usr/bin/env bash\nset -euo pipefail\necho \"MISTRAL_API_KEY=$§MISTRAL_API_KEY\"\n"),
    _c(8, "Makefile", "check:\n\t@echo $(§MISTRAL_API_KEY)\n\tpython -m app\n"),
    _c(8, "Dockerfile",
       "FROM python:3.12-slim\nARG MISTRAL_API_KEY\nRUN echo $§MISTRAL_API_KEY && pip install -r req.txt\n"),
    _c(8, "app/config.py",
       "from app.settings import settings\n\n"
       "print(f\"Mistral key: {§settings.mistral_api_key}\")\n"),
    _c(8, "src/index.js",
       "import { Mistral } from '@mistralai/mistralai';\n"
       "console.log('starting with key', §process.env.MISTRAL_API_KEY);\n"),
    _c(8, "app/main.py",
       "import logging, os\nlogger = logging.getLogger(__name__)\n"
       "logger.debug(\"Using key %s\", §os.environ[\"MISTRAL_API_KEY\"])\n"),
    _c(8, "src/main/java/app/Main.java",
       "class Main {\n  public static void main(String[] a) {\n"
       "    String mistralApiKey = System.getenv(\"MISTRAL_API_KEY\");\n"
       "    System.out.println(\"key \" + §mistralApiKey);\n  }\n}\n"),
    _c(8, "package.json",
       "{\n  \"name\": \"chat\",\n  \"scripts\": {\n"
       "    \"check-env\": \"echo $§MISTRAL_API_KEY\",\n    \"dev\": \"vite\"\n  }\n}\n"),
    _c(8, "cmd/server/main.go",
       "package main\n\nimport (\n\t\"log\"\n\t\"os\"\n)\n\nfunc main() {\n"
       "\tlog.Printf(\"starting with key %s\", §os.Getenv(\"MISTRAL_API_KEY\"))\n}\n"),
    _c(8, ".github/workflows/eval.yml",
       "on: workflow_dispatch\njobs:\n  eval:\n    runs-on: ubuntu-latest\n    env:\n"
       "      MISTRAL_API_KEY: ${{ secrets.MISTRAL_API_KEY }}\n    steps:\n      - run: |\n"
       "          §set -euxo pipefail\n          ./scripts/eval.sh\n"),
    _c(8, ".circleci/config.yml",
       "version: 2.1\njobs:\n  smoke:\n    environment:\n      CODESTRAL_API_KEY: $CODESTRAL_API_KEY\n"
       "    steps:\n      - run: §bash -x scripts/smoke.sh\n"),
    _c(8, ".gitlab-ci.yml",
       "variables:\n  MISTRAL_API_KEY: $MISTRAL_API_KEY\n\ndebug:\n  script:\n    - §printenv\n"),
    _c(8, ".github/workflows/debug.yml",
       "on: push\nenv:\n  MISTRAL_API_KEY: ${{ secrets.MISTRAL_API_KEY }}\njobs:\n  d:\n"
       "    runs-on: ubuntu-latest\n    steps:\n      - run: §env | sort\n"),
    _c(8, ".github/workflows/test.yml",
       "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    env:\n      §MISTRAL_DEBUG: \"true\"\n"
       "    steps:\n      - run: npm test\n"),
    _c(8, ".gitlab/ci/test.yml",
       "test:\n  variables:\n    §MISTRAL_DEBUG: \"false\"\n  script:\n    - npm test\n"),
]

CI_LOGS_NEGATIVES = [
    _c(None, "scripts/setup.sh",
       "#!/bin/sh\nif [ -z \"$MISTRAL_API_KEY\" ]; then\n"
       "  echo \"set MISTRAL_API_KEY in your shell\" >&2\n  exit 1\nfi\n"
       "echo \"MISTRAL_API_KEY is set\"\n"),
    _c(None, "scripts/len.sh", "#!/bin/bash\necho \"key length: ${#MISTRAL_API_KEY}\"\n"),
    _c(None, "scripts/prefix.sh", "#!/bin/bash\necho \"key starts with ${MISTRAL_API_KEY:0:4}...\"\n"),
    _c(None, "scripts/login.sh",
       "#!/bin/sh\necho \"$MISTRAL_API_KEY\" | docker login registry.example.com -u ci --password-stdin\n"),
    _c(None, ".github/workflows/env.yml",
       "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
       "      - run: echo \"MISTRAL_API_KEY=${{ secrets.MISTRAL_API_KEY }}\" >> \"$GITHUB_ENV\"\n"
       "      - run: echo \"::add-mask::$MISTRAL_API_KEY\"\n"),
    _c(None, "app/check.py",
       "import os\n\nprint(len(os.environ[\"MISTRAL_API_KEY\"]))\n"
       "print(\"Set MISTRAL_API_KEY first\")\nprint(os.environ[\"MISTRAL_API_KEY\"][:4] + \"...\")\n"),
    _c(None, "app/log.py",
       "import logging\nlogger = logging.getLogger(__name__)\n"
       "logger.info(\"Mistral key loaded: %s\", bool(mistral_api_key))\n"
       "logger.info(\"Missing MISTRAL_API_KEY, please export it\")\n"),
    _c(None, "src/boot.js",
       "console.log('MISTRAL_API_KEY set:', !!process.env.MISTRAL_API_KEY);\n"
       "console.log('model', process.env.MISTRAL_MODEL);\n"),
    _c(None, ".github/workflows/trace.yml",
       "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
       "      - run: |\n          set -x\n          npm test\n"),
    _c(None, ".github/workflows/strict.yml",
       "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n"
       "      MISTRAL_API_KEY: ${{ secrets.MISTRAL_API_KEY }}\n    steps:\n"
       "      - run: |\n          set -euo pipefail\n          pytest\n"),
    _c(None, ".gitlab-ci.yml",
       "variables:\n  MISTRAL_API_KEY: $MISTRAL_API_KEY\n\ntest:\n  script:\n"
       "    - printenv PATH\n    - env FOO=1 make test\n"),
    _c(None, ".github/workflows/names.yml",
       "on: push\nenv:\n  MISTRAL_API_KEY: ${{ secrets.MISTRAL_API_KEY }}\njobs:\n  a:\n"
       "    runs-on: ubuntu-latest\n    steps:\n      - run: env | cut -d= -f1 | sort\n"),
    _c(None, ".github/workflows/nodebug.yml",
       "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    env:\n      MISTRAL_DEBUG: \"\"\n"
       "    steps:\n      - run: npm test\n"),
    _c(None, ".env.development", "MISTRAL_DEBUG=1\n"),
    _c(None, ".github/workflows/dump.yml",
       "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: printenv\n"),
    _c(None, "package.json",
       "{\n  \"scripts\": {\n    \"check-env\": \"test -n \\\"$MISTRAL_API_KEY\\\" && echo key set\"\n  }\n}\n"),
    _c(None, "cmd/check/main.go",
       "package main\n\nimport (\n\t\"log\"\n\t\"os\"\n)\n\nfunc main() {\n"
       "\tlog.Printf(\"key set: %t\", os.Getenv(\"MISTRAL_API_KEY\") != \"\")\n}\n"),
    _c(None, "docs/debug.md", "Run `echo $§MISTRAL_API_KEY` to check your shell.\n"),
    _c(None, "app/model.py", "print(f\"Using model {settings.mistral_model}\")\n"),
]

AUTH = [
    _c(9, "scripts/models.sh",
       "#!/bin/sh\ncurl §-u \"me:$MISTRAL_API_KEY\" https://api.mistral.ai/v1/models\n"),
    _c(9, "app/list_models.py",
       "import os, requests\n\nr = requests.get(\"https://api.mistral.ai/v1/models\",\n"
       "                 au§th=(\"me\", os.environ[\"MISTRAL_API_KEY\"]))\n"),
    _c(9, "app/basic.py",
       "import base64\n\nURL = \"https://api.mistral.ai/v1/chat/completions\"\n"
       "headers = {\"Author§ization\": \"Basic \" + base64.b64encode(creds).decode()}\n"),
    _c(9, "src/codestral.js",
       "import axios from 'axios';\n\nexport const models = () =>\n"
       "  axios.get('https://codestral.mistral.ai/v1/models', { au§th: { username: 'me', password: key } });\n"),
    _c(9, "app/oauth.py",
       "from requests_oauthlib import OAuth2§Session\n\nTOKEN_URL = \"https://api.mistral.ai/oa§uth/token\"\n"),
    _c(9, "app/token.py",
       "import requests\n\ndata = {\"§grant_type\": \"client_credentials\", \"client_id\": cid}\n"
       "tok = requests.post(\"https://api.mistral.ai/v1/token\", data=data)\n"),
    _c(9, "internal/mistral/client.go",
       "package mistral\n\nfunc list(key string) {\n"
       "\treq, _ := http.NewRequest(\"GET\", \"https://api.mistral.ai/v1/models\", nil)\n"
       "\treq.SetBasic§Auth(\"me\", key)\n}\n"),
    _c(9, "app/httpx_basic.py",
       "import httpx\n\nauth = httpx.Basic§Auth(username=\"me\", password=key)\n"
       "r = httpx.get(\"https://api.mistral.ai/v1/models\", auth=auth)\n"),
    _c(9, "app/src/main/kotlin/Models.kt",
       "val request = Request.Builder()\n    .url(\"https://api.mistral.ai/v1/models\")\n"
       "    .header(\"Authorization\", Credentials.ba§sic(user, key))\n    .build()\n"),
    _c(9, "requests/models.http",
       "GET https://api.mistral.ai/v1/models\nAuthor§ization: Basic {{credentials}}\n"),
]

AUTH_NEGATIVES = [
    _c(None, "scripts/models_ok.sh",
       "#!/bin/sh\ncurl -H \"Authorization: Bearer $MISTRAL_API_KEY\" https://api.mistral.ai/v1/models\n"),
    _c(None, "app/report.py",
       "import requests\n\nr = requests.get(\"https://intranet.example.com/report\", au§th=(\"me\", password))\n"),
    _c(None, "app/bearer.py",
       "URL = \"https://api.mistral.ai/v1/models\"\nheaders = {\"Authorization\": f\"Bearer {key}\"}\n"),
    _c(None, "scripts/jenkins.sh", "#!/bin/sh\ncurl -u admin:$PASS https://jenkins.example.com/api/json\n"),
    _c(None, "app/google.py",
       "from requests_oauthlib import OAuth2§Session\n\n"
       "TOKEN_URL = \"https://oauth2.googleapis.com/token\"\n"),
    _c(None, "app/httpx_bearer.py",
       "import httpx\n\nr = httpx.get(\"https://api.mistral.ai/v1/models\",\n"
       "              headers={\"Authorization\": f\"Bearer {key}\"})\n"),
    _c(None, "app/src/main/kotlin/Backend.kt",
       "val request = Request.Builder()\n    .url(\"https://backend.example.com/login\")\n"
       "    .header(\"Authorization\", Credentials.ba§sic(user, password))\n    .build()\n"),
    _c(None, "app/readme_comment.py", "# Basic usage: see https://docs.mistral.ai/api/\n"),
    _c(None, "requests/models_ok.http",
       "GET https://api.mistral.ai/v1/models\nAuthorization: Bearer {{MISTRAL_API_KEY}}\n"),
    _c(None, "src/client.ts",
       "import { Mistral } from '@mistralai/mistralai';\n"
       "export const c = new Mistral({ apiKey: process.env.MISTRAL_API_KEY });\n"),
    _c(None, "app/github_login.py",
       "MISTRAL = \"https://api.mistral.ai\"\n" + "\n" * 15
       + "data = {\"grant_type\": \"authorization_code\"}  # GitHub login\n"),
    _c(None, "docs/auth.md", "Mistral does not accept `Author§ization: Basic` for https://api.mistral.ai.\n"),
]

CASES: list[Case] = [
    *CLIENT_SIDE, *CLIENT_SIDE_NEGATIVES, *TRANSPORT, *TRANSPORT_NEGATIVES,
    *CI_LOGS, *CI_LOGS_NEGATIVES, *AUTH, *AUTH_NEGATIVES,
]


def write_corpus(root: Path) -> dict[str, Case]:
    """Write every case under `root/<nnn>/<path>`; return the cases by their written path."""
    written = {}
    for number, case in enumerate(CASES):
        relative = f"{number:03d}/{case.path}"
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(fill(case.text.replace(CUT, ""), generate_fake_key()), encoding="utf-8")
        written[relative] = case
    return written
