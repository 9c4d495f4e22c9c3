"""Zip-based formats (.docx, .xlsx, .ofd): refuse archives that would unpack to far more than they hold.

Call `check_zip_archive(path)` before handing a zip-based file to its parser, and read members
yourself only through `read_zip_member` (a streaming read with a cap), so a zip bomb is refused
with a message naming the file instead of filling memory.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from index.models import LoadError

# A 50 MB .docx of text and pictures unpacks to well under this; a zip bomb unpacks to gigabytes.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
# Office XML compresses 5-30x, pictures ~1x; 1 GB of repeated XML squeezes ~1000x.
MAX_RATIO = 200.0
# Ratios of tiny members mean nothing (a 2 KB part of spaces); only larger ones are judged.
RATIO_MIN_BYTES = 1024 * 1024
# A .docx holds tens of parts, an .xlsx hundreds, an OFD a few per page.
MAX_MEMBERS = 20_000


def check_zip_archive(
    path: Path,
    *,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
    max_ratio: float = MAX_RATIO,
    max_members: int = MAX_MEMBERS,
) -> None:
    """Refuse a zip archive by its directory before anything is unpacked.

    Checks the number of members, the declared unpacked size of all members together, and the
    compression ratio of every member of at least 1 MiB. Python's zipfile never returns more
    than a member's declared size, so a lying header cannot get past these checks either.

    Args:
        path: the .docx/.xlsx/.ofd file.
        max_unpacked_bytes: refuse when the members together unpack to more than this.
        max_ratio: refuse when a member unpacks to more than this many times its packed size.
        max_members: refuse archives with more members than this.

    Raises:
        LoadError: with a Chinese message naming the file (also for a file that is not a zip).
    """
    path = Path(path)
    infos = _infolist(path)
    if len(infos) > max_members:
        raise LoadError(
            f"文件“{path.name}”内部包含 {len(infos)} 个部件，超过上限 {max_members}，"
            "可能是恶意构造的压缩文件，未导入。"
        )
    total = sum(info.file_size for info in infos)
    if total > max_unpacked_bytes:
        raise LoadError(
            f"文件“{path.name}”解压后约 {_size(total)}，超过上限 {_size(max_unpacked_bytes)}，"
            "可能是恶意构造的压缩文件（“压缩炸弹”），未导入。"
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size >= RATIO_MIN_BYTES and ratio > max_ratio:
            raise LoadError(
                f"文件“{path.name}”中的部件 {info.filename} 压缩比高达 {ratio:.0f} 倍"
                f"（上限 {max_ratio:.0f} 倍），可能是恶意构造的压缩文件，未导入。"
            )


def read_zip_member(archive: zipfile.ZipFile, name: str, *, max_bytes: int, filename: str) -> bytes:
    """Read one member in 1 MiB steps, refusing (LoadError naming `filename`) past `max_bytes`."""
    parts: list[bytes] = []
    size = 0
    with archive.open(name) as member:
        while chunk := member.read(1 << 20):
            size += len(chunk)
            if size > max_bytes:
                raise LoadError(
                    f"文件“{filename}”中的部件 {name} 解压后超过 {_size(max_bytes)}，"
                    "可能是恶意构造的压缩文件，未导入。"
                )
            parts.append(chunk)
    return b"".join(parts)


def _infolist(path: Path) -> list[zipfile.ZipInfo]:
    try:
        with zipfile.ZipFile(path) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise LoadError(
            f"文件“{path.name}”已损坏或不是有效的 {path.suffix.lower() or '压缩'} 文件，无法读取。"
        ) from exc


def _size(n_bytes: int) -> str:
    if n_bytes >= 1024**3:
        return f"{n_bytes / 1024**3:.1f} GB"
    return f"{n_bytes / 1024**2:.0f} MB"


__all__ = ["MAX_MEMBERS", "MAX_RATIO", "MAX_UNPACKED_BYTES", "check_zip_archive", "read_zip_member"]
