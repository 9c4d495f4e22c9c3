""".doc/.wps/.rtf: real files written by LibreOffice, content sniffing, and a misbehaving converter.

LibreOffice is installed by `make test` (Makefile target office-deps); without it these tests
skip locally and fail under CI, so CI can never silently skip them.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import olefile
import pytest

from index.loaders import load_file
from index.loaders import soffice as soffice_module
from index.models import LoadError
from tests.fixtures.format_samples import (
    gov_page_html,
    libreoffice_convert,
    write_regulation_docx,
)

MAX = 50 * 1024 * 1024


def _need_libreoffice() -> None:
    if soffice_module.find_soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice must be installed in CI (make test runs office-deps)")
        pytest.skip("LibreOffice (soffice) not installed; `make office-deps` installs it")


@pytest.fixture(scope="module")
def office_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The regulation as .docx, and as .doc and .rtf written from it by LibreOffice."""
    _need_libreoffice()
    folder = tmp_path_factory.mktemp("office")
    source = write_regulation_docx(folder / "示例市公务用车管理办法.docx")
    return {
        "docx": source,
        "doc": libreoffice_convert(source, "doc", folder / "示例市公务用车管理办法.doc"),
        "rtf": libreoffice_convert(source, "rtf", folder / "示例市公务用车管理办法.rtf"),
    }


def _fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Path:
    """Put a fake `soffice` shell script first on PATH; returns its folder."""
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "soffice"
    fake.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    return bin_dir


def _rtf(tmp_path: Path, name: str = "通知.rtf") -> Path:
    path = tmp_path / name
    path.write_bytes(b"{\\rtf1\\ansi sample}")
    return path


# --- real files --------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["doc", "rtf"])
def test_libreoffice_written_file_keeps_title_chapters_and_articles(
    office_files: dict[str, Path], kind: str
) -> None:
    parsed = load_file(office_files[kind], max_bytes=MAX)
    assert parsed.kind == kind
    assert parsed.path == office_files[kind]
    texts = [b.text for b in parsed.blocks]
    assert parsed.blocks[0].style == "title"
    assert texts[0] == "示例市公务用车管理办法"
    assert any(b.style == "heading1" and "使用管理" in b.text for b in parsed.blocks)
    assert any(t.startswith("第四条") and "封存停放" in t for t in texts)


def test_wps_file_holding_a_word97_document_is_converted(
    office_files: dict[str, Path], tmp_path: Path
) -> None:
    wps = tmp_path / "WPS文字文件.wps"
    shutil.copyfile(office_files["doc"], wps)
    parsed = load_file(wps, max_bytes=MAX)
    assert parsed.kind == "wps"
    assert any(b.text.startswith("第三条") for b in parsed.blocks)


def test_wps_file_holding_a_docx_needs_no_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wps = write_regulation_docx(tmp_path / "另存的.wps")
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice anywhere
    parsed = load_file(wps, max_bytes=MAX)
    assert any(b.text.startswith("第五条") for b in parsed.blocks)


def test_doc_that_is_really_a_web_page_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "系统导出.doc"
    path.write_bytes(gov_page_html().encode("gb2312"))
    parsed = load_file(path, max_bytes=MAX)
    text = parsed.text
    assert "节约型机关" in text
    assert "机构设置" not in text


def test_doc_that_is_plain_text_is_converted(tmp_path: Path) -> None:
    _need_libreoffice()
    path = tmp_path / "纯文本.doc"
    path.write_text("示例市会议室管理规定\n第一条　会议室由办公室统一管理。\n第二条　使用会议室应当提前一天预约。\n")
    texts = [b.text for b in load_file(path, max_bytes=MAX).blocks]
    assert "第二条　使用会议室应当提前一天预约。" in texts


def test_unrecognisable_binary_doc_is_refused_without_conversion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_soffice(tmp_path, monkeypatch, "exit 99\n")  # would say 出错退出 if it were called
    path = tmp_path / "乱码.doc"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(LoadError, match="乱码.doc.*无法识别的内容"):
        load_file(path, max_bytes=MAX)


# --- bad input ---------------------------------------------------------------------------------


def test_password_protected_doc_is_refused_with_its_name(
    office_files: dict[str, Path], tmp_path: Path
) -> None:
    path = tmp_path / "加密文件.doc"
    shutil.copyfile(office_files["doc"], path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        fib = bytearray(ole.openstream("WordDocument").read())
        fib[0x0B] |= 0x01  # FIB flags: fEncrypted, as Word sets it for an opening password
        ole.write_stream("WordDocument", bytes(fib))
    with pytest.raises(LoadError, match="加密文件.doc.*密码"):
        load_file(path, max_bytes=MAX)


def test_corrupt_doc_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "损坏.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(3000))
    with pytest.raises(LoadError, match="损坏.doc"):
        load_file(path, max_bytes=MAX)


def test_missing_libreoffice_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(LoadError, match="通知.rtf.*apt-get install -y libreoffice-writer-nogui"):
        load_file(_rtf(tmp_path), max_bytes=MAX)


def test_hanging_libreoffice_is_killed_with_its_children(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid_file = tmp_path / "child.pid"
    _fake_soffice(tmp_path, monkeypatch, f"sleep 60 &\necho $! > '{pid_file}'\nwait\n")
    monkeypatch.setattr(soffice_module, "CONVERT_TIMEOUT_S", 1.0)
    started = time.monotonic()
    with pytest.raises(LoadError, match="通知.rtf.*超过 1 秒"):
        load_file(_rtf(tmp_path), max_bytes=MAX)
    assert time.monotonic() - started < 10
    child = int(pid_file.read_text())
    time.sleep(0.2)
    assert not _running(child)  # the converter's own child died with its process group


def _running(pid: int) -> bool:
    """True while `pid` runs (a killed process waiting to be reaped, state Z, is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_crashing_libreoffice_gives_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_soffice(tmp_path, monkeypatch, "echo 'soffice.bin: Segmentation fault' >&2\nexit 139\n")
    with pytest.raises(LoadError, match="通知.rtf.*出错退出.*139"):
        load_file(_rtf(tmp_path), max_bytes=MAX)


def test_libreoffice_that_writes_nothing_gives_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_soffice(tmp_path, monkeypatch, "echo 'Error: source file could not be loaded' >&2\nexit 0\n")
    with pytest.raises(LoadError, match="LibreOffice 无法打开文件“通知.rtf”"):
        load_file(_rtf(tmp_path), max_bytes=MAX)


def test_user_file_name_never_reaches_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args_file = tmp_path / "args.txt"
    _fake_soffice(tmp_path, monkeypatch, f"printf '%s\\n' \"$@\" > '{args_file}'\nexit 1\n")
    path = _rtf(tmp_path, "--infilter=x;$(touch pwned) 通知.rtf")
    with pytest.raises(LoadError):
        load_file(path, max_bytes=MAX)
    args = args_file.read_text(encoding="utf-8")
    assert "pwned" not in args
    assert "通知" not in args
    assert "--convert-to" in args
    assert "-env:UserInstallation=file://" in args
    assert not (tmp_path / "pwned").exists()


def test_conversions_run_one_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "log.txt"
    _fake_soffice(tmp_path, monkeypatch, f"echo start >> '{log}'\nsleep 0.3\necho end >> '{log}'\nexit 1\n")
    paths = [_rtf(tmp_path, f"通知{i}.rtf") for i in range(3)]

    messages: list[str] = []

    def convert(path: Path) -> None:
        try:
            load_file(path, max_bytes=MAX)
        except LoadError as exc:
            messages.append(str(exc))

    threads = [threading.Thread(target=convert, args=(p,)) for p in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert log.read_text().split() == ["start", "end"] * 3
    assert len(messages) == 3
    assert all("出错退出" in m for m in messages)
