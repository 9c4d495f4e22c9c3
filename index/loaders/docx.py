"""DOCX → paragraphs and table rows in reading order, with heading levels from styles."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from index.loaders.guard import check_zip_archive
from index.models import Block, LoadError, ParsedFile

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.IGNORECASE)
_TITLE_STYLE = re.compile(r"^(?:title|标题)$", re.IGNORECASE)


def load_docx(path: Path) -> ParsedFile:
    """Read body paragraphs and tables in document order; each table row becomes one Block."""
    document = _open(path)
    blocks: list[Block] = []
    # iter_inner_content walks the body's XML children, so tables stay where they were written.
    for item in document.iter_inner_content():
        if isinstance(item, Table):
            blocks.extend(table_blocks(item))
        else:
            block = paragraph_block(item)
            if block is not None:
                blocks.append(block)
    return ParsedFile(path=path, kind="docx", blocks=blocks)


def paragraph_block(paragraph: Paragraph) -> Block | None:
    """A Block with the paragraph's heading/title style, or None for an empty paragraph."""
    text = paragraph.text.strip()
    if not text:
        return None
    return Block(text, style=paragraph_style(paragraph))


def paragraph_style(paragraph: Paragraph) -> str | None:
    """Return "heading<N>", "title" or None, from the style name or else the outline level."""
    name = (paragraph.style.name or "").strip() if paragraph.style is not None else ""
    if match := _HEADING_STYLE.match(name):
        return f"heading{match.group(1)}"
    if _TITLE_STYLE.match(name):
        return "title"
    level = _outline_level(paragraph)
    return f"heading{level}" if level is not None else None


def table_blocks(table: Table) -> list[Block]:
    """One Block per non-empty row, cells joined with " | " (merged cells only once)."""
    blocks = []
    for row in table.rows:
        cells = _unique_cells(row.cells)
        texts = [" ".join(cell.text.split()) for cell in cells]
        if any(texts):
            blocks.append(Block(" | ".join(texts), style="table"))
    return blocks


def _unique_cells(cells: list) -> list:
    # A horizontally merged cell is returned once per grid column it spans.
    unique: list = []
    for cell in cells:
        if not any(cell._tc is kept._tc for kept in unique):
            unique.append(cell)
    return unique


def _outline_level(paragraph: Paragraph) -> int | None:
    """Heading level 1..9 from w:outlineLvl on the paragraph or its style chain (WPS templates)."""
    elements = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        elements.append(style.element.pPr)
        style = style.base_style
    for ppr in elements:
        lvl = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
        if lvl is not None:
            value = lvl.get(qn("w:val"), "9")
            # 0..8 are outline levels; 9 (or junk) means body text.
            return int(value) + 1 if value.isdigit() and int(value) < 9 else None
    return None


def _open(path: Path):
    if zipfile.is_zipfile(path):  # not a zip at all: the message below explains .doc
        check_zip_archive(path)
    try:
        return docx.Document(str(path))
    except Exception as exc:  # python-docx raises zip, XML and KeyError types on broken files
        raise LoadError(
            f"Word 文件“{path.name}”已损坏或不是有效的 .docx 文件，无法读取（{type(exc).__name__}）。"
            "如果是旧版 .doc 文件，请在 Word/WPS 中另存为 .docx 后再上传。"
        ) from exc
