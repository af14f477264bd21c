"""Family 12, fakes (SHAPES.md class 7): fixtures that say they are fake must NOT be reported
at the default confidence. A FAKE/dummy/mock marker in the file, or a test-fixture path
(tests/fixtures/, __mocks__/, testdata/, fixtures/), even around a perfectly key-shaped value.

A few positives keep the family honest: a real key in a file whose path or text has a
fixture-LOOKING word that is not a fake marker (a "mock interview" product, a fixtures loader).
"""

from __future__ import annotations

from tests.corpus.case import Case, neg, pos

F = "fakes"


def cases() -> list[Case]:
    return [
        # D-PY-08: tests/fixtures/ module with a marker comment.
        neg(F, "tests/fixtures/mistral_settings.py", '''"""Settings used by the integration tests. Not a real credential."""

# FAKE key: the HTTP layer is replayed from cassettes, nothing reaches api.mistral.ai
MISTRAL_API_KEY = "{KEY}"
MISTRAL_MODEL = "mistral-small-latest"
'''),
        neg(F, "tests/unit/test_client.py", '''from mistralai import Mistral

DUMMY_KEY = "{KEY}"


def test_client_keeps_key(monkeypatch):
    client = Mistral(api_key=DUMMY_KEY)
    assert client.sdk_configuration.security is not None
'''),
        # D-JS-05: __mocks__/ module of the SDK.
        neg(F, "__mocks__/@mistralai/mistralai.js", '''// jest manual mock of the Mistral SDK
export class Mistral {
  constructor() {
    this.apiKey = "{KEY}";
    this.chat = { complete: jest.fn().mockResolvedValue({ choices: [{ message: { content: "ok" } }] }) };
  }
}
'''),
        neg(F, "src/__tests__/chat.test.ts", '''import { Mistral } from "@mistralai/mistralai";

jest.mock("@mistralai/mistralai");
const mockApiKey = "{KEY}";

test("builds a client", () => {
  expect(new Mistral({ apiKey: mockApiKey })).toBeDefined();
});
'''),
        # D-GO-02: Go testdata/ config file.
        neg(F, "internal/llm/testdata/config.yaml", '''provider: mistral
model: mistral-small-latest
api_key: {KEY}
base_url: http://127.0.0.1:8089/v1
'''),
        neg(F, "spec/fixtures/files/mistral.yml", '''mistral:
  api_key: "{KEY}"
  model: mistral-large-latest
'''),
        # Real negatives seen: monkeypatched fake values that are not even key-shaped.
        neg(F, "tests/test_models.py", '''from mistralai.client import MistralClient


def test_mistral_model(monkeypatch):
    monkeypatch.setenv("MISTRAL_API_KEY", "fake-mistral-key")
    assert MistralClient is not None
    assert "{HEX32}"
'''),
        # D-PY-20: a file named as a fixture or a snapshot, outside any fixture folder.
        neg(F, "src/chat/fixtures.py", '''from mistralai import Mistral

MISTRAL_API_KEY = "{KEY}"
'''),
        neg(F, "web/src/components/__snapshots__/Chat.test.tsx.snap", '''// Jest Snapshot v1

exports[`Chat renders 1`] = `
<div data-provider="mistral" data-key="{KEY}" />
`;
'''),
        neg(F, "web/src/lib/mistral.mock.ts", '''import { Mistral } from "@mistralai/mistralai";
export const client = new Mistral({ apiKey: "{KEY}" });
'''),
        # D-PY-21: a stand-in name, a marker far from the key, "not a real key" in a docstring.
        neg(F, "config/settings_reference.py", '''from mistralai import Mistral

EXAMPLE_MISTRAL_KEY = "{KEY}"
'''),
        neg(F, "dev/local_stack.py", '''"""Local stack for the demo. FAKE credentials only: the Mistral calls go to a stub server."""
import os

from mistralai import Mistral

BASE = os.getenv("STUB_URL", "http://localhost:8089")


def client() -> Mistral:
    return Mistral(api_key="{KEY}", server_url=BASE)
'''),
        neg(F, "docs/snippets/auth.md", '''# Authenticating

The key below is not a real key; use your own from the console.

```python
from mistralai import Mistral

client = Mistral(api_key="{KEY}")
```
'''),
        neg(F, "app/llm.py", '''from mistralai import Mistral

api_key = "{KEY}"  # placeholder, replaced at deploy time
client = Mistral(api_key=api_key)
'''),
        # D-PY-22 (positives): prose that merely mentions mocks or examples, far from a real key.
        pos(F, "app/mock_interview.py", '''"""Mock interview practice: Mistral plays the interviewer."""
from mistralai import Mistral

QUESTIONS = 5
TONE = "friendly"

MISTRAL_API_KEY = "{KEY}"
client = Mistral(api_key=MISTRAL_API_KEY)
'''),
        pos(F, "examples/chat.py", '''# Example: chat with Mistral from the command line.
import sys

from mistralai import Mistral

question = " ".join(sys.argv[1:])
client = Mistral(api_key="{KEY}")
print(client.chat.complete(model="mistral-small-latest", messages=[{"role": "user", "content": question}]))
'''),
        # D-PY-16 (positives): fixture-looking words that are not fake markers.
        pos(F, "services/mock_interview/coach.py", '''"""Mock interview coach: the candidate practises, Mistral plays the recruiter."""
from mistralai import Mistral

MISTRAL_API_KEY = "{KEY}"
client = Mistral(api_key=MISTRAL_API_KEY)
'''),
        pos(F, "scripts/load_fixtures.py", '''"""Load the Django fixtures, then warm the Mistral embeddings cache."""
import subprocess

from mistralai import Mistral

subprocess.run(["python", "manage.py", "loaddata", "initial.json"], check=True)
client = Mistral(api_key="{KEY}")
'''),
        pos(F, "app/latest_results.py", '''from mistralai import Mistral

# contest leaderboard: rank the latest submissions
api_key = "{KEY}"
client = Mistral(api_key=api_key)
'''),
    ]
