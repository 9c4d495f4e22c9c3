"""Zip bombs are refused from the archive's directory, quickly, with the file named."""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from pathlib import Path

import docx
import pytest

from index.loaders import load_file
from index.loaders.guard import check_zip_archive, read_zip_member
from index.models import LoadError

GB = 1024**3
_PARAGRAPHS = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>" * 30_000  # ~1 MB of body XML


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _write_zip(path: Path, members: list[tuple[str, bytes, int, int]]) -> None:
    """Write deflated members (name, raw deflate data, crc, unpacked size) as a plain zip."""
    out = io.BytesIO()
    central = b""
    for name, data, crc, size in members:
        encoded = name.encode()
        offset = out.tell()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size,
                              len(encoded), 0) + encoded + data)
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data),
                               size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    start = out.tell()
    out.write(central + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members),
                                    len(central), start, 0))
    path.write_bytes(out.getvalue())


def _bomb_body(unpacked: int) -> tuple[bytes, int, int]:
    """A document.xml of `unpacked` bytes, deflated block by block without compressing it all."""
    head = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats'
            b'.org/wordprocessingml/2006/main"><w:body>')
    tail = b"</w:body></w:document>"
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    # After a full flush the compressor forgets its history, so every block compresses the same.
    block = compressor.compress(_PARAGRAPHS) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeats = (unpacked - len(head) - len(tail)) // len(_PARAGRAPHS)
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(_PARAGRAPHS, crc)
    crc = zlib.crc32(tail, crc)
    data = first + block * repeats + compressor.compress(tail) + compressor.flush()
    return data, crc, len(head) + repeats * len(_PARAGRAPHS) + len(tail)


def _docx_bomb(path: Path, unpacked: int) -> Path:
    """A real .docx (python-docx's template) whose word/document.xml unpacks to `unpacked` bytes."""
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    members = []
    with zipfile.ZipFile(buffer) as template:
        for info in template.infolist():
            raw = template.read(info)
            if info.filename == "word/document.xml":
                members.append((info.filename, *_bomb_body(unpacked)))
            else:
                members.append((info.filename, _deflate(raw), zlib.crc32(raw), len(raw)))
    _write_zip(path, members)
    return path


def test_docx_unpacking_to_a_gigabyte_is_refused_quickly_with_its_name(tmp_path: Path) -> None:
    bomb = _docx_bomb(tmp_path / "炸弹.docx", GB)
    assert bomb.stat().st_size < 10 * 1024 * 1024  # passes the file size limit
    started = time.perf_counter()
    with pytest.raises(LoadError, match="炸弹.docx.*解压后约 1.0 GB.*压缩炸弹"):
        load_file(bomb, max_bytes=50 * 1024 * 1024)
    assert time.perf_counter() - started < 2.0


def test_a_small_member_with_a_bomb_ratio_is_refused(tmp_path: Path) -> None:
    bomb = _docx_bomb(tmp_path / "小炸弹.docx", 64 * 1024 * 1024)  # under the total cap
    with pytest.raises(LoadError, match=r"小炸弹.docx.*word/document.xml.*压缩比"):
        check_zip_archive(bomb)


def test_an_ordinary_docx_passes_and_loads(tmp_path: Path) -> None:
    path = tmp_path / "正常.docx"
    document = docx.Document()
    for i in range(200):
        document.add_paragraph(f"第{i}段：按照示例市机关事务管理局的要求，做好办公用房管理工作。")
    document.save(str(path))
    check_zip_archive(path)
    assert len(load_file(path, max_bytes=10 * 1024 * 1024).blocks) == 200


def test_a_docx_that_is_not_a_zip_keeps_the_save_as_hint(tmp_path: Path) -> None:
    path = tmp_path / "旧版.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 2000)  # an OLE .doc renamed
    with pytest.raises(LoadError, match="旧版.docx.*另存为 .docx"):
        load_file(path, max_bytes=10 * 1024 * 1024)


def test_too_many_members_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "部件.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(30):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", "<x/>")
    with pytest.raises(LoadError, match="部件.xlsx.*30 个部件"):
        check_zip_archive(path, max_members=20)


def test_reading_a_member_stops_at_its_cap(tmp_path: Path) -> None:
    path = tmp_path / "表格.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"a" * (3 << 20))
    with zipfile.ZipFile(path) as archive:
        assert len(read_zip_member(archive, "xl/sharedStrings.xml", max_bytes=4 << 20,
                                   filename=path.name)) == 3 << 20
        with pytest.raises(LoadError, match="表格.xlsx.*sharedStrings.xml"):
            read_zip_member(archive, "xl/sharedStrings.xml", max_bytes=1 << 20, filename=path.name)

