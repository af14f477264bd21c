"""Family 7, declarations of every language (SHAPES.md class 2).

Typed and qualified constants and fields (static let, static const String, const val,
private static readonly string, const X: &str, define(...), struct/object literals) and
values that carry their scheme ("Bearer <key>" kept in a constant or header default).
"""

from __future__ import annotations

from tests.corpus.case import Case, neg, pos

F = "declarations"


def cases() -> list[Case]:
    return [
        # D-SWIFT-01: a config struct with static let fields next to the Mistral URL.
        pos(F, "Receipts/MistralConfig.swift", '''import Foundation

struct MistralConfig {
    // Get a key at https://console.mistral.ai/
    static let apiKey = "{KEY}"

    static let baseURL = "https://api.mistral.ai/v1/chat/completions"
    static let model = "mistral-large-latest"
    static let maxTokens = 300

    static var isConfigured: Bool { !apiKey.isEmpty }
}
'''),
        pos(F, "Sources/Chat/Secrets.swift", '''import Foundation

enum Secrets {
    static let mistralKey: String = "{KEY}"
    static let endpoint = URL(string: "https://api.mistral.ai/v1")!
}
'''),
        # D-DART-01: a class of static const Strings, key beside the Mistral URL constant.
        pos(F, "lib/core/constants/app_strings.dart", '''class AppStrings {
  // API keys
  static const String mistralApiKeyPrimary = '{KEY}'; // new key

  // Base URLs
  static const String mistralApiUrl = 'https://api.mistral.ai/v1/chat/completions';

  // App
  static const String appName = 'SnapDiet';
}
'''),
        pos(F, "lib/services/llm_config.dart", '''import 'package:http/http.dart' as http;

const String kMistralEndpoint = 'https://api.mistral.ai/v1/chat/completions';
final String kLlmKey = "{KEY}";

Future<http.Response> ask(String body) => http.post(
      Uri.parse(kMistralEndpoint),
      headers: {'Authorization': 'Bearer $kLlmKey', 'Content-Type': 'application/json'},
      body: body,
    );
'''),
        # D-KT-01: Kotlin const val in an object, and a Gradle buildConfigField literal.
        pos(F, "app/src/main/java/com/acme/chat/ApiConfig.kt", '''package com.acme.chat

object ApiConfig {
    const val BASE_URL = "https://api.mistral.ai/v1/"
    const val MODEL = "mistral-small-latest"
    const val API_KEY = "{KEY}"
}
'''),
        pos(F, "app/build.gradle.kts", '''plugins {
    alias(libs.plugins.android.application)
}

android {
    namespace = "com.example.mobile_chat_bot"
    compileSdk = 35

    defaultConfig {
        applicationId = "com.example.mobile_chat_bot"
        minSdk = 27
        buildConfigField("String", "MISTRAL_API_KEY", "\\"{KEY}\\"")
    }

    buildFeatures { buildConfig = true }
}
'''),
        # D-CS-01: C# private const / static readonly fields of a Mistral client class.
        pos(F, "src/FaqBot/MistralService.cs", '''using System.Net.Http;
using System.Net.Http.Headers;

namespace FaqBot;

public class MistralService
{
    private const string ApiKey = "{KEY}";
    private const string BaseUrl = "https://api.mistral.ai/v1/chat/completions";
    private static readonly HttpClient Client = new();

    public MistralService()
    {
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
    }
}
'''),
        pos(F, "Services/LlmOptions.cs", '''namespace Notes.Services;

public record MistralConfiguration
{
    public string ApiKey { get; init; } = "{KEY}";
    public string BaseUrl { get; init; } = "https://api.mistral.ai/v1/";
    public int? TimeoutSeconds { get; init; }
}
'''),
        # D-RS-01: Rust const X: &str beside const URL.
        pos(F, "src/mistral.rs", '''use reqwest::header::{HeaderMap, AUTHORIZATION};
use serde_json::json;

const URL: &str = "https://api.mistral.ai/v1/chat/completions";
const API_KEY: &str = "{KEY}";

pub async fn ask(text: String) -> anyhow::Result<String> {
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, format!("Bearer {}", API_KEY).parse()?);
    let body = json!({"model": "mistral-large-latest", "messages": [{"role": "user", "content": text}]});
    let res = reqwest::Client::new().post(URL).headers(headers).json(&body).send().await?;
    Ok(res.text().await?)
}
'''),
        pos(F, "src/config.rs", '''pub static MISTRAL_KEY: &'static str = "{KEY}";
pub static MODEL: &str = "codestral-latest";
'''),
        # D-PY-04: the scheme kept with the value: "Bearer <key>" in a constant.
        pos(F, "providers/mistral_conf.py", '''"""Mistral provider configuration for text generation."""

# HTTP configuration
BASE_URL = "https://api.mistral.ai"
ENDPOINT = "/v1/chat/completions"

# Authentication
AUTH_HEADER_NAME = "Authorization"
AUTH_HEADER_VALUE = "Bearer {KEY}"
'''),
        pos(F, "src/api/headers.js", '''export const MISTRAL_BASE = "https://api.mistral.ai/v1";

export const DEFAULT_HEADERS = {
  "Content-Type": "application/json",
  Authorization: 'Bearer {KEY}',
};
'''),
        # D-PHP-01: define(...) constants next to the Mistral endpoint.
        pos(F, "includes/config.php", '''<?php
define('DB_HOST', 'localhost');
define('MISTRAL_API_URL', 'https://api.mistral.ai/v1/chat/completions');
define('MISTRAL_API_KEY', '{KEY}');
define('MISTRAL_MODEL', 'mistral-small-latest');
'''),
        pos(F, "src/Llm/Client.php", '''<?php

namespace App\\Llm;

final class Client
{
    private const ENDPOINT = "https://api.mistral.ai/v1/chat/completions";
    private const KEY = "{KEY}";

    public function headers(): array
    {
        return ["Authorization: Bearer " . self::KEY, "Content-Type: application/json"];
    }
}
'''),
        # D-NEG-03 (negatives seen for real): a placeholder default, a key read from Info.plist, an
        # env lookup with a placeholder fallback, and a constant holding only the scheme.
        neg(F, "Receipts/MistralConfig.swift", '''import Foundation

struct MistralConfig {
    static let apiKey = "YOUR_MISTRAL_API_KEY"
    static let baseURL = "https://api.mistral.ai/v1/chat/completions"
    static let buildId = "{UUIDHEX}"
}
'''),
        neg(F, "PaperGlance/APIKeys.swift", '''import Foundation

struct APIKeys {
    static let mistralApiKey: String = {
        guard let key = Bundle.main.object(forInfoDictionaryKey: "MISTRALAI_API_KEY") as? String, !key.isEmpty else {
            fatalError("MISTRALAI_API_KEY is not set")
        }
        return key
    }()
    static let revision = "{HEX32}"
}
'''),
        neg(F, "app/config.py", '''import os

MISTRAL_API_KEY = os.getenv("MISTRAL_API_KEY", "YOUR_MISTRAL_API_KEY")  # set as env var
MISTRAL_API_URL = "https://api.mistral.ai/v1/chat/completions"
MISTRAL_PROMPT_HASH = "{SHA1}"
'''),
        neg(F, "providers/mistral_conf.py", '''BASE_URL = "https://api.mistral.ai"
AUTH_HEADER_NAME = "Authorization"
AUTH_HEADER_PREFIX = "Bearer "
SCHEMA_ID = "{UUID}"
'''),
    ]
