"""PDF → paragraphs with 1-based page numbers (pypdf text layer; pages without one go to OCR)."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError

from index.loaders.ocr import OcrOptions, PageProgress
from index.loaders.paragraphs import Line, display_width, join_lines
from index.models import Block, LoadError, ParsedFile

_PAGE_NUMBER = re.compile(
    r"^(?:[-－—–~·\s]*\d{1,4}[-－—–~·\s]*"  # 3, - 3 -, —3—
    r"|第\s*[\d一二三四五六七八九十百]+\s*页(?:\s*[,，/／]?\s*共\s*\d+\s*页)?"  # 第 3 页 / 第3页 共9页
    r"|共\s*\d+\s*页\s*第\s*\d+\s*页"
    r"|\d{1,4}\s*[/／]\s*\d{1,4}"  # 3/9
    r"|[Pp]age\s*\d+(?:\s*of\s*\d+)?)$"
)
# Headers and footers are looked for among this many lines at the top and bottom of a page.
_EDGE_LINES = 2
# Running headers/footers are short (a title, a unit name); longer repeated lines are kept.
_MAX_RUNNING_WIDTH = 30
# A page whose text layer holds fewer characters than this (a stamped page number) is a scan.
_MIN_PAGE_CHARS = 5


def load_pdf(
    path: Path, ocr: OcrOptions | None = None, progress: PageProgress | None = None
) -> ParsedFile:
    """Read a PDF into one Block per paragraph, keeping the page it starts on.

    Pages without a text layer (scans) are rendered and read by OCR, unless `ocr` is None.
    """
    reader = _open(path)
    pages, warnings = _page_lines(reader, path.name)
    scanned = [i for i, lines in enumerate(pages, 1) if _is_scan(lines)]
    if scanned and ocr is None:
        return _text_only(path, pages, warnings)
    lines = [
        Line(text, page_no)
        for page_no, page in enumerate(_strip_edges(pages), 1)
        if page_no not in scanned
        for text in page
    ]
    if scanned and ocr is not None:
        from index.loaders.pdf_ocr import ocr_pdf_pages  # the OCR engine is heavy: load on demand

        ocr_lines, ocr_warnings = ocr_pdf_pages(path, scanned, ocr, progress)
        lines = sorted(lines + ocr_lines, key=lambda ln: ln.page or 0)  # stable: keeps line order
        warnings += ocr_warnings
        if not lines:
            from index.loaders.layout import blank_scan_message

            raise LoadError(blank_scan_message(path.name, scanned))
    blocks = [Block(p.text, page=p.page) for p in join_lines(lines)]
    return ParsedFile(
        path=path, kind="pdf", blocks=blocks, warnings=warnings, ocr_pages=scanned
    )


def _is_scan(lines: list[str]) -> bool:
    return sum(len(ln.strip()) for ln in lines) < _MIN_PAGE_CHARS


def _text_only(path: Path, pages: list[list[str]], warnings: list[str]) -> ParsedFile:
    """Without OCR: the text layer alone, or the old refusal when there is none."""
    if not any(pages):
        raise LoadError(
            f"PDF 文件“{path.name}”没有可提取的文字，可能是扫描件（图片）。"
            "请先进行 OCR 文字识别，生成带文字层的 PDF 后再上传。"
        )
    empty = [str(i) for i, lines in enumerate(pages, 1) if _is_scan(lines)]
    warnings = warnings + [
        f"“{path.name}”第 {'、'.join(empty)} 页没有文字层（可能是扫描页），未能读取。"
    ]
    lines = [Line(text, n) for n, page in enumerate(_strip_edges(pages), 1) for text in page]
    blocks = [Block(p.text, page=p.page) for p in join_lines(lines)]
    return ParsedFile(path=path, kind="pdf", blocks=blocks, warnings=warnings)


def is_page_number(line: str) -> bool:
    """True for a header/footer line that only carries a page number ("- 3 -", "第 3 页")."""
    return _PAGE_NUMBER.match(line.strip()) is not None


def _open(path: Path) -> PdfReader:
    try:
        reader = PdfReader(path)
        # pypdf already tried the empty password: "protected" PDFs often only restrict printing.
        if reader.is_encrypted and reader.decrypt("") == 0:
            raise LoadError(_encrypted_message(path.name))
        _ = len(reader.pages)  # corrupt page trees only show up here
    except LoadError:
        raise
    except DependencyError as exc:  # AES without the cryptography package
        raise LoadError(_encrypted_message(path.name)) from exc
    except Exception as exc:  # pypdf raises many exception types on broken files
        raise LoadError(
            f"PDF 文件“{path.name}”已损坏或不是有效的 PDF，无法读取（{type(exc).__name__}）。"
        ) from exc
    return reader


def _encrypted_message(name: str) -> str:
    return f"PDF 文件“{name}”已加密（需要密码），无法读取。请先解除密码保护后再上传。"


def _page_lines(reader: PdfReader, name: str) -> tuple[list[list[str]], list[str]]:
    """Non-empty text lines of every page, plus warnings for pages that could not be read."""
    pages: list[list[str]] = []
    warnings: list[str] = []
    for page_no, page in enumerate(reader.pages, 1):
        try:
            text = page.extract_text() or ""
        except Exception as exc:  # one bad page should not cost the whole document
            warnings.append(
                f"“{name}”第 {page_no} 页无法提取文字（{type(exc).__name__}），已跳过。"
            )
            text = ""
        # Keep leading spaces: a first-line indent marks a new paragraph.
        pages.append([ln.rstrip() for ln in text.splitlines() if ln.strip()])
    return pages, warnings


def _strip_edges(pages: list[list[str]]) -> list[list[str]]:
    """Drop page-number lines near the page edges and running headers/footers on most pages."""
    repeated = _running_lines(pages)
    cleaned = []
    for lines in pages:
        n = len(lines)
        cleaned.append(
            [
                ln
                for i, ln in enumerate(lines)
                if not (i < _EDGE_LINES or i >= n - _EDGE_LINES)
                or not _is_furniture(ln, i, n, repeated)
            ]
        )
    return cleaned


def _is_furniture(line: str, index: int, n_lines: int, repeated: set[str]) -> bool:
    if is_page_number(line):
        return True
    return index in (0, n_lines - 1) and _digits_masked(line) in repeated


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Short first/last lines (digits masked) repeated on at least half of 3 or more pages."""
    if len(pages) < 3:
        return set()
    counts: dict[str, int] = {}
    for lines in pages:
        for key in {_digits_masked(lines[0]), _digits_masked(lines[-1])} if lines else ():
            counts[key] = counts.get(key, 0) + 1
    return {
        key
        for key, count in counts.items()
        if count >= max(3, len(pages) / 2) and display_width(key) <= _MAX_RUNNING_WIDTH
    }


def _digits_masked(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip())
