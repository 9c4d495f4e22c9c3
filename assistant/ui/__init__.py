"""Gradio web UI: one builder module per tab; `build_ui(assistant)` assembles them.

Import `assistant.ui.offline.prepare_offline_env()` before this package (it imports gradio).
"""
