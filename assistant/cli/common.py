"""Helpers shared by the CLI command modules."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from assistant.settings import Settings, SettingsError, load_settings

DEFAULT_CONFIG = Path("settings.yaml")
# Commands that read or change an existing library: a missing --index folder is a mistake for
# them (a typo would otherwise show an empty library). `ingest` may start a new one.
LIBRARY_COMMANDS = frozenset(
    {"list", "search", "remove", "meta", "rebuild", "complete", "ask", "draft", "check", "compare"}
)


def setup_errors() -> tuple[type[Exception], ...]:
    """Problems of set-up (settings, a missing package or model) that deserve one line, not a traceback."""
    from assistant.components.embeddings import MissingProviderError
    from assistant.components.local_model import ModelSetupError
    from assistant.settings import SettingsError

    return (SettingsError, MissingProviderError, ModelSetupError)


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Load settings from --config (or ./settings.yaml) and apply --index."""
    config = args.config or (DEFAULT_CONFIG if DEFAULT_CONFIG.exists() else None)
    settings = load_settings(config)
    if getattr(args, "data_dir", None):
        settings.data.data_dir = Path(args.data_dir)
        _check_library_folder(settings.data.data_dir, getattr(args, "command", None))
    return settings


def _check_library_folder(data_dir: Path, command: str | None) -> None:
    if command in LIBRARY_COMMANDS and not data_dir.expanduser().is_dir():
        raise SettingsError(
            f"数据目录“{data_dir}”不存在，请检查 --index 参数。"
            "（只有 `python -m assistant ingest` 会在新目录中建立资料库。）"
        )


def add_filter_args(parser: argparse.ArgumentParser) -> None:
    """Filters shared by search, ask, draft and check."""
    parser.add_argument("--doc", action="append", default=None, help="limit to a document id or file name (repeatable)")
    parser.add_argument("--type", dest="doc_type", action="append", default=None,
                        choices=["regulation", "report", "plan", "other"], help="limit to a document type")
    parser.add_argument("--year", type=int, action="append", default=None, help="limit to a year (repeatable)")


def service_from_args(args: argparse.Namespace, name: str) -> tuple[Any, Any]:
    """Build the Assistant from the command line and return (its service `name`, the Assistant).

    The service is created first because that is when the chat model starts; if it could not,
    the user is told on stderr that answers fall back to extractive mode.
    """
    from assistant.container import build_assistant

    assistant = build_assistant(settings_from_args(args))
    service = getattr(assistant, name)
    for notice in (assistant.model_notice, assistant.library.maintenance_notice()):
        if notice:
            print(f"⚠ {notice}", file=sys.stderr)
    return service, assistant
