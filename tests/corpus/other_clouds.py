"""Family 13, other clouds (SHAPES.md class 8): Mistral models served by Azure AI
(MistralAzure, *.inference.ai.azure.com, *.services.ai.azure.com) and Vertex AI (MistralGCP,
publishers/mistralai): their keys and tokens."""

from __future__ import annotations

from tests.corpus.case import Case, neg, pos

F = "other_clouds"


def cases() -> list[Case]:
    return [
        # D-PY-10: MistralAzure with the key literal and a services.ai.azure.com endpoint.
        pos(F, "azure/chat.py", '''import os

from mistralai_azure import MistralAzure

AZURE_KEY = "{KEY}"

client = MistralAzure(
    azure_api_key=AZURE_KEY,
    azure_endpoint="https://acme-foundry.services.ai.azure.com/models",
)
res = client.chat.complete(messages=[{"role": "user", "content": "Bonjour"}])
'''),
        pos(F, "cloud/azure_client.py", '''from mistralai.azure.client import MistralAzure

client = MistralAzure(azure_endpoint="https://Mistral-large-2411-xyz.swedencentral.models.ai.azure.com",
                      azure_api_key='{KEY}')
'''),
        # D-PY-11: azure-ai-inference client, AzureKeyCredential, a Mistral deployment.
        pos(F, "wrappers/mistral_wrapper.py", '''from azure.ai.inference import ChatCompletionsClient
from azure.core.credentials import AzureKeyCredential


class MistralWrapper:
    def __init__(self) -> None:
        self.client = ChatCompletionsClient(
            endpoint="https://Mistral-Large-2411-fbtnd.eastus2.inference.ai.azure.com",
            credential=AzureKeyCredential("{KEY}"),
        )
        self.model_name = "Mistral-Large-2411"
'''),
        pos(F, "azure/openai_compat.py", '''from openai import OpenAI

AZURE_MISTRAL_ENDPOINT = "https://mistral-nemo-abcd.westeurope.inference.ai.azure.com/v1"
AZURE_MISTRAL_KEY = "{KEY}"

client = OpenAI(base_url=AZURE_MISTRAL_ENDPOINT, api_key=AZURE_MISTRAL_KEY)
resp = client.chat.completions.create(model="mistral-nemo", messages=[])
'''),
        # D-PY-12: litellm with an Azure AI api_base serving Mistral.
        pos(F, "router/azure_mistral.py", '''from litellm import completion

response = completion(
    model="azure_ai/mistral-large-2411",
    api_base="https://mistral-large-dfgfj.eastus2.inference.ai.azure.com",
    api_key="{KEY}",
    messages=[{"role": "user", "content": "hello"}],
)
'''),
        pos(F, "proxy/config.yaml", '''model_list:
  - model_name: mistral-azure
    litellm_params:
      model: azure_ai/Mistral-large-2411
      api_base: https://Mistral-large-2411-qwe.eastus2.models.ai.azure.com
      api_key: {KEY}
'''),
        # D-TS-04: the TypeScript MistralAzure client.
        pos(F, "src/azure.ts", '''import { MistralAzure } from "@mistralai/mistralai-azure";

const mistralAzure = new MistralAzure({
  apiKey: "{KEY}",
  endpoint: "https://acme.westeurope.inference.ai.azure.com",
});
export default mistralAzure;
'''),
        pos(F, ".env.azure", '''AZURE_AI_ENDPOINT=https://mistral-small-2503-x.swedencentral.services.ai.azure.com
AZURE_AI_KEY={KEY}
AZURE_AI_MODEL=mistral-small-2503
'''),
        # D-SH-01: Vertex AI rawPredict for a Mistral publisher model with a pasted token.
        pos(F, "scripts/vertex_codestral.sh", '''#!/usr/bin/env bash
set -euo pipefail
PROJECT_ID=acme-ml
REGION=us-central1
MODEL=codestral-2501
TOKEN="{KEY}"   # pasted from the console, expires anyway

curl -s -X POST \\
  -H "Authorization: Bearer ${TOKEN}" \\
  -H "Content-Type: application/json" \\
  "https://${REGION}-aiplatform.googleapis.com/v1/projects/${PROJECT_ID}/locations/${REGION}/publishers/mistralai/models/${MODEL}:rawPredict" \\
  -d '{"model": "codestral", "prompt": "def fib(n):", "suffix": ""}'
'''),
        pos(F, "vertex/chat.py", '''import httpx

URL = ("https://europe-west4-aiplatform.googleapis.com/v1/projects/acme/locations/europe-west4/"
       "publishers/mistralai/models/mistral-large-2411:rawPredict")
headers = {"Authorization": "Bearer {KEY}"}
httpx.post(URL, headers=headers, json={"model": "mistral-large", "messages": []})
'''),
        # Negatives seen for real: env lookups, ADC, redacted doc values, other providers.
        neg(F, "azure/chat.py", '''import os

from mistralai_azure import MistralAzure

client = MistralAzure(azure_api_key=os.environ["AZURE_API_KEY"],
                      azure_endpoint=os.environ["AZURE_ENDPOINT"])
deployment_id = "{UUID}"
'''),
        neg(F, "vertex/chat.py", '''import os

from mistralai_gcp import MistralGoogleCloud

client = MistralGoogleCloud(region=os.environ["GOOGLE_CLOUD_REGION"],
                            project_id=os.environ["GOOGLE_CLOUD_PROJECT_ID"])
request_id = "{HEX32}"
'''),
        neg(F, "docs/azure.md", '''## Mistral on Azure AI

```shell
MISTRAL_AZURE_API_KEY = "zE************"
MISTRAL_AZURE_API_BASE = "https://Mistral-large-nmefg-serverless.eastus2.inference.ai.azure.com/v1"
```
Deployment id: `{UUIDHEX}`
'''),
    ]
