"""Family 10, where the value is (SHAPES.md class 5): the name on one line, the value on
another (plist <key>/<string>, XML, multi-line YAML/JSON, HCL blocks). The label is the
VALUE's line."""

from __future__ import annotations

from tests.corpus.case import Case, neg, pos

F = "value_lines"

_PLIST_HEAD = '''<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>CFBundleDisplayName</key>
	<string>SkyLine</string>
'''


def cases() -> list[Case]:
    return [
        # D-PLIST-01: iOS Info.plist, <key>NAME</key> then <string>value</string>.
        pos(F, "SkyLine/Info.plist", _PLIST_HEAD + '''	<key>MISTRAL_API_KEY</key>
	<string>{KEY}</string>
	<key>NSCameraUsageDescription</key>
	<string>Scan receipts</string>
</dict>
</plist>
'''),
        pos(F, "Receipts/Config.plist", _PLIST_HEAD + '''	<key>MistralAPIKey</key>

	<string>{KEY}</string>
	<key>MistralModel</key>
	<string>pixtral-12b-latest</string>
</dict>
</plist>
'''),
        # D-XML-01: XML with the name in an attribute and the value in a child element.
        pos(F, "src/main/resources/beans.xml", '''<?xml version="1.0" encoding="UTF-8"?>
<beans xmlns="http://www.springframework.org/schema/beans">
  <bean id="chatModel" class="dev.langchain4j.model.mistralai.MistralAiChatModel" factory-method="withApiKey">
    <constructor-arg name="apiKey">
      <value>{KEY}</value>
    </constructor-arg>
  </bean>
</beans>
'''),
        pos(F, "app/src/main/res/values/secrets.xml", '''<?xml version="1.0" encoding="utf-8"?>
<resources>
    <string name="mistral_api_key"
        translatable="false">{KEY}</string>
    <string name="app_name">Chat</string>
</resources>
'''),
        # D-YAML-01: name/value list entries (k8s env, compose, ECS) on separate lines.
        pos(F, "deploy/k8s/deployment.yaml", '''apiVersion: apps/v1
kind: Deployment
metadata:
  name: rag-api
spec:
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/rag-api:1.4.0
          env:
            - name: MISTRAL_API_KEY
              value: "{KEY}"
            - name: LOG_LEVEL
              value: info
'''),
        pos(F, "config/llm.yaml", '''providers:
  mistral:
    model: mistral-large-latest
    api_key: >-
      {KEY}
    timeout: 30
'''),
        # D-JSON-01: JSON key/value objects (Postman environment, ECS task definition).
        pos(F, "postman/Mistral.postman_environment.json", '''{
  "id": "0d3c1b2a-5f64-4e0b-9d1e-2c8f1a7e6b10",
  "name": "Mistral prod",
  "values": [
    {
      "key": "mistral_api_key",
      "value": "{KEY}",
      "type": "secret",
      "enabled": true
    },
    {"key": "base_url", "value": "https://api.mistral.ai/v1", "type": "default", "enabled": true}
  ]
}
'''),
        pos(F, "infra/taskdef.json", '''{
  "family": "summarizer",
  "containerDefinitions": [
    {
      "name": "worker",
      "environment": [
        {
          "name": "MISTRAL_API_KEY",
          "value":
            "{KEY}"
        }
      ]
    }
  ]
}
'''),
        # D-HCL-01: Terraform variable block whose default is the key.
        pos(F, "infra/variables.tf", '''variable "mistral_api_key" {
  type        = string
  description = "Mistral API key"
  sensitive   = true
  default     = "{KEY}"
}

variable "region" {
  type    = string
  default = "eu-west-3"
}
'''),
        pos(F, "infra/secrets.tf", '''resource "aws_secretsmanager_secret_version" "mistral" {
  secret_id = aws_secretsmanager_secret.mistral.id
  secret_string = jsonencode({
    MISTRAL_API_KEY = "{KEY}"
  })
}
'''),
        # D-PROP-01: a .properties value continued on the next line.
        pos(F, "src/main/resources/application.properties", '''spring.application.name=helpdesk
spring.ai.mistralai.api-key=\\
    {KEY}
spring.ai.mistralai.chat.options.model=mistral-small-latest
'''),
        # D-DOCKER-01 / D-SH-02: a backslash continuation after ENV / export.
        pos(F, "docker/Dockerfile", '''FROM python:3.12-slim
WORKDIR /app
ENV MISTRAL_API_KEY=\\
    {KEY}
RUN pip install --no-cache-dir mistralai
'''),
        pos(F, "scripts/env.sh", '''#!/usr/bin/env bash
set -euo pipefail
export MISTRAL_API_KEY=\\
  {KEY}
python -m bot.serve
'''),
        # D-HCL-02: a heredoc under a Mistral-named local.
        pos(F, "infra/locals.tf", '''locals {
  region          = "eu-west-3"
  mistral_api_key = <<-EOT
{KEY}
EOT
}
'''),
        # D-TOML-02: a TOML multi-line basic string.
        pos(F, "config/settings.toml", '''[llm]
provider = "mistral"
mistral_api_key = """
{KEY}"""
'''),
        # D-XML-02: an XML element whose text is the key, on its own line.
        pos(F, "conf/app-config.xml", '''<?xml version="1.0"?>
<settings>
  <mistralApiKey>
    {KEY}
  </mistralApiKey>
  <model>mistral-large-latest</model>
</settings>
'''),
        # D-YAML-02: a YAML sequence of keys under a nested Mistral section.
        pos(F, "config/rotation.yaml", '''llm:
  mistral:
    api_keys:
      - {KEY}
    model: mistral-small-latest
'''),
        # D-PY-19: a Python parenthesised string under its name.
        pos(F, "bot/settings.py", '''from mistralai import Mistral

MISTRAL_API_KEY = (
    "{KEY}"
)
client = Mistral(api_key=MISTRAL_API_KEY)
'''),
        # D-PY-25: a keyword argument whose value starts on the next line, inside a call
        # that is not the client's.
        pos(F, "bot/config.py", '''from mistralai import Mistral

settings = dict(
    api_key=
        "{KEY}",
    timeout_ms=30_000,
)
client = Mistral(**settings)
'''),
        # Negatives: a value under a block that is not a credential, though a Mistral name
        # sits above it; a continued id.
        neg(F, "deploy/values.yaml", '''mistral_api_key: ${MISTRAL_API_KEY}
trace:
  value: {RANDOM32}
'''),
        neg(F, "src/main/resources/tracing.properties", '''spring.ai.mistralai.api-key=${MISTRAL_API_KEY}
tracing.request.id=\\
    {RANDOM32}
'''),
        # Negatives seen for real: placeholders in the value line, env references.
        neg(F, "SkyLine/Info.plist", _PLIST_HEAD + '''	<key>MISTRAL_API_KEY</key>
	<string>YOUR_ACTUAL_KEY_HERE</string>
	<key>BuildUUID</key>
	<string>{UUID}</string>
</dict>
</plist>
'''),
        neg(F, "deploy/k8s/deployment.yaml", '''env:
  - name: MISTRAL_API_KEY
    valueFrom:
      secretKeyRef:
        name: mistral
        key: api-key
  - name: CONFIG_SHA
    value: "{SHA1}"
'''),
        neg(F, "infra/variables.tf", '''variable "mistral_api_key" {
  type      = string
  sensitive = true
  default   = ""
}

variable "jwt_key_id" {
  default = "{HEX32}"
}
'''),
    ]
