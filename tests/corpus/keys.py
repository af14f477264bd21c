"""Family 1: key literals anchored on a Mistral name, client, framework or file context."""

from __future__ import annotations

from tests.corpus.case import Case, neg, pos

F = "keys"


def cases() -> list[Case]:
    return [
        pos(F, "app/settings.py", '''"""Settings for the support bot."""
import os

DEBUG = os.getenv("DEBUG") == "1"
MISTRAL_API_KEY = "{KEY}"
MODEL = "mistral-large-latest"
'''),
        pos(F, "bot/client.py", '''from mistralai import Mistral

client = Mistral(api_key="{KEY}")
resp = client.chat.complete(model="mistral-small-latest", messages=[{"role": "user", "content": "hi"}])
'''),
        pos(F, "legacy/chat.py", '''from mistralai.client import MistralClient
from mistralai.models.chat_completion import ChatMessage

client = MistralClient("{KEY}")
'''),
        pos(F, "cloud/azure.py", '''from mistralai_azure import MistralAzure

client = MistralAzure(
    azure_endpoint="https://acme.westeurope.inference.ai.azure.com",
    azure_api_key="{KEY}",
)
'''),
        pos(F, "web/src/lib/mistral.ts", '''import { Mistral } from "@mistralai/mistralai";

export const client = new Mistral({ apiKey: "{KEY}" });
'''),
        pos(F, "rag/chain.py", '''from langchain_mistralai import ChatMistralAI
from langchain_core.prompts import ChatPromptTemplate

llm = ChatMistralAI(model="mistral-large-latest", temperature=0, api_key="{KEY}")
'''),
        pos(F, "rag/index.py", '''from llama_index.llms.mistralai import MistralAI
from llama_index.core import Settings

Settings.llm = MistralAI(model="mistral-medium-latest", api_key="{KEY}")
'''),
        pos(F, "agents/router.py", '''import litellm

def ask(prompt: str) -> str:
    response = litellm.completion(
        model="mistral/mistral-small-latest",
        messages=[{"role": "user", "content": prompt}],
        api_key="{KEY}",
    )
    return response.choices[0].message.content
'''),
        pos(F, "web/app/api/chat/route.ts", '''import { createMistral } from "@ai-sdk/mistral";
import { streamText } from "ai";

const mistral = createMistral({ apiKey: "{KEY}" });

export async function POST(req: Request) {
  const { messages } = await req.json();
  return streamText({ model: mistral("mistral-large-latest"), messages }).toDataStreamResponse();
}
'''),
        pos(F, "agent/main.py", '''from pydantic_ai import Agent
from pydantic_ai.models.mistral import MistralModel
from pydantic_ai.providers.mistral import MistralProvider

model = MistralModel("mistral-large-latest", provider=MistralProvider(api_key="{KEY}"))
agent = Agent(model)
'''),
        pos(F, "pipeline/build.py", '''from haystack import Pipeline
from haystack.utils import Secret
from haystack_integrations.components.generators.mistral import MistralChatGenerator

pipe = Pipeline()
pipe.add_component("llm", MistralChatGenerator(api_key=Secret.from_token("{KEY}")))
'''),
        pos(F, "src/main/java/com/acme/Assistant.java", '''package com.acme;

import dev.langchain4j.model.mistralai.MistralAiChatModel;

public class Assistant {
    ChatModel model = MistralAiChatModel.builder()
            .apiKey("{KEY}")
            .modelName("mistral-large-latest")
            .build();
}
'''),
        pos(F, "cmd/bot/main.go", '''package main

import (
	"fmt"

	"github.com/gage-technologies/mistral-go"
)

func main() {
	client := mistral.NewMistralClientDefault("{KEY}")
	fmt.Println(client)
}
'''),
        pos(F, "Sources/App/Chat.swift", '''import Foundation
import MistralKit

let client = MistralClient(apiKey: "{KEY}")
'''),
        pos(F, "android/app/src/main/kotlin/Chat.kt", '''package com.acme.chat

val client = MistralClient(apiKey = "{KEY}")
'''),
        pos(F, "src/main/resources/application.yml", '''server:
  port: 8080
spring:
  ai:
    mistralai:
      chat:
        options:
          model: mistral-small-latest
      api-key: {KEY}
'''),
        pos(F, "src/main/resources/application.properties", '''server.port=8080
spring.ai.mistralai.api-key={KEY}
spring.ai.mistralai.chat.options.model=mistral-large-latest
'''),
        pos(F, "summarise.py", '''#!/usr/bin/env python3
"""Summarise a text file with Mistral."""
import sys

from mistralai import Mistral

# --- configuration --------------------------------------------------------
API_KEY = "{KEY}"
MODEL = "mistral-small-latest"
MAX_TOKENS = 512
TEMPERATURE = 0.2
RETRIES = 3
TIMEOUT = 30
# --------------------------------------------------------------------------


def main() -> None:
    client = Mistral(api_key=API_KEY)
    text = open(sys.argv[1]).read()
    print(client.chat.complete(model=MODEL, messages=[{"role": "user", "content": text}]))
'''),
        pos(F, "web/src/config.js", '''import { Mistral } from "@mistralai/mistralai";

const config = {
  port: 3000,
  apiKey: "{KEY}",
};

export const client = new Mistral(config);
'''),
        pos(F, "config/llm.yaml", '''llm:
  mistral:
    model: mistral-large-latest
    temperature: 0.3
    api_key: "{KEY}"
'''),
        pos(F, "config/settings.toml", '''[server]
port = 8000

[mistral]
model = "mistral-small-latest"
api_key = "{KEY}"
'''),
        pos(F, "web/server.js", '''import express from "express";

const app = express();
const key = process.env.MISTRAL_API_KEY || "{KEY}";
app.listen(3000);
'''),
        pos(F, "config/llm.json", '{"llm": {"mistral": {"model": "mistral-small-latest", "apiKey": "{KEY}"}}}\n'),
        pos(F, "tests/conftest.py", '''import os

import pytest

os.environ.setdefault("MISTRAL_API_KEY", "{KEY}")
'''),
        pos(F, "src/main/kotlin/Bot.kt", '''import dev.langchain4j.model.mistralai.MistralAiChatModel

val model = MistralAiChatModel.builder()
    .apiKey("{KEY}")
    .build()
'''),
        pos(F, "src/main.rs", '''use mistralai_client::v1::client::Client;

fn main() {
    let api_key = "{KEY}";
    let client = Client::new(Some(api_key.to_string()), None, None, None).unwrap();
}
'''),
        pos(F, "proxy/litellm_config.yaml", '''model_list:
  - model_name: mistral-small
    litellm_params:
      model: mistral/mistral-small-latest
      api_key: {KEY}
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
'''),
        pos(F, "internal/ai/client.go", '''package ai

import "github.com/acme/mistral-sdk-go/mistral"

func New() *mistral.Client {
	return mistral.NewClient(mistral.WithAPIKey("{KEY}"), mistral.WithTimeout(30))
}
'''),
        neg(F, "proxy/litellm_config.yaml", '''model_list:
  - model_name: mistral-small
    litellm_params:
      model: mistral/mistral-small-latest
      api_key: os.environ/MISTRAL_API_KEY
      request_id: {HEX32}
'''),
        pos(F, "app/config.py", '''from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    app_name: str = "support-bot"
    mistral_api_key: str = "{KEY}"
    mistral_model: str = "mistral-small-latest"
'''),
        pos(F, "gateway/keys.py", '''import os

PROVIDER_KEYS = {
    "openai": os.environ.get("OPENAI_API_KEY"),
    "mistral": "{KEY}",
}
'''),
        pos(F, "config/agents.yaml", '''agents:
  summariser:
    llm:
      provider: mistral
      model: mistral-large-latest
      temperature: 0.2
      api_key: {KEY}
'''),
        pos(F, "app/defaults.py", '''CONFIG = {"mistral": {"model": "mistral-small-latest", "api_key": "{KEY}"}}
'''),
        neg(F, "gateway/checksums.py", '''MODEL_SHA = {
    "mistral": "{HEX32}",
    "codestral": "{HEX32}",
}
RUN = {"mistral": "{UUID}"}
'''),
        neg(F, "app/config.py", '''from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    mistral_api_key: str = ""
    mistral_model: str = "mistral-small-latest"
    mistral_request_id: str = "{UUIDHEX}"
'''),
        neg(F, "app/settings.py", '''import os

MISTRAL_API_KEY = os.environ["MISTRAL_API_KEY"]
MISTRAL_MODEL = "mistral-large-latest"
'''),
        neg(F, "bot/client.py", '''import os
from mistralai import Mistral

client = Mistral(api_key=os.getenv("MISTRAL_API_KEY"))
request_id = "{RANDOM32}"
'''),
        neg(F, "web/src/lib/mistral.ts", '''import { Mistral } from "@mistralai/mistralai";

export const client = new Mistral({ apiKey: process.env.MISTRAL_API_KEY ?? "" });
const cacheKey = "{RANDOM32}";
'''),
        neg(F, "rag/chain.py", '''from langchain_mistralai import ChatMistralAI

llm = ChatMistralAI(model="mistral-large-latest")  # reads MISTRAL_API_KEY
session_id = "{RANDOM32}"
'''),
        neg(F, "agents/router.py", '''import litellm

resp = litellm.completion(model="mistral/mistral-small-latest", messages=m)
print(resp["id"])  # e.g. "{HEX32}"
'''),
        neg(F, "hf/infer.py", '''from huggingface_hub import InferenceClient

client = InferenceClient("mistralai/Mistral-7B-Instruct-v0.3", token="hf_{RANDOM32}")
'''),
        neg(F, "together/run.py", '''from together import Together

api_key = "{RANDOM32}"
client = Together(api_key=api_key)
client.chat.completions.create(model="mistralai/Mixtral-8x7B-Instruct-v0.1", messages=m)
'''),
        neg(F, "src/main/resources/application.properties", '''spring.ai.mistralai.api-key=${MISTRAL_API_KEY}
spring.ai.mistralai.chat.options.model=mistral-large-latest
management.endpoints.web.exposure.include=health
'''),
        neg(F, "cmd/bot/main.go", '''package main

import (
	"os"

	"github.com/gage-technologies/mistral-go"
)

var buildID = "{UUIDHEX}"

func main() {
	client := mistral.NewMistralClientDefault(os.Getenv("MISTRAL_API_KEY"))
	_ = client
}
'''),
        neg(F, "responses/sample.json", '''{
  "id": "{HEX32}",
  "object": "chat.completion",
  "model": "mistral-small-latest",
  "choices": [{"index": 0, "message": {"role": "assistant", "content": "Bonjour"}}]
}
'''),
        neg(F, "docs/config.md", '''# Configuration

Set `MISTRAL_API_KEY=<your-api-key>` or `MISTRAL_API_KEY=YOUR_MISTRAL_API_KEY` before running.
A redacted key looks like `abcd****************************`.
'''),
        neg(F, "web/src/env.ts", '''export const env = {
  mistralApiKey: process.env.MISTRAL_API_KEY,
  mistralKeyHash: "{SHA256}",
};
'''),
    ]
