"""Bind address, login and upload storage rules."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from assistant.components.passwords import hash_password
from assistant.settings import ServerSettings
from assistant.ui.http_guard import HttpGuard
from assistant.ui.serving import (
    ServingError,
    check_uploaded,
    discard_temp,
    is_loopback,
    launch_options,
    sanitise_filename,
    store_upload,
    uploaded_files,
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
    # No gradio max_file_size (the browser would refuse a whole batch in English): the guard
    # middleware bounds each request, the upload handler each file.
    assert "max_file_size" not in options
    (guard,) = options["app_kwargs"]["middleware"]
    assert guard.cls is HttpGuard
    assert guard.kwargs["max_upload_bytes"] == 2 * 1024 * 1024


def test_public_host_without_users_is_refused() -> None:
    with pytest.raises(ServingError, match="auth_users"):
        launch_options(ServerSettings(host="0.0.0.0"))


def test_public_host_checks_password_hashes() -> None:
    users = {"zhang": hash_password("正确口令", iterations=1000)}
    options = launch_options(ServerSettings(host="0.0.0.0", auth_users=users))
    auth = options["auth"]
    assert asyncio.run(auth("zhang", "正确口令")) is True
    assert asyncio.run(auth("zhang", "错误口令")) is False
    assert asyncio.run(auth("li", "正确口令")) is False


def test_login_rejects_malformed_hash() -> None:
    options = launch_options(ServerSettings(host="0.0.0.0", auth_users={"a": "plain-text"}))
    assert asyncio.run(options["auth"]("a", "plain-text")) is False


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


@pytest.fixture
def gradio_tmp(tmp_path: Path, monkeypatch) -> Path:
    """Gradio's upload folder, under tmp_path."""
    folder = tmp_path / "gradio-tmp"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(folder))
    return folder


def _received(gradio_tmp: Path, name: str, text: str = "示例内容") -> Path:
    temp = gradio_tmp / "0123abcd" / name
    temp.parent.mkdir(parents=True)
    temp.write_text(text, encoding="utf-8")
    return temp


def test_store_upload_moves_gradio_copy_under_data_dir(tmp_path: Path, gradio_tmp: Path) -> None:
    temp = _received(gradio_tmp, "示例通知.txt")
    stored = store_upload(temp, "../../示例通知.txt", tmp_path / "data")
    assert stored.parent.parent == tmp_path / "data" / "uploads"
    assert stored.name == "示例通知.txt"
    assert stored.read_text(encoding="utf-8") == "示例内容"
    assert not temp.exists()  # gradio's copy is gone
    assert not temp.parent.exists()


def test_store_upload_refuses_an_oversize_file_by_name(tmp_path: Path, gradio_tmp: Path) -> None:
    temp = _received(gradio_tmp, "大文件.txt", "字" * 2000)
    with pytest.raises(ValueError, match="大文件.txt.*超过了上传上限"):
        store_upload(temp, "大文件.txt", tmp_path / "data", max_bytes=1000)


def test_only_files_gradio_received_are_taken(tmp_path: Path, gradio_tmp: Path) -> None:
    check_uploaded(str(_received(gradio_tmp, "a.txt")), "a.txt")
    for path in ("/etc/passwd", str(gradio_tmp / ".." / "outside.txt"), ""):
        with pytest.raises(ValueError, match="不是经本页面上传的文件"):
            check_uploaded(path, "passwd")
    outside = tmp_path / "keep.txt"
    outside.write_text("x", encoding="utf-8")
    discard_temp(outside)
    assert outside.exists()  # never deletes outside gradio's folder


def test_uploaded_files_reads_raw_file_data() -> None:
    payload = [{"path": "/tmp/gradio/ab/x.pdf", "orig_name": "办法.pdf", "meta": {"_type": "gradio.FileData"}},
               "/tmp/gradio/cd/y.txt"]
    assert uploaded_files(payload) == [("/tmp/gradio/ab/x.pdf", "办法.pdf"), ("/tmp/gradio/cd/y.txt", "y.txt")]
    assert uploaded_files(None) == []
