"""Set-aside shapes: outputs, value lines, other clouds. Never tune on these."""

from __future__ import annotations

from dataclasses import replace

from tests.corpus.case import Case, neg, pos

# Built here so this module's own source does not look like a script printing the key
# (the project scans itself clean).
_ECHO_KEY = "echo $" + "MISTRAL_API_KEY"


def _echo(cases: list[Case]) -> list[Case]:
    return [replace(c, template=c.template.replace("{ECHO_KEY}", _ECHO_KEY)) for c in cases]


def cases() -> list[Case]:
    return _echo([
        # H-TERM-01
        pos("outputs", "docs/session.txt", '''dev@laptop:~/rag$ source .env
dev@laptop:~/rag$ {ECHO_KEY}
{KEY}
dev@laptop:~/rag$ python ingest.py --model mistral-embed
Embedded 214 chunks.
'''),
        pos("outputs", "TROUBLESHOOTING.md", '''## 401 from the API

I checked the key was exported:

```console
PS C:\\proj> $env:MISTRAL_API_KEY
{KEY}
PS C:\\proj> python app.py
mistralai.models.sdkerror.SDKError: API error occurred: Status 401
```
'''),
        neg("outputs", "docs/session.txt", '''dev@laptop:~/rag$ echo ${#MISTRAL_API_KEY}
32
dev@laptop:~/rag$ python ingest.py
job {UUIDHEX} done
'''),
        # H-XML-02
        pos("value_lines", "FaqBot/App.config", '''<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <appSettings>
    <add key="MistralApiKey"
         value="{KEY}" />
    <add key="MistralModel" value="mistral-small-latest" />
  </appSettings>
</configuration>
'''),
        pos("value_lines", "src/main/resources/mistral.xml", '''<config>
  <mistral>
    <apiKey>
      {KEY}
    </apiKey>
  </mistral>
</config>
'''),
        # H-YAML-02
        pos("value_lines", ".github/workflows/nightly.yml", '''name: nightly
on:
  schedule:
    - cron: "0 3 * * *"
jobs:
  evals:
    runs-on: ubuntu-latest
    env:
      MISTRAL_API_KEY: |
        {KEY}
    steps:
      - uses: actions/checkout@v4
      - run: python -m evals
'''),
        pos("value_lines", "helm/values.yaml", '''backend:
  mistralAPIKey:
    "{KEY}"
  existingMistralAPISecret: ""
'''),
        neg("value_lines", "FaqBot/App.config", '''<configuration>
  <appSettings>
    <add key="MistralApiKey"
         value="%MISTRAL_API_KEY%" />
    <add key="InstanceId" value="{UUID}" />
  </appSettings>
</configuration>
'''),
        # H-CS-03
        pos("other_clouds", "src/AzureMistral.cs", '''using Azure;
using Azure.AI.Inference;

var client = new ChatCompletionsClient(
    new Uri("https://mistral-large-2411-abc.eastus2.models.ai.azure.com"),
    new AzureKeyCredential("{KEY}"));
var options = new ChatCompletionsOptions { Model = "Mistral-Large-2411" };
'''),
        # H-YAML-03
        pos("other_clouds", ".continue/config.yaml", '''name: team
models:
  - name: Mistral Large (Azure)
    provider: azure
    model: mistral-large-2411
    apiBase: https://acme-ai.services.ai.azure.com/models
    apiKey: {KEY}
    env:
      apiType: azure-foundry
'''),
        neg("other_clouds", ".continue/config.yaml", '''models:
  - name: Mistral Large (Vertex AI)
    provider: mistral-vertexai
    model: mistral-large
    projectId: acme-ml
    region: us-central1
    requestId: {HEX32}
'''),
    ])
