"""Assembles the tabs into one gradio Blocks app."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.ui.check_render import CHECK_CSS
from assistant.ui.check_tab import build_check_tab
from assistant.ui.compare_render import COMPARE_CSS
from assistant.ui.compare_tab import build_compare_tab
from assistant.ui.draft_tab import build_draft_tab
from assistant.ui.library_sync import build_library_sync
from assistant.ui.library_tab import build_library_tab
from assistant.ui.qa_tab import build_qa_tab
from assistant.ui.services import UIServices
from assistant.ui.settings_panel import build_settings_panel

APP_TITLE = "政策文档助手"
APP_CSS = CHECK_CSS + COMPARE_CSS + """
.pda-muted { color: #6b7280; }
.pda-source { border: 1px solid #e5e7eb; border-radius: 6px; padding: 6px 8px; margin: 6px 0; }
.pda-passage { margin-top: 4px; line-height: 1.6; }
mark { background: #fde68a; padding: 0 1px; }
"""
DEFAULT_CONCURRENCY = 2


def build_ui(assistant: Any) -> gr.Blocks:
    """The whole app over an `assistant.container.Assistant`; call `.launch()` on the result."""
    services = UIServices(assistant)
    with gr.Blocks(title=APP_TITLE) as demo:
        gr.Markdown(f"# {APP_TITLE}")
        build_settings_panel(services)
        # Bumped on page load and whenever the library changed (here or in any other session);
        # every tab refreshes its pickers on it.
        library_version = gr.Number(0, visible=False)
        with gr.Tabs():
            with gr.Tab("问答", id="qa"):
                build_qa_tab(services, library_version)
            with gr.Tab("文档库", id="library"):
                build_library_tab(services, library_version)
            with gr.Tab("起草", id="draft"):
                build_draft_tab(services, library_version)
            with gr.Tab("承诺核对", id="check"):
                build_check_tab(services, library_version)
            with gr.Tab("条文对照", id="compare"):
                refresh_regulations, regulation_picker = build_compare_tab(services, library_version)
        demo.load(refresh_regulations, None, regulation_picker)
        build_library_sync(services, demo, library_version)
    demo.queue(default_concurrency_limit=DEFAULT_CONCURRENCY)
    return demo
