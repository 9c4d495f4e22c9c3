"""Bind address, login and upload storage rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.components.passwords import hash_password
from assistant.settings import ServerSettings
from assistant.ui.serving import (
    ServingError,
    is_loopback,
    launch_options,
    make_auth,
    sanitise_filename,
    store_upload,
)


@pytest.mark.parametrize(("host", "expected"), [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("localhost", True),
    ("0.0.0.0", False), ("192.168.1.10", False), ("example.org", False),
])
def test_is_loopback(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


def test_loopback_needs_no_login_and_stays_offline() -> None:
    options = launch_options(ServerSettings(max_upload_mb=2))
    assert options["server_name"] == "127.0.0.1"
    assert "auth" not in options
    assert options["share"] is False
    assert options["max_file_size"] == 2 * 1024 * 1024


def test_public_host_without_users_is_refused() -> None:
    with pytest.raises(ServingError, match="auth_users"):
        launch_options(ServerSettings(host="0.0.0.0"))


def test_public_host_checks_password_hashes() -> None:
    users = {"zhang": hash_password("正确口令", iterations=1000)}
    options = launch_options(ServerSettings(host="0.0.0.0", auth_users=users))
    auth = options["auth"]
    assert auth("zhang", "正确口令") is True
    assert auth("zhang", "错误口令") is False
    assert auth("li", "正确口令") is False


def test_make_auth_rejects_malformed_hash() -> None:
    assert make_auth({"a": "plain-text"})("a", "plain-text") is False


@pytest.mark.parametrize(("raw", "clean"), [
    ("示例办法.pdf", "示例办法.pdf"),
    ("/etc/passwd", "passwd"),
    ("..\\..\\windows\\报告.docx", "报告.docx"),
    ("a/b/../.hidden.txt", "hidden.txt"),
])
def test_sanitise_filename_keeps_the_base_name(raw: str, clean: str) -> None:
    assert sanitise_filename(raw) == clean


@pytest.mark.parametrize("raw", ["..", "../", "", "x/..", "a..b.txt"])
def test_sanitise_filename_rejects_dots(raw: str) -> None:
    with pytest.raises(ValueError, match="不允许"):
        sanitise_filename(raw)


def test_store_upload_copies_under_data_dir(tmp_path: Path) -> None:
    temp = tmp_path / "gradio-tmp" / "示例通知.txt"
    temp.parent.mkdir()
    temp.write_text("示例内容", encoding="utf-8")
    stored = store_upload(temp, "../../示例通知.txt", tmp_path / "data")
    assert stored.parent.parent == tmp_path / "data" / "uploads"
    assert stored.name == "示例通知.txt"
    assert stored.read_text(encoding="utf-8") == "示例内容"
    again = store_upload(temp, "示例通知.txt", tmp_path / "data")
    assert again.parent != stored.parent  # a fresh folder per upload
