"""Export a 新旧条文对照表 in the layout offices use: 原条文 | 修改后条文 | 说明.

Deleted words are struck through in the old column; inserted words are bold and underlined in
the new column.
"""

from __future__ import annotations

from pathlib import Path

from assistant.comparison.service import Comparison
from assistant.comparison.table import TableRow
from assistant.comparison.wording import Segment

HEADERS = ("原条文", "修改后条文", "说明")
SUFFIXES = (".docx", ".xlsx")
BODY_FONT = "仿宋"


def export_comparison(comparison: Comparison, path: Path | str, *, changed_only: bool = False) -> Path:
    """Write .docx or .xlsx by suffix; `changed_only` leaves out 未变 rows."""
    path = Path(path)
    rows = [r for r in comparison.rows if not (changed_only and r.kind == "未变")]
    if path.suffix.lower() == ".docx":
        return _docx(comparison, rows, path)
    if path.suffix.lower() == ".xlsx":
        return _xlsx(comparison, rows, path)
    raise ValueError(f"不支持的导出格式：{path.suffix}（可用：{'、'.join(SUFFIXES)}）")


def title_of(comparison: Comparison) -> str:
    return f"《{comparison.title}》新旧条文对照表"


def _docx(comparison: Comparison, rows: list[TableRow], path: Path) -> Path:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    doc.add_heading(title_of(comparison), level=1)
    doc.add_paragraph(comparison.summary())
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, HEADERS, strict=True):
        cell.text = header
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        old_cell, new_cell, note_cell = table.add_row().cells
        _docx_article(old_cell, row.old_label, row.old_segments, strike=True, size=Pt(10.5))
        _docx_article(new_cell, row.new_label, row.new_segments, strike=False, size=Pt(10.5))
        note_cell.text = row.note
    doc.save(str(path))
    return path


def _docx_article(cell, label: str, segments: list[Segment], *, strike: bool, size) -> None:
    from docx.oxml.ns import qn

    paragraph = cell.paragraphs[0]
    if label:
        paragraph.add_run(label + "　").bold = True
    for segment in segments:
        run = paragraph.add_run(segment.text)
        run.font.size = size
        run.font.name = BODY_FONT
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
        if segment.changed:
            if strike:
                run.font.strike = True
            else:
                run.bold = True
                run.underline = True


def _xlsx(comparison: Comparison, rows: list[TableRow], path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "新旧条文对照表"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_rich(row.old_label, row.old_segments, strike=True),
                   _rich(row.new_label, row.new_segments, strike=False), row.note])
    for column, width in zip("ABC", (60, 60, 30), strict=True):
        ws.column_dimensions[column].width = width
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    wb.save(path)
    return path


def _rich(label: str, segments: list[Segment], *, strike: bool):
    """Rich text for one cell: the label bold, changed words struck (old) or bold+underlined (new)."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    if not label and not segments:
        return ""
    parts: list = [TextBlock(InlineFont(b=True), label + "　")] if label else []
    changed = InlineFont(strike=True) if strike else InlineFont(b=True, u="single")
    for segment in segments:
        parts.append(TextBlock(changed, segment.text) if segment.changed else segment.text)
    return CellRichText(parts)
