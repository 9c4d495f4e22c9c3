"""Where downloadable files are written: <data_dir>/exports/<random>/<name>."""

from __future__ import annotations

import secrets
from pathlib import Path

from assistant.ui.serving import sanitise_filename


def exports_root(data_dir: Path) -> Path:
    """The folder gradio is allowed to serve downloads from."""
    return Path(data_dir) / "exports"


def export_path(data_dir: Path, name: str) -> Path:
    """A fresh path for one download, so two sessions never overwrite each other's file."""
    folder = exports_root(data_dir) / secrets.token_hex(8)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / sanitise_filename(name)
