"""Family 11, misplaced (SHAPES.md class 6): a key pasted where a variable NAME belongs
(os.getenv("<key>"), os.environ["<key>"], process.env["<key>"], System.getenv("<key>"))
in a file that talks to Mistral."""

from __future__ import annotations

from tests.corpus.case import Case, neg, pos

F = "misplaced"


def cases() -> list[Case]:
    return [
        # D-PY-07: os.environ[...] / os.getenv(...) given the key instead of its name.
        pos(F, "src/backend/send_prompt.py", '''import os
from mistralai import Mistral

api_key = os.environ["{KEY}"]
model = "mistral-large-latest"

client = Mistral(api_key=api_key)
'''),
        pos(F, "bot/llm.py", '''import os

from langchain_mistralai import ChatMistralAI

llm = ChatMistralAI(
    model="mistral-small-latest",
    api_key=os.getenv('{KEY}'),
)
'''),
        # D-JS-04: process.env["<key>"] in a Mistral client module.
        pos(F, "lib/mistral.js", '''import { Mistral } from "@mistralai/mistralai";

const apiKey = process.env["{KEY}"];

export const client = new Mistral({ apiKey });
'''),
        pos(F, "server/routes/chat.ts", '''import { createMistral } from "@ai-sdk/mistral";

const mistral = createMistral({
  apiKey: process.env.MISTRAL_API_KEY ?? process.env['{KEY}'],
});
export default mistral;
'''),
        # D-JAVA-01: System.getenv("<key>") feeding a Mistral builder.
        pos(F, "src/main/java/com/acme/Bot.java", '''package com.acme;

import dev.langchain4j.model.mistralai.MistralAiChatModel;

public class Bot {
    static final MistralAiChatModel MODEL = MistralAiChatModel.builder()
            .apiKey(System.getenv("{KEY}"))
            .modelName("mistral-small-latest")
            .build();
}
'''),
        pos(F, "src/main/kotlin/Llm.kt", '''import dev.langchain4j.model.mistralai.MistralAiChatModel

val key: String = System.getenv("{KEY}") ?: ""
val model = MistralAiChatModel.builder().apiKey(key).build()
'''),
        # Negatives: the lookups done right, with ids nearby.
        neg(F, "src/backend/send_prompt.py", '''import os
from mistralai import Mistral

api_key = os.environ["MISTRAL_API_KEY"]
client = Mistral(api_key=api_key)
job = client.batch.jobs.get(job_id="{UUID}")
'''),
        neg(F, "lib/mistral.js", '''import { Mistral } from "@mistralai/mistralai";

const apiKey = process.env["MISTRAL_API_KEY"];
const etag = "{HEX32}";
export const client = new Mistral({ apiKey });
'''),
    ]
