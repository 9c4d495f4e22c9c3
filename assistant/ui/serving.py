"""How the app is served: bind address, login, upload limits and where uploads are stored."""

from __future__ import annotations

import contextlib
import ipaddress
import secrets
import shutil
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.settings import ServerSettings
from assistant.ui.http_guard import HttpGuard, gradio_upload_root
from assistant.ui.login_guard import make_guarded_auth
from assistant.ui.offline import OFFLINE_LAUNCH

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
NO_USERS_MESSAGE = (
    "拒绝启动：监听地址 {host} 不是本机回环地址，必须先配置登录用户。"
    "请用 `python -m assistant hash-password` 生成口令散列，写入 settings.yaml 的 "
    "server.auth_users（用户名: 散列），或改用 --host 127.0.0.1。"
)
MAX_NAME_CHARS = 120
AUTH_MESSAGE = "政策文档助手：请登录（连续输错口令后需等待片刻才能再试）"


class ServingError(RuntimeError):
    """The app must not start with this configuration; the message says why (Chinese)."""


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost names."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def launch_options(server: ServerSettings, file_roots: Sequence[Path] = ()) -> dict[str, Any]:
    """Keyword arguments for `Blocks.launch`; refuses a public bind without users.

    No `max_file_size`: with it the browser refuses a whole batch in English when one file is
    too large; HttpGuard bounds each upload request and the upload handler refuses files singly.
    """
    from starlette.middleware import Middleware

    guard = Middleware(HttpGuard, max_upload_bytes=int(server.max_upload_mb * 1024 * 1024),
                       file_roots=list(file_roots))
    options: dict[str, Any] = {
        **OFFLINE_LAUNCH,
        "server_name": server.host,
        "server_port": server.port,
        "app_kwargs": {"middleware": [guard]},
    }
    if not is_loopback(server.host):
        if not server.auth_users:
            raise ServingError(NO_USERS_MESSAGE.format(host=server.host))
        options["auth"] = make_guarded_auth(dict(server.auth_users))
        options["auth_message"] = AUTH_MESSAGE
    return options


def sanitise_filename(name: str) -> str:
    """The base name only: no directories, no '..', no control characters; keeps Chinese."""
    base = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in unicodedata.normalize("NFC", base)
                   if unicodedata.category(ch)[0] != "C")
    base = base.strip().lstrip(".").strip()
    if not base or ".." in base:
        raise ValueError(f"不允许的文件名：{name!r}")
    stem, dot, suffix = base.rpartition(".")
    if dot and len(base) > MAX_NAME_CHARS:
        return stem[: MAX_NAME_CHARS - len(suffix) - 1] + "." + suffix
    return base[:MAX_NAME_CHARS]


def store_upload(temp_path: str | Path, original_name: str, data_dir: Path,
                 max_bytes: float = float("inf")) -> Path:
    """Move an uploaded temp file to <data_dir>/uploads/<random>/<sanitised name>.

    Moving (not copying) leaves no second copy in gradio's temp folder; the caller removes the
    staged copy after ingest (`discard_upload`), so only the library's stored copy remains.
    """
    name = sanitise_filename(original_name)
    _check_upload_size(Path(temp_path), name, max_bytes)
    folder = Path(data_dir) / "uploads" / secrets.token_hex(8)
    folder.mkdir(parents=True, exist_ok=False)
    target = folder / name
    if target.resolve().parent != folder.resolve():
        raise ValueError(f"不允许的文件名：{original_name!r}")
    if _in_gradio_uploads(Path(temp_path)):
        shutil.move(str(temp_path), target)
        _remove_empty_parent(Path(temp_path))
    else:  # a path from elsewhere (tests, scripts) is never ours to move
        shutil.copyfile(temp_path, target)
    return target


def discard_upload(staged: Path) -> None:
    """Delete a staged upload and its random folder (after ingest, whatever the outcome)."""
    shutil.rmtree(staged.parent, ignore_errors=True)


def discard_temp(temp_path: str | Path) -> None:
    """Delete a file gradio received that was never staged (e.g. refused before staging)."""
    path = Path(temp_path)
    if _in_gradio_uploads(path):  # a path from elsewhere is never ours to delete
        path.unlink(missing_ok=True)
        _remove_empty_parent(path)


def uploaded_files(payload: Any) -> list[tuple[str, str]]:
    """(temp path, original name) per file of a raw gr.File value (FileData dicts or paths)."""
    items = []
    for item in payload or []:
        if isinstance(item, dict):
            path = str(item.get("path") or "")
            items.append((path, str(item.get("orig_name") or Path(path).name)))
        else:
            items.append((str(item), Path(str(item)).name))
    return items


def check_uploaded(temp_path: str, name: str) -> None:
    """Refuse a path gradio did not receive as an upload (a crafted request naming any file)."""
    if not temp_path or not _in_gradio_uploads(Path(temp_path)):
        raise ValueError(f"文件“{sanitise_filename(name) if name else temp_path}”不是经本页面上传的文件，未导入。")


def _in_gradio_uploads(path: Path) -> bool:
    return path.resolve().is_relative_to(gradio_upload_root().resolve())


def _check_upload_size(path: Path, name: str, max_bytes: float) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ValueError(f"文件“{name}”没有上传完整或已被清理，请重新选择后上传。") from exc
    if size > max_bytes:
        raise ValueError(f"文件“{name}”大小为 {_size(size)}，超过了上传上限 {_size(max_bytes)}，"
                         "未导入。")


def _size(n: float) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n / 1024:.0f} KB"


def _remove_empty_parent(path: Path) -> None:
    with contextlib.suppress(OSError):  # not empty or already gone: leave it
        path.parent.rmdir()


def launch(demo: Any, settings: Any, **extra: Any) -> Any:
    """Launch with the offline options, login when public, upload limit and download folder."""
    from assistant.ui.app_builder import APP_CSS
    from assistant.ui.exports import exports_root
    from assistant.ui.offline import offline_theme

    data_dir = Path(settings.data.data_dir).expanduser().resolve()
    options = {**launch_options(settings.server, [exports_root(data_dir)]), **extra}
    return demo.launch(theme=offline_theme(), css=APP_CSS,
                       allowed_paths=[str(exports_root(data_dir))], **options)
