"""Builds the services from Settings: the one place that wires components together."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from index.library import Library


def build_library(settings: Settings) -> Library:
    """The document library with the configured embedder (one handle for queries, one for ingest)."""
    from assistant.components.embeddings import embedding_model_id, make_embeddings

    data_dir = Path(settings.data.data_dir).expanduser().resolve()
    return Library(
        data_dir,
        make_embeddings(settings.embedding),
        settings,
        model_id=embedding_model_id(settings.embedding),
        ingest_embeddings=make_embeddings(settings.embedding),
    )


@dataclass
class Assistant:
    """Everything the CLI and the UI use; the chat model is created on first use."""

    settings: Settings
    library: Library
    _cache: dict[str, Any] = field(default_factory=dict)

    @functools.cached_property
    def chat_model(self) -> Any:
        from assistant.components.llm import make_chat_model

        return make_chat_model(self.settings.llm, Path(self.settings.data.data_dir))

    @functools.cached_property
    def answers(self) -> Any:
        """Question answering with citations (extractive when no chat model is configured)."""
        from assistant.answering.service import AnswerService

        model = None if self.settings.llm.mode == "extractive" else self.chat_model
        return AnswerService(self.library, model, self.settings)

    def describe_models(self) -> dict[str, str]:
        """Short Chinese descriptions of the active embedder and chat model, for the UI."""
        from assistant.components.llm import describe_chat_model

        return {
            "embedding": self.library.model_id,
            "llm": describe_chat_model(self.settings.llm),
            "mode": self.settings.llm.mode,
        }


def build_assistant(settings: Settings) -> Assistant:
    return Assistant(settings=settings, library=build_library(settings))
