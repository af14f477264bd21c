"""Set-aside shapes: fakes and classic variants, with real negatives. Never tune on these."""

from __future__ import annotations

from tests.corpus.case import Case, neg, pos


def cases() -> list[Case]:
    return [
        # H-PY-01
        neg("fakes", "tests/data/mistral_env.py", '''# Not a real key: generated for the unit tests of the config loader.
EXAMPLE_MISTRAL_KEY = "{KEY}"
'''),
        neg("fakes", "src/test/resources/application-test.properties", '''spring.ai.mistralai.api-key={KEY}
spring.ai.mistralai.base-url=http://localhost:${wiremock.server.port}
'''),
        # H-PY-02
        pos("fakes", "app/testimonials/summarise.py", '''"""Summarise customer testimonials with Mistral."""
from mistralai import Mistral

client = Mistral(api_key="{KEY}")
'''),
        # H-PY-03
        pos("variants", "app/llm.py", '''import os

from mistralai import Mistral

client = Mistral(api_key=os.getenv("MISTRAL_API_KEY", "{KEY}"))
'''),
        # H-R-01
        pos("variants", "R/setup.R", '''library(mistral.ai)

Sys.setenv(MISTRAL_API_KEY = "{KEY}")
models()
'''),
        pos("variants", ".Renviron", '''MISTRAL_API_KEY={KEY}
R_MAX_VSIZE=8Gb
'''),
        # H-NEG-01, H-NEG-02
        neg("variants", "docs/setup.md", '''1. Create a key at https://console.mistral.ai/api-keys
2. Put it in `.env`: `MISTRAL_API_KEY=<MISTRAL_API_KEY>`
3. Example completion id: `{HEX32}`, batch job `{UUID}`.
'''),
        neg("variants", "infra/variables.tf", '''variable "mistral" {
  type = object({
    api_key = string
  })
  sensitive = true
}

variable "state_lock_id" {
  default = "{UUIDHEX}"
}
'''),
    ]
