"""Keep the web app offline: no analytics, no version check, no CDN fonts, no HF telemetry.

`prepare_offline_env()` must run before gradio is imported (app.py calls it first): gradio
reads GRADIO_ANALYTICS_ENABLED when a Blocks is created and, when enabled, starts a version
check against api.gradio.app and sends telemetry to huggingface.co through huggingface_hub.
"""

from __future__ import annotations

import os
from typing import Any

OFFLINE_ENV = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "GRADIO_SHARE": "False",
    "GRADIO_SSR_MODE": "False",  # SSR would start a Node proxy we do not need
    "HF_HUB_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_UPDATE_CHECK": "1",
    "DO_NOT_TRACK": "1",
}
# Every launch option that would reach out or advertise a remote service.
OFFLINE_LAUNCH: dict[str, Any] = {
    "share": False,
    "ssr_mode": False,
    "mcp_server": False,
    "pwa": False,
    "enable_monitoring": False,
    "footer_links": [],
    "run_history": False,
}


def prepare_offline_env() -> None:
    """Force the offline environment variables (overriding any caller's setting)."""
    os.environ.update(OFFLINE_ENV)


def offline_theme() -> Any:
    """The default theme with system fonts: default themes fetch Google Fonts in the browser."""
    import gradio as gr

    return gr.themes.Default(font=["sans-serif"], font_mono=["monospace"])
