"""How the app is served: bind address, login, upload limits and where uploads are stored."""

from __future__ import annotations

import ipaddress
import secrets
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.components.passwords import verify_password
from assistant.settings import ServerSettings
from assistant.ui.offline import OFFLINE_LAUNCH

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
NO_USERS_MESSAGE = (
    "拒绝启动：监听地址 {host} 不是本机回环地址，必须先配置登录用户。"
    "请用 `python -m assistant hash-password` 生成口令散列，写入 settings.yaml 的 "
    "server.auth_users（用户名: 散列），或改用 --host 127.0.0.1。"
)
MAX_NAME_CHARS = 120


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


def make_auth(users: dict[str, str]) -> Callable[[str, str], bool]:
    """Gradio `auth=` callable checking a user name against its stored password hash."""

    def check(username: str, password: str) -> bool:
        stored = users.get(username)
        return stored is not None and verify_password(stored, password)

    return check


def launch_options(server: ServerSettings) -> dict[str, Any]:
    """Keyword arguments for `Blocks.launch`; refuses a public bind without users."""
    options: dict[str, Any] = {
        **OFFLINE_LAUNCH,
        "server_name": server.host,
        "server_port": server.port,
        "max_file_size": int(server.max_upload_mb * 1024 * 1024),
    }
    if not is_loopback(server.host):
        if not server.auth_users:
            raise ServingError(NO_USERS_MESSAGE.format(host=server.host))
        options["auth"] = make_auth(dict(server.auth_users))
        options["auth_message"] = "政策文档助手：请登录"
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


def store_upload(temp_path: str | Path, original_name: str, data_dir: Path) -> Path:
    """Copy an uploaded temp file to <data_dir>/uploads/<random>/<sanitised name>."""
    folder = Path(data_dir) / "uploads" / secrets.token_hex(8)
    folder.mkdir(parents=True, exist_ok=False)
    target = folder / sanitise_filename(original_name)
    if target.resolve().parent != folder.resolve():
        raise ValueError(f"不允许的文件名：{original_name!r}")
    shutil.copyfile(temp_path, target)
    return target


def launch(demo: Any, settings: Any, **extra: Any) -> Any:
    """Launch with the offline options, login when public, upload limit and download folder."""
    from assistant.ui.app_builder import APP_CSS
    from assistant.ui.exports import exports_root
    from assistant.ui.offline import offline_theme

    data_dir = Path(settings.data.data_dir).expanduser().resolve()
    options = {**launch_options(settings.server), **extra}
    return demo.launch(theme=offline_theme(), css=APP_CSS,
                       allowed_paths=[str(exports_root(data_dir))], **options)
