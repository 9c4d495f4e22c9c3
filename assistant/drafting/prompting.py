"""Render the drafting prompts (prompts/draft_*.txt) through the shared checked loader."""

from __future__ import annotations

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from assistant.prompts import load_prompt

SYSTEM_PROMPT = "draft_system"


def render_prompt(name: str, **values: object) -> str:
    """Render prompts/<name>.txt; PromptError on a missing or unexpected variable."""
    return load_prompt(name).render(**values)


def draft_messages(name: str, **values: object) -> list[BaseMessage]:
    """The constant drafting rules as the system message (llama.cpp reuses its KV cache),
    then the rendered prompts/<name>.txt with the materials."""
    system = load_prompt(SYSTEM_PROMPT).render()
    return [SystemMessage(content=system), HumanMessage(content=render_prompt(name, **values))]
