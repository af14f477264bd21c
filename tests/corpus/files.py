"""Family 4: files that leak by nature (dotenv, Docker, compose, Kubernetes, CI, configs)."""

from __future__ import annotations

from tests.corpus.case import Case, neg, pos

F = "files"


def cases() -> list[Case]:
    return [
        pos(F, ".env", "DATABASE_URL=postgres://localhost/app\nMISTRAL_API_KEY={KEY}\n"),
        pos(F, ".env.example", "# copy to .env\nMISTRAL_API_KEY={KEY}\nMISTRAL_MODEL=mistral-small-latest\n"),
        pos(F, ".env.production", "LLM_PROVIDER=mistral\nLLM_MODEL=mistral-large-latest\nAPI_KEY={KEY}\n"),
        pos(F, "Dockerfile", '''FROM python:3.12-slim
WORKDIR /app
COPY . .
ARG MISTRAL_API_KEY={KEY}
RUN pip install -r requirements.txt
CMD ["python", "-m", "bot"]
'''),
        pos(F, "docker/Dockerfile.worker", '''FROM node:20
# worker that calls mistral-small-latest
ENV NODE_ENV=production API_KEY={KEY}
CMD ["node", "worker.js"]
'''),
        pos(F, "docker-compose.yml", '''services:
  api:
    build: .
    environment:
      - MISTRAL_API_KEY={KEY}
      - PORT=8000
'''),
        pos(F, "compose.yaml", '''services:
  chat:
    image: ghcr.io/acme/mistral-chat:1.4
    environment:
      LOG_LEVEL: info
      API_KEY: "{KEY}"
'''),
        pos(F, "deploy/k8s/secret.yaml", '''apiVersion: v1
kind: Secret
metadata:
  name: mistral-credentials
type: Opaque
data:
  api-key: {KEY_B64}
'''),
        pos(F, "deploy/k8s/secret-env.yaml", '''apiVersion: v1
kind: Secret
metadata:
  name: chat
  namespace: prod
data:
  LOG_LEVEL: ZGVidWc=
  MISTRAL_API_KEY: {KEY_B64}
'''),
        pos(F, "deploy/helm/templates/secret.yaml", '''apiVersion: v1
kind: Secret
metadata:
  name: mistral
stringData:
  token: "{KEY}"
'''),
        pos(F, ".github/workflows/evals.yml", '''name: evals
on: [push]
jobs:
  run:
    runs-on: ubuntu-latest
    env:
      MISTRAL_API_KEY: {KEY}
    steps:
      - uses: actions/checkout@v4
      - run: python evals.py
'''),
        pos(F, ".gitlab-ci.yml", '''# nightly prompt regression against mistral-large-latest
variables:
  API_KEY: "{KEY}"
test:
  script:
    - python -m evals
'''),
        pos(F, ".circleci/config.yml", '''version: 2.1
jobs:
  test:
    docker:
      - image: cimg/python:3.12
    environment:
      MISTRAL_API_KEY: {KEY}
    steps:
      - checkout
'''),
        pos(F, "azure-pipelines.yml", '''trigger: [main]
variables:
  MISTRAL_API_KEY: '{KEY}'
steps:
  - script: pytest
'''),
        pos(F, ".continue/config.yaml", '''name: workspace
models:
  - name: Mistral Large
    provider: mistral
    model: mistral-large-latest
    apiKey: {KEY}
'''),
        pos(F, ".vibe/config.toml", '''active_model = "devstral"

[[providers]]
name = "mistral"
api_base = "https://api.mistral.ai/v1"
api_key = "{KEY}"
'''),
        pos(F, "config/app.ini", '''[server]
port = 8080

[mistral]
model = mistral-small-latest
api_key = {KEY}
'''),
        pos(F, "scripts/setup.sh", '''#!/usr/bin/env bash
# Bootstrap the dev box for the mistral bot.
export API_KEY="{KEY}"
python -m bot
'''),
        pos(F, "src/ingest.py", '''def ingest(path):
    """Load documents and embed them.

    Note: the Mistral API key is {KEY} until we move to the vault.
    """
'''),
        pos(F, "README.md", '''# Support bot

For the demo use our Mistral API key: `{KEY}` (do not share).
'''),
        pos(F, "config/config.json", '''{
  "server": {"port": 3000},
  "mistralApiKey": "{KEY}"
}
'''),
        pos(F, ".github/workflows/review.yml", '''name: review
on: [pull_request]
jobs:
  review:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/mistral-code-review@v2
        with:
          api_key: {KEY}
'''),
        pos(F, "infra/variables.tf", '''variable "region" {
  default = "eu-west-3"
}

variable "mistral_api_key" {
  type      = string
  sensitive = true
  default   = "{KEY}"
}
'''),
        neg(F, ".env.example", "MISTRAL_API_KEY=\nMISTRAL_MODEL=mistral-small-latest\n"),
        neg(F, ".env", "MISTRAL_API_KEY=your-mistral-api-key\nSESSION_SECRET={RANDOM32}\n"),
        neg(F, ".env.test", "# mistral sandbox\nMISTRAL_API_KEY=${MISTRAL_API_KEY}\nBUILD_ID={UUIDHEX}\n"),
        neg(F, "Dockerfile", '''FROM python:3.12-slim
ARG MISTRAL_API_KEY
ENV GIT_SHA={SHA1}
RUN --mount=type=secret,id=mistral_api_key python warmup.py
'''),
        neg(F, "docker-compose.yml", '''services:
  api:
    image: acme/mistral-api@sha256:{SHA256}
    environment:
      - MISTRAL_API_KEY=${MISTRAL_API_KEY}
'''),
        neg(F, "deploy/k8s/secret.yaml", '''apiVersion: v1
kind: Secret
metadata:
  name: mistral-credentials
data:
  ca.crt: {B64}
'''),
        neg(F, "deploy/k8s/configmap.yaml", '''apiVersion: v1
kind: ConfigMap
metadata:
  name: mistral
data:
  request-id: {RANDOM32}
'''),
        neg(F, ".github/workflows/evals.yml", '''jobs:
  run:
    env:
      MISTRAL_API_KEY: ${{ secrets.MISTRAL_API_KEY }}
    steps:
      - uses: actions/cache@v4
        with:
          key: pip-{HEX32}
'''),
        neg(F, ".gitlab-ci.yml", '''variables:
  MISTRAL_API_KEY: $MISTRAL_API_KEY
  CACHE_KEY: {UUIDHEX}
'''),
        neg(F, ".continue/config.yaml", '''models:
  - name: Mistral Large
    provider: mistral
    apiKey: ${{ secrets.MISTRAL_API_KEY }}
'''),
        neg(F, ".vibe/config.toml", '''[[providers]]
name = "mistral"
api_key_env_var = "MISTRAL_API_KEY"
session = "{UUID}"
'''),
        neg(F, "scripts/setup.sh", '''export MISTRAL_API_KEY="$(pass show mistral/api-key)"
RUN_ID={RANDOM32}
'''),
        neg(F, "package-lock.json", '''{
  "packages": {
    "node_modules/@mistralai/mistralai": {
      "version": "1.5.0",
      "resolved": "https://registry.npmjs.org/@mistralai/mistralai/-/mistralai-1.5.0.tgz",
      "integrity": "{INTEGRITY}"
    }
  }
}
'''),
        neg(F, "poetry.lock", '''[[package]]
name = "mistralai"
version = "1.2.0"
files = [
    {file = "mistralai-1.2.0-py3-none-any.whl", hash = "sha256:{SHA256}"},
]
'''),
    ]
