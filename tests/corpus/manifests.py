"""Manifest files of small projects, for cases whose evidence is the repository (extra_files).

No key slots here: these are written verbatim beside a case's file.
"""

from __future__ import annotations

REQUIREMENTS_MISTRAL = ("requirements.txt", "fastapi==0.115.0\nmistralai==1.2.5\npython-dotenv==1.0.1\n")
REQUIREMENTS_PLAIN = ("requirements.txt", "fastapi==0.115.0\nredis==5.0.8\npython-dotenv==1.0.1\n")
PYPROJECT_LANGCHAIN = ("pyproject.toml", '''[project]
name = "notes-bot"
version = "0.3.0"
requires-python = ">=3.10"
dependencies = [
    "langchain-core>=0.3",
    "langchain-mistralai>=0.2",
    "chromadb>=0.5",
]
''')
PACKAGE_JSON_MISTRAL = ("package.json", '''{
  "name": "support-widget",
  "version": "1.4.0",
  "type": "module",
  "dependencies": {
    "@mistralai/mistralai": "^1.3.4",
    "express": "^4.21.0"
  }
}
''')
PACKAGE_JSON_AISDK = ("package.json", '''{
  "name": "doc-chat",
  "private": true,
  "dependencies": {
    "@ai-sdk/mistral": "^1.0.5",
    "ai": "^4.0.0",
    "next": "15.0.3"
  }
}
''')
PACKAGE_JSON_PLAIN = ("package.json", '''{
  "name": "support-widget",
  "version": "1.4.0",
  "dependencies": {"express": "^4.21.0", "ioredis": "^5.4.1"}
}
''')
GO_MOD_MISTRAL = ("go.mod", '''module github.com/acme/summarizer

go 1.22

require (
	github.com/gage-technologies/mistral-go v1.1.0
	github.com/spf13/cobra v1.8.1
)
''')
PUBSPEC_MISTRAL = ("pubspec.yaml", '''name: recipe_snap
description: Snap a dish, get a recipe.
version: 1.0.0+1
environment:
  sdk: ">=3.3.0 <4.0.0"
dependencies:
  flutter:
    sdk: flutter
  http: ^1.2.1
  mistralai_dart: ^0.0.3
''')
BUILD_GRADLE_LANGCHAIN4J = ("build.gradle.kts", '''plugins {
    kotlin("jvm") version "2.0.21"
    application
}

dependencies {
    implementation("dev.langchain4j:langchain4j:0.36.2")
    implementation("dev.langchain4j:langchain4j-mistral-ai:0.36.2")
}
''')
CARGO_MISTRAL = ("Cargo.toml", '''[package]
name = "commit-writer"
version = "0.2.0"
edition = "2021"

[dependencies]
mistralai-client = "0.14"
tokio = { version = "1", features = ["full"] }
''')
GEMFILE_MISTRAL = ("Gemfile", '''source "https://rubygems.org"

gem "rails", "~> 7.2"
gem "mistral-ai", "~> 1.2"
gem "sidekiq"
''')
COMPOSER_MISTRAL = ("composer.json", '''{
    "name": "acme/faq-bot",
    "require": {
        "php": ">=8.1",
        "partitech/php-mistral": "^0.1"
    }
}
''')
CSPROJ_MISTRAL = ("FaqBot.csproj", '''<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net8.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Mistral.SDK" Version="2.1.0" />
  </ItemGroup>
</Project>
''')
PODFILE_MISTRAL = ("Podfile", '''platform :ios, '16.0'

target 'Receipts' do
  use_frameworks!
  pod 'MistralKit', '~> 0.4'
end
''')
# Deeper monorepo layouts and more manifest kinds (written beside cases in sub-folders).
POETRY_SERVICE = ("services/summarizer/pyproject.toml", '''[tool.poetry]
name = "summarizer"
version = "0.1.0"

[tool.poetry.dependencies]
python = "^3.11"
langchain-mistralai = "^0.2.4"
fastapi = "^0.115"
''')
PACKAGE_JSON_WEB_LANGCHAIN = ("packages/web/package.json", '''{
  "name": "@acme/web",
  "private": true,
  "dependencies": {
    "@langchain/mistralai": "^0.1.1",
    "@langchain/core": "^0.3.0"
  }
}
''')
POM_SPRING_AI = ("pom.xml", '''<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.acme</groupId>
  <artifactId>helpdesk</artifactId>
  <version>0.0.1</version>
  <dependencies>
    <dependency>
      <groupId>org.springframework.ai</groupId>
      <artifactId>spring-ai-starter-model-mistral-ai</artifactId>
    </dependency>
  </dependencies>
</project>
''')
REQUIREMENTS_PROD = ("requirements-prod.txt", "gunicorn==23.0.0\nllama-index-llms-mistralai==0.3.1\n")
CONDA_ENV = ("environment.yml", '''name: rag
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - pip:
      - mistralai>=1.2
''')
PYPROJECT_LOCAL_INFERENCE = ("pyproject.toml", '''[project]
name = "local-chat"
version = "0.1.0"
dependencies = ["mistral-common>=1.4", "torch>=2.4", "safetensors"]
''')
