"""Family 3: literal bearer headers in requests to Mistral, in every common form."""

from __future__ import annotations

from tests.corpus.case import Case, neg, pos

F = "bearer"


def cases() -> list[Case]:
    return [
        pos(F, "client/http.py", '''import requests

URL = "https://api.mistral.ai/v1/chat/completions"
HEADERS = {
    "Content-Type": "application/json",
    "Authorization": "Bearer {KEY}",
}
requests.post(URL, headers=HEADERS, json={"model": "mistral-small-latest"})
'''),
        pos(F, "client/async_http.py", '''import httpx

async def models():
    async with httpx.AsyncClient(base_url="https://api.mistral.ai/v1") as c:
        return await c.get("/models", headers={"Authorization": "Bearer {KEY}"})
'''),
        pos(F, "web/src/api.js", '''import axios from "axios";

export const mistral = axios.create({
  baseURL: "https://api.mistral.ai/v1",
  headers: { Authorization: "Bearer {KEY}" },
});
'''),
        pos(F, "web/src/fetch.ts", '''export async function chat(body: unknown) {
  const res = await fetch("https://api.mistral.ai/v1/chat/completions", {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer {KEY}`,
    },
    body: JSON.stringify(body),
  });
  return res.json();
}
'''),
        pos(F, "app/src/main/java/com/acme/Api.java", '''Request request = new Request.Builder()
        .url("https://api.mistral.ai/v1/models")
        .addHeader("Authorization", "Bearer {KEY}")
        .build();
'''),
        pos(F, "Sources/Net/Client.swift", '''var request = URLRequest(url: URL(string: "https://api.mistral.ai/v1/models")!)
request.httpMethod = "GET"
request.setValue("Bearer {KEY}", forHTTPHeaderField: "Authorization")
'''),
        pos(F, "internal/llm/client.go", '''package llm

import "net/http"

func newRequest() (*http.Request, error) {
	req, err := http.NewRequest("GET", "https://api.mistral.ai/v1/models", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer {KEY}")
	return req, nil
}
'''),
        pos(F, "scripts/models.sh", '''#!/bin/sh
curl --location https://api.mistral.ai/v1/models \\
  --header 'Accept: application/json' \\
  --header 'Authorization: Bearer {KEY}'
'''),
        pos(F, "requests/mistral.http", '''### Chat
POST https://api.mistral.ai/v1/chat/completions
Content-Type: application/json
Authorization: Bearer {KEY}

{"model": "mistral-small-latest", "messages": [{"role": "user", "content": "hi"}]}
'''),
        pos(F, "docs/API.md", '''# Calling the API

```bash
curl https://api.mistral.ai/v1/chat/completions \\
  -H "Authorization: Bearer {KEY}" \\
  -d @body.json
```
'''),
        pos(F, "postman/Mistral.postman_collection.json", '''{
  "info": {"name": "Mistral", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
  "item": [
    {
      "name": "List models",
      "request": {
        "method": "GET",
        "header": [],
        "url": {"raw": "https://api.mistral.ai/v1/models"}
      }
    }
  ],
  "auth": {
    "type": "bearer",
    "bearer": [
      {"key": "token", "value": "{KEY}", "type": "string"}
    ]
  }
}
'''),
        pos(F, "insomnia/export.json", '''{
  "_type": "export",
  "resources": [
    {
      "_type": "request",
      "name": "Models",
      "url": "https://api.mistral.ai/v1/models",
      "authentication": {"type": "bearer", "token": "{KEY}", "prefix": ""}
    }
  ]
}
'''),
        pos(F, "scripts/chat.sh", '''#!/bin/sh
curl -sS -X POST \\
  -H "Authorization: Bearer {KEY}" \\
  -H "Content-Type: application/json" \\
  -d @payload.json \\
  https://api.mistral.ai/v1/chat/completions
'''),
        pos(F, "docs/TROUBLESHOOTING.md", '''## 401 Unauthorized

If `https://api.mistral.ai/v1/models` answers 401, check the header. It worked with:

    GET /v1/models HTTP/1.1
    Host: api.mistral.ai
    Authorization: Bearer {KEY}
'''),
        neg(F, "client/http.py", '''import os, requests

HEADERS = {"Authorization": f"Bearer {os.environ['MISTRAL_API_KEY']}"}
requests.get("https://api.mistral.ai/v1/models", headers=HEADERS)
'''),
        neg(F, "web/src/fetch.ts", '''await fetch("https://api.mistral.ai/v1/models", {
  headers: { Authorization: `Bearer ${process.env.MISTRAL_API_KEY}` },
});
'''),
        neg(F, "web/src/api.js", '''const headers = { Authorization: "Bearer " + apiKey }; // api.mistral.ai
const traceId = "{UUIDHEX}";
'''),
        neg(F, "scripts/models.sh", '''curl https://api.mistral.ai/v1/models -H "Authorization: Bearer $MISTRAL_API_KEY"
curl https://api.mistral.ai/v1/models -H "Authorization: Bearer ${MISTRAL_API_KEY}"
'''),
        neg(F, "docs/API.md", '''Send `Authorization: Bearer <YOUR_KEY>` to https://api.mistral.ai/v1/.
Example response id: `{HEX32}`.
'''),
        neg(F, "requests/other.http", '''GET https://api.github.com/user
Authorization: Bearer {RANDOM32}
'''),
        neg(F, "postman/Mistral.postman_collection.json", '''{
  "item": [{"request": {"url": {"raw": "https://api.mistral.ai/v1/models"}}}],
  "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{mistralApiKey}}", "type": "string"}]}
}
'''),
        neg(F, "internal/llm/client.go", '''req.Header.Set("Authorization", "Bearer "+os.Getenv("MISTRAL_API_KEY")) // https://api.mistral.ai
req.Header.Set("X-Request-Id", "{UUIDHEX}")
'''),
    ]
