"""The header lines saying which embedder and chat model are active (and the extractive notice)."""

from __future__ import annotations

import gradio as gr

from assistant.ui.services import UIServices

EXTRACTIVE_NOTICE = "抽取式模式：未启用大模型，回答为原文摘录"


def settings_markdown(models: dict[str, str], extractive: bool) -> str:
    """Markdown for the settings line; a highlighted notice in extractive mode."""
    line = f"**向量模型**：`{models.get('embedding', '')}`　**大模型**：{models.get('llm', '')}"
    if extractive:
        line += f"\n\n<mark>⚠ {EXTRACTIVE_NOTICE}</mark>"
    return line


def build_settings_panel(services: UIServices) -> gr.Markdown:
    """Always visible under the title."""
    return gr.Markdown(settings_markdown(services.models(), services.extractive),
                       elem_id="pda-settings")
