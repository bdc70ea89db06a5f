"""Settings: one typed tree with documented defaults.

Precedence: defaults < TOML file (``ASSISTANT_CONFIG`` or ``--config``) < environment
variables ``ASSISTANT_*`` (nested with ``__``, e.g. ``ASSISTANT_EMBEDDER__KIND=hash``).
Only the composition root and the command-line entry points read settings.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class EmbedderSettings(BaseModel):
    kind: Literal["e5", "hash"] = Field(
        "e5",
        description="e5 = multilingual-e5-small (real); hash = fast deterministic fake",
    )
    model_dir: Path = Field(
        PROJECT_ROOT / "models" / "multilingual-e5-small",
        description="local sentence-transformers folder built by `make setup`",
    )


class ChromaSettings(BaseModel):
    mode: Literal["persistent", "http"] = Field(
        "persistent", description="persistent = on disk inside the index; http = server"
    )
    host: str = Field("127.0.0.1", description="Chroma server host (mode http)")
    port: int = Field(8000, description="Chroma server port (mode http)")


class RetrievalSettings(BaseModel):
    dense_k: int = Field(40, description="candidates taken from the vector store")
    keyword_k: int = Field(40, description="candidates taken from the keyword index")
    rrf_k: int = Field(60, description="reciprocal rank fusion constant")
    dense_weight: float = Field(1.0, description="weight of the dense ranking in RRF")
    keyword_weight: float = Field(
        1.0, description="weight of the keyword ranking in RRF"
    )
    top_k: int = Field(10, description="hits returned (and listed in `retrieved`)")


class AnswerSettings(BaseModel):
    max_citations: int = Field(3, description="citations in an extractive text answer")
    max_sentences: int = Field(3, description="sentences quoted in a text answer")


class LlmSettings(BaseModel):
    provider: Literal["none", "ollama", "openai"] = Field(
        "none", description="optional LLM for fluent answers; none = extractive only"
    )
    model: str = Field("", description="model name at the provider")
    base_url: str = Field("", description="server URL (OpenAI-compatible or Ollama)")
    timeout_s: float = Field(30.0, description="per-request timeout")
    rewrite_followups: bool = Field(
        False, description="let the LLM rewrite follow-ups into standalone questions"
    )


class UiSettings(BaseModel):
    host: str = Field("127.0.0.1", description="bind address; loopback by default")
    port: int = Field(7860, description="HTTP port")
    concurrency: int = Field(4, description="answers computed at the same time")
    max_queue: int = Field(200, description="requests waiting before the UI says busy")
    feedback_db: Path = Field(
        PROJECT_ROOT / "var" / "feedback.sqlite", description="feedback store"
    )
    auth_file: Path | None = Field(
        None, description="TOML file with users, password hashes and groups"
    )
    allow_upload: bool = Field(
        False,
        description="without login: show the document upload tab to everyone "
        "(with login only users marked admin = true may upload)",
    )


class Settings(BaseSettings):
    """All settings; see the README for the environment variables."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", env_nested_delimiter="__", extra="ignore"
    )

    documents_dir: Path = Field(
        PROJECT_ROOT / "corpus" / "documents", description="default corpus"
    )
    index_dir: Path = Field(PROJECT_ROOT / "var" / "index", description="built index")
    brief_cache_dir: Path | None = Field(
        None, description="cached onboarding briefs (default: <index_dir>/briefs)"
    )
    embedder: EmbedderSettings = EmbedderSettings()
    chroma: ChromaSettings = ChromaSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    answer: AnswerSettings = AnswerSettings()
    llm: LlmSettings = LlmSettings()
    ui: UiSettings = UiSettings()


def load_settings(path: Path | None = None, **overrides: Any) -> Settings:
    """Defaults < TOML file < environment < explicit overrides."""
    path = path or (Path(p) if (p := os.environ.get("ASSISTANT_CONFIG")) else None)
    data: dict[str, Any] = {}
    if path is not None:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    settings = Settings(**data)
    # Environment beats the file: re-read env on top of the file values.
    env = Settings()
    merged = settings.model_dump()
    for key, value in env.model_dump(exclude_unset=True).items():
        merged[key] = value
    merged.update(overrides)
    return Settings.model_validate(merged)
