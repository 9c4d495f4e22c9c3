"""Pages of a PDF without a text layer → rendered with PDFium → OCR → visual lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from index.hashing import file_sha256
from index.loaders.images import blank_page_warnings
from index.loaders.layout import page_lines, running_texts
from index.loaders.ocr import OcrOptions, PageProgress, check_page_limit, ocr_pages
from index.loaders.paragraphs import Line
from index.models import LoadError

# Rendering resolution: scans are usually 150-300 dpi; the detector works at most 2000 px.
RENDER_DPI = 200
MAX_SIDE_PX = 2000


def ocr_pdf_pages(
    path: Path, page_numbers: list[int], options: OcrOptions, progress: PageProgress | None
) -> tuple[list[Line], list[str]]:
    """OCR the given 1-based pages of a PDF; lines in reading order plus warnings."""
    check_page_limit(path.name, len(page_numbers), options.max_pages)
    document = _open(path)
    try:
        pages = ocr_pages(
            lambda n: _render(document, n), page_numbers, name=path.name,
            file_sha=file_sha256(path), options=options, progress=progress,
        )
    finally:
        document.close()
    running = running_texts(pages)
    lines = [line for page in pages for line in page_lines(page, running)]
    return lines, blank_page_warnings(path.name, pages)


def _open(path: Path) -> Any:
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        raise LoadError(f"PDF 文件“{path.name}”的扫描页无法渲染，文件可能已损坏（{exc}）。") from exc


def _render(document: Any, number: int) -> Any:
    """Page `number` (1-based) as a PIL image at RENDER_DPI, long side capped at MAX_SIDE_PX."""
    page = document[number - 1]
    try:
        width, height = page.get_size()  # points (1/72 inch)
        scale = min(RENDER_DPI / 72, MAX_SIDE_PX / max(width, height, 1))
        return page.render(scale=scale).to_pil()
    finally:
        page.close()

