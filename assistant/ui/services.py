"""The services the UI talks to: a thin view over the Assistant built in container.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class UIServices:
    """Answering, drafting and commitment services sharing one library and one chat model."""

    assistant: Any  # assistant.container.Assistant

    @property
    def library(self) -> Any:
        return self.assistant.library

    @property
    def answers(self) -> Any:
        return self.assistant.answers

    @property
    def drafts(self) -> Any:
        return self.assistant.drafts

    @property
    def commitments(self) -> Any:
        return self.assistant.commitments

    @property
    def comparisons(self) -> Any:
        return self.assistant.comparisons

    @property
    def extractive(self) -> bool:
        """True when answers quote the documents (no chat model configured or available)."""
        return self.assistant.extractive

    @property
    def max_upload_bytes(self) -> int:
        """The largest file the app accepts in one upload (settings.server.max_upload_mb)."""
        return int(self.assistant.settings.server.max_upload_mb * 1024 * 1024)

    def library_generation(self) -> str:
        """Name of the library snapshot in force; it changes with every change in any session."""
        return str(self.library.snapshot().name)

    def models(self) -> dict[str, str]:
        """Embedder / chat model descriptions for the settings panel."""
        return self.assistant.describe_models()
