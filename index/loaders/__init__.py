"""Files → ParsedFile: dispatch by suffix, refuse bad input with a Chinese message naming the file."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from index.loaders.docx import load_docx
from index.loaders.header_table import split_header_table
from index.loaders.html import load_html
from index.loaders.images import IMAGE_SUFFIXES, load_image
from index.loaders.ocr import OcrOptions
from index.loaders.ofd import load_ofd
from index.loaders.office import load_word_legacy
from index.loaders.pdf import load_pdf
from index.loaders.sheets import SHEET_SUFFIXES, load_sheet
from index.loaders.text import load_text
from index.models import LoadError, ParsedFile

_LOADERS: dict[str, Callable[[Path], ParsedFile]] = {
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".txt": load_text,
    ".md": load_text,
    # .doc/.wps/.rtf through LibreOffice (or directly when the content is docx/HTML)
    **{suffix: load_word_legacy for suffix in (".doc", ".wps", ".rtf")},
    **{suffix: load_html for suffix in (".html", ".htm", ".mht", ".mhtml")},
    **{suffix: load_sheet for suffix in SHEET_SUFFIXES},
}
# Loaders that may run OCR (scanned pages, images) and so take OcrOptions.
_OCR_LOADERS: dict[str, Callable[[Path, OcrOptions], ParsedFile]] = {
    ".pdf": load_pdf,
    **{suffix: load_image for suffix in IMAGE_SUFFIXES},
    ".ofd": load_ofd,  # pages that are images go to OCR
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_LOADERS) + tuple(
    s for s in _OCR_LOADERS if s not in _LOADERS
)
# Formats people will try; each gets a hint instead of a bare "unsupported".
_CONVERT_HINTS = {
    ".docm": "请另存为 .docx",
    ".ppt": "请导出为 PDF",
    ".pptx": "请导出为 PDF",
    ".ceb": "请在阅读器中导出为 PDF",
}

__all__ = ["SUPPORTED_SUFFIXES", "load_file", "LoadError"]


def load_file(path: Path, *, max_bytes: int, ocr: OcrOptions | None = None) -> ParsedFile:
    """Load any supported file (PDF/OFD/images with OCR, Word/WPS, web page, spreadsheet, text).

    A leading header table is split off into header_fields, over the fields the loader found.

    Args:
        path: the file to read.
        max_bytes: larger files are refused before being read.
        ocr: how scans and images are read (cache, page limit, threads); None: defaults, no cache.

    Raises:
        LoadError: with a Chinese message naming the file, for any input that cannot be used.
    """
    path = Path(path)
    loader = _loader_for(path)
    _check_size(path, max_bytes)
    _keep_parser_logs_off_stderr()
    try:
        suffix = path.suffix.lower()
        if suffix in _OCR_LOADERS:
            parsed = _OCR_LOADERS[suffix](path, ocr or OcrOptions())
        else:
            parsed = loader(path)
    except OSError as exc:  # vanished or unreadable between the size check and the read
        raise LoadError(f"无法读取文件“{path.name}”：{exc.strerror or exc}。") from exc
    if not any(block.text.strip() for block in parsed.blocks):
        raise LoadError(f"文件“{path.name}”没有可读取的文字内容（文件为空或只有空白）。")
    table_fields, parsed.blocks = split_header_table(parsed.blocks)
    # A page's own 索引号 table outranks fields its loader found elsewhere (web page meta tags).
    parsed.header_fields = {**parsed.header_fields, **table_fields}
    return parsed


def _keep_parser_logs_off_stderr() -> None:
    # pypdf logs "EOF marker not found" and the like as warnings; with no logging configured
    # Python prints them to stderr beside our own message. They go to our debug log instead.
    parser_log = logging.getLogger("pypdf")
    if not any(isinstance(h, _ToDebugLog) for h in parser_log.handlers):
        parser_log.addHandler(_ToDebugLog())
        parser_log.propagate = False


class _ToDebugLog(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        logging.getLogger(__name__).debug("%s: %s", record.name, record.getMessage())


def _loader_for(path: Path) -> Callable[[Path], ParsedFile]:
    suffix = path.suffix.lower()
    if suffix in _LOADERS:
        return _LOADERS[suffix]
    if suffix in _OCR_LOADERS:
        return _OCR_LOADERS[suffix]  # type: ignore[return-value]
    supported = "、".join(SUPPORTED_SUFFIXES)
    hint = f"{_CONVERT_HINTS[suffix]}后再上传。" if suffix in _CONVERT_HINTS else ""
    shown = suffix or "（无扩展名）"
    raise LoadError(f"不支持文件“{path.name}”的格式 {shown}，目前支持：{supported}。{hint}")


def _check_size(path: Path, max_bytes: int) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise LoadError(f"无法读取文件“{path.name}”：文件不存在或没有读取权限。") from exc
    if not path.is_file():
        raise LoadError(f"“{path.name}”不是一个文件。")
    if size == 0:
        raise LoadError(f"文件“{path.name}”是空文件（0 字节）。")
    if size > max_bytes:
        raise LoadError(
            f"文件“{path.name}”大小为 {_mb(size)}，超过了上限 {_mb(max_bytes)}，未导入。"
            "可以在设置中调整 ingest.max_file_mb。"
        )


def _mb(n_bytes: int) -> str:
    return f"{n_bytes / 1024 / 1024:.1f} MB" if n_bytes >= 1024 * 100 else f"{n_bytes} 字节"
