"""Render the drafting prompts (prompts/draft_*.txt) through the shared checked loader."""

from __future__ import annotations

from assistant.prompts import load_prompt

SECTION_PROMPT = "draft_section"
REVISE_PROMPT = "draft_revise"


def render_prompt(name: str, **values: object) -> str:
    """Render prompts/<name>.txt; PromptError on a missing or unexpected variable."""
    return load_prompt(name).render(**values)
