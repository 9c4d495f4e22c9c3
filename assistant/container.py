"""Builds the services from Settings: the one place that wires components together."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from index.library import Library

log = logging.getLogger(__name__)


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
    """Everything the CLI and the UI use; the chat model and services are created on first use."""

    settings: Settings
    library: Library
    model_notice: str = ""  # why the configured chat model is not in use, shown to the user

    @functools.cached_property
    def chat_model(self) -> Any:
        """The configured chat model; None in extractive mode or when it cannot be started."""
        from assistant.components.llm import ChatModelSetupError, make_chat_model

        if self.settings.llm.mode == "extractive":
            return None
        try:
            return make_chat_model(self.settings.llm, Path(self.settings.data.data_dir))
        except ChatModelSetupError as exc:
            # Staying useful beats failing: answer extractively and say why, loudly.
            self.model_notice = f"大模型未能启动，已改用抽取式模式：{exc}"
            log.warning(self.model_notice)
            return None

    @property
    def extractive(self) -> bool:
        return self.chat_model is None

    @functools.cached_property
    def answers(self) -> Any:
        """Question answering with citations."""
        from assistant.answering.service import AnswerService

        return AnswerService(self.library, self.chat_model, self.settings)

    @functools.cached_property
    def drafts(self) -> Any:
        """Report drafting, skeletons, revision and export."""
        from assistant.drafting import DraftService

        return DraftService(self.library, self.chat_model)

    @functools.cached_property
    def commitments(self) -> Any:
        """Last year's commitments checked against this year's material."""
        from assistant.commitments import CommitmentService

        judge = self.chat_model if self.settings.llm.judge_commitments else None
        return CommitmentService(self.library, judge)

    @functools.cached_property
    def comparisons(self) -> Any:
        """Versions of a regulation compared article by article (新旧条文对照表)."""
        from assistant.comparison import CompareService

        return CompareService(self.library)

    def describe_models(self) -> dict[str, str]:
        """Short Chinese descriptions of the active embedder and chat model, for the UI."""
        from assistant.components.llm import describe_chat_model

        llm = describe_chat_model(self.settings.llm)
        if self.extractive and self.settings.llm.mode != "extractive":
            llm = f"抽取式（{self.model_notice}）"
        return {
            "embedding": self.library.model_id,
            "llm": llm,
            "mode": "extractive" if self.extractive else self.settings.llm.mode,
        }


def build_assistant(settings: Settings) -> Assistant:
    return Assistant(settings=settings, library=build_library(settings))
