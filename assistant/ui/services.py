"""The services the UI talks to, built once from the Assistant (container.py has no accessors yet)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from assistant.answering import AnswerService
from assistant.commitments import CommitmentService
from assistant.drafting import DraftService


@dataclass
class UIServices:
    """Answering, drafting and commitment services sharing one library and one chat model."""

    assistant: Any  # assistant.container.Assistant

    @property
    def library(self) -> Any:
        return self.assistant.library

    @functools.cached_property
    def answers(self) -> AnswerService:
        return AnswerService(self.library, self.assistant.chat_model, self.assistant.settings)

    @functools.cached_property
    def drafts(self) -> DraftService:
        return DraftService(self.library, self.assistant.chat_model)

    @functools.cached_property
    def commitments(self) -> CommitmentService:
        return CommitmentService(self.library, self.assistant.chat_model)

    @property
    def extractive(self) -> bool:
        """True when no chat model is configured (answers quote the documents)."""
        return self.assistant.settings.llm.mode == "extractive"

    def models(self) -> dict[str, str]:
        """Embedder / chat model descriptions for the settings panel."""
        return self.assistant.describe_models()
