"""Export a check result to .csv (Excel-friendly), .xlsx (coloured statuses) or .docx."""

from __future__ import annotations

import csv
from pathlib import Path

from assistant.commitments.models import DONE, MISSING, PARTLY, PENDING, CheckResult
from assistant.commitments.table import TABLE_HEADERS, summary_line, table_rows

# green, amber, red; grey for an item awaiting review
STATUS_COLOURS = {DONE: "C6EFCE", PARTLY: "FFEB9C", MISSING: "FFC7CE", PENDING: "E5E7EB"}
COLUMN_WIDTHS = (6, 10, 50, 30, 10, 10, 8, 14, 14, 50, 30, 40, 10, 30, 10, 20)
STATUS_COLUMN = TABLE_HEADERS.index("状态")
SUFFIXES = (".csv", ".xlsx", ".docx")


def export_csv(result: CheckResult, path: Path) -> Path:
    """UTF-8 with BOM so that Excel opens the Chinese text correctly."""
    with Path(path).open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(TABLE_HEADERS)
        writer.writerows(table_rows(result))
    return Path(path)


def export_xlsx(result: CheckResult, path: Path) -> Path:
    """One sheet 承诺核对 with the status cells filled green / amber / red."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "承诺核对"
    ws.append(TABLE_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in table_rows(result):
        ws.append(row)
        status_cell = ws.cell(row=ws.max_row, column=STATUS_COLUMN + 1)
        colour = STATUS_COLOURS[status_cell.value]
        status_cell.fill = PatternFill(start_color=colour, end_color=colour, fill_type="solid")
    for column, width in enumerate(COLUMN_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(column)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    wb.save(path)
    return Path(path)


def export_docx(result: CheckResult, path: Path) -> Path:
    """A Word document: title, summary line and the table."""
    from docx import Document

    doc = Document()
    doc.add_heading(f"承诺核对：{result.plan_title}", level=1)
    doc.add_paragraph(f"核对对象：{result.against}。{summary_line(result)}。")
    table = doc.add_table(rows=1, cols=len(TABLE_HEADERS))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, TABLE_HEADERS, strict=True):
        cell.text = header
    for row in table_rows(result):
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    doc.save(str(path))
    return Path(path)


def export_result(result: CheckResult, path: Path | str) -> Path:
    """Export by file suffix (.csv, .xlsx or .docx)."""
    path = Path(path)
    exporters = {".csv": export_csv, ".xlsx": export_xlsx, ".docx": export_docx}
    if path.suffix.lower() not in exporters:
        raise ValueError(f"不支持的导出格式：{path.suffix}（可用：{'、'.join(SUFFIXES)}）")
    return exporters[path.suffix.lower()](result, path)
