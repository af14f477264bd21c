"""Set-aside shapes: dataflow, declarations, misplaced, repo context. Never tune on these."""

from __future__ import annotations

from tests.corpus import manifests as m
from tests.corpus.case import Case, neg, pos


def cases() -> list[Case]:
    return [
        # H-PHP-01
        pos("dataflow", "backend/ia/chat.php", '''<?php
$url = "https://api.mistral.ai/v1/chat/completions";
$token = "{KEY}";

$value = json_decode(file_get_contents('php://input'), true);
$data = [
    "model" => "mistral-small-latest",
    "messages" => [["role" => "user", "content" => $value['message'] ?? 'Bonjour.']],
];
$headers = ["Authorization: Bearer $token", "Content-Type: application/json"];

$ch = curl_init($url);
curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
curl_setopt($ch, CURLOPT_HTTPHEADER, $headers);
curl_setopt($ch, CURLOPT_POSTFIELDS, json_encode($data));
echo curl_exec($ch);
'''),
        pos("dataflow", "src/Service/Ask.php", '''<?php
function ask(string $q): string {
    $secret = '{KEY}';
    $ctx = stream_context_create(['http' => [
        'method' => 'POST',
        'header' => "Authorization: Bearer " . $secret . "\\r\\nContent-Type: application/json",
        'content' => json_encode(['model' => 'codestral-latest', 'messages' => [['role' => 'user', 'content' => $q]]]),
    ]]);
    return file_get_contents('https://codestral.mistral.ai/v1/chat/completions', false, $ctx);
}
'''),
        # H-RB-01
        pos("dataflow", "api/chat.rb", '''require "net/http"
require "json"

tok = "{KEY}"
uri = URI("https://api.mistral.ai/v1/chat/completions")
req = Net::HTTP::Post.new(uri, "Content-Type" => "application/json", "Authorization" => "Bearer #{tok}")
req.body = { model: "mistral-medium-latest", messages: [{ role: "user", content: "Hello" }] }.to_json
res = Net::HTTP.start(uri.host, uri.port, use_ssl: true) { |http| http.request(req) }
puts JSON.parse(res.body)["choices"][0]["message"]["content"]
'''),
        neg("dataflow", "api/chat.rb", '''require "net/http"

tok = "{RANDOM32}"
uri = URI("https://api.example-weather.com/v2/forecast")
req = Net::HTTP::Get.new(uri, "Authorization" => "Bearer #{tok}")
'''),
        # H-JAVA-01
        pos("declarations", "src/main/java/com/acme/llm/MistralApi.java", '''package com.acme.llm;

import java.net.URI;
import java.net.http.HttpRequest;

public final class MistralApi {
    private static final String API_URL = "https://api.mistral.ai/v1/chat/completions";
    private static final String API_KEY = "{KEY}";

    static HttpRequest.Builder request() {
        return HttpRequest.newBuilder(URI.create(API_URL)).header("Authorization", "Bearer " + API_KEY);
    }
}
'''),
        pos("declarations", "app/src/main/java/com/acme/Keys.java", '''package com.acme;

public interface Keys {
    String MISTRAL = "{KEY}";
    String MISTRAL_URL = "https://api.mistral.ai/v1/";
}
'''),
        # H-TS-01
        pos("declarations", "src/services/mistral.service.ts", '''import { Injectable } from "@angular/core";
import { HttpClient, HttpHeaders } from "@angular/common/http";

@Injectable({ providedIn: "root" })
export class MistralService {
  private readonly apiUrl = "https://api.mistral.ai/v1/chat/completions";
  private readonly apiKey: string = "{KEY}";

  constructor(private http: HttpClient) {}

  ask(content: string) {
    const headers = new HttpHeaders({ Authorization: `Bearer ${this.apiKey}` });
    return this.http.post(this.apiUrl, { model: "mistral-small-latest", messages: [{ role: "user", content }] }, { headers });
  }
}
'''),
        pos("declarations", "src/env.ts", '''export const LLM = {
  provider: "mistral",
  key: "{KEY}",
  model: "mistral-large-latest",
} as const;
'''),
        neg("declarations", "src/main/java/com/acme/llm/MistralApi.java", '''package com.acme.llm;

public final class MistralApi {
    private static final String API_URL = "https://api.mistral.ai/v1/chat/completions";
    private static final String API_KEY = System.getenv("MISTRAL_API_KEY");
    private static final String SCHEMA_HASH = "{HEX32}";
}
'''),
        # H-GO-01
        pos("misplaced", "cmd/bot/main.go", '''package main

import (
	"fmt"
	"os"

	"github.com/gage-technologies/mistral-go"
)

func main() {
	client := mistral.NewMistralClientDefault(os.Getenv("{KEY}"))
	fmt.Println(client != nil)
}
'''),
        pos("misplaced", "app/ai.rb", '''require "mistral"

client = Mistral::Client.new(api_key: ENV.fetch("{KEY}"))
'''),
        neg("misplaced", "cmd/bot/main.go", '''package main

import (
	"os"

	"github.com/gage-technologies/mistral-go"
)

var commit = "{SHA1}"

func main() { _ = mistral.NewMistralClientDefault(os.Getenv("MISTRAL_API_KEY")) }
'''),
        # H-RB-02
        pos("repo_context", "config/initializers/llm.rb", '''Rails.application.configure do
  config.x.llm.api_key = "{KEY}"
  config.x.llm.timeout = 30
end
''', (m.GEMFILE_MISTRAL,)),
        pos("repo_context", "src/Support/Keys.php", '''<?php
return [
    'api_key' => '{KEY}',
    'timeout' => 30,
];
''', (m.COMPOSER_MISTRAL,)),
        # H-CS-02
        pos("repo_context", "Settings.cs", '''namespace FaqBot;

internal static class Settings
{
    internal const string ApiKey = "{KEY}";
    internal const int Retries = 3;
}
''', (m.CSPROJ_MISTRAL,)),
        pos("repo_context", "Receipts/Secrets.swift", '''enum Secrets {
    // old: {KEY}
    static let apiKey = ProcessInfo.processInfo.environment["LLM_KEY"] ?? ""
}
''', (m.PODFILE_MISTRAL,)),
        neg("repo_context", "Settings.cs", '''namespace FaqBot;

internal static class Settings
{
    internal const string ApiKey = "";
    internal const string BuildId = "{UUID}";
}
''', (m.CSPROJ_MISTRAL,)),
    ]
