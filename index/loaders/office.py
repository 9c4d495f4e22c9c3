""".doc / .wps / .rtf → (LibreOffice) → .docx → the DOCX loader; the file's content decides.

WPS Office and older office systems save under these names whatever they like: an OLE Word 97
file, a .docx zip, RTF, or an HTML page ("Word" exports of web systems). The first bytes
tell which; only OLE, RTF and unknown content need LibreOffice.
"""

from __future__ import annotations

from pathlib import Path

import olefile

from index.loaders.docx import load_docx
from index.loaders.guard import check_zip_archive
from index.loaders.html import load_html_bytes
from index.loaders.soffice import WRITER_PACKAGE, converted
from index.models import LoadError, ParsedFile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# FIB flags word at offset 0x0A of the WordDocument stream: fEncrypted and fObfuscated (XOR).
_FIB_FLAGS_OFFSET = 0x0A
_FIB_ENCRYPTED = 0x0100
_FIB_OBFUSCATED = 0x8000


def sniff(data: bytes) -> str:
    """"ole", "zip", "rtf", "html", "text" (plain text, Word 2003 XML) or "binary" (unknown)."""
    if data.startswith(OLE_MAGIC):
        return "ole"
    if data.startswith(ZIP_MAGIC):
        return "zip"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"<!doctype html", b"mime-version:")) or b"<html" in head:
        return "html"
    return "binary" if _looks_binary(data[:4096]) else "text"


def _looks_binary(head: bytes) -> bool:
    """Control bytes other than tab/newline/escape: not text, and no format we know."""
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) // 100


def load_word_legacy(path: Path) -> ParsedFile:
    """Read a .doc, .wps or .rtf file by what it really contains (see the module docstring)."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    kind = sniff(head)
    if kind == "zip":
        parsed = _load_docx_inside(path)
    elif kind == "html":
        parsed = load_html_bytes(path.read_bytes(), path)
    elif kind == "binary":
        raise LoadError(
            f"文件“{path.name}”已损坏或不是 Word/WPS 文档（无法识别的内容），无法读取。"
            "请用 Word/WPS 打开确认后另存为 .docx 再上传。"
        )
    else:
        if kind == "ole":
            refuse_encrypted_ole(path)
        parsed = _convert_and_load(path, ".rtf" if kind == "rtf" else ".doc")
    parsed.path = path
    parsed.kind = path.suffix.lower().lstrip(".")
    return parsed


def refuse_encrypted_ole(path: Path) -> None:
    """Raise LoadError naming the file when an OLE office file is password-protected."""
    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                _raise_encrypted(path)  # an encrypted .docx/.xlsx wrapped in OLE
            if ole.exists("WordDocument"):
                fib = ole.openstream("WordDocument").read(_FIB_FLAGS_OFFSET + 2)
                flags = int.from_bytes(fib[_FIB_FLAGS_OFFSET:], "little") if len(fib) >= 12 else 0
                if flags & (_FIB_ENCRYPTED | _FIB_OBFUSCATED):
                    _raise_encrypted(path)
    except LoadError:
        raise
    except Exception as exc:  # olefile raises OSError, ValueError and more on broken containers
        raise LoadError(
            f"文件“{path.name}”已损坏，无法读取（OLE 结构无效：{exc}）。"
            "请用 Word/WPS 打开确认后另存为 .docx 再上传。"
        ) from exc


def _raise_encrypted(path: Path) -> None:
    raise LoadError(
        f"文件“{path.name}”设置了打开密码，无法读取。请在 Word/WPS 中取消密码"
        "（文件 → 文档加密/保护文档）并另存为 .docx 后再上传。"
    )


def _load_docx_inside(path: Path) -> ParsedFile:
    check_zip_archive(path)
    return load_docx(path)


def _convert_and_load(path: Path, source_suffix: str) -> ParsedFile:
    with converted(path, "docx", source_suffix=source_suffix, package=WRITER_PACKAGE) as docx_path:
        try:
            return load_docx(docx_path)
        except LoadError as exc:  # its message names our private copy, not the user's file
            raise LoadError(
                f"文件“{path.name}”经 LibreOffice 转换后仍无法读取，文件可能已损坏。"
                "请用 Word/WPS 打开确认后另存为 .docx 再上传。"
            ) from exc
