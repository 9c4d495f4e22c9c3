"""Spreadsheets (.xlsx/.xlsm, .xls, WPS .et) → one heading per sheet, one block per data row.

The content decides the reader: a zip is read by openpyxl (after the zip-bomb check), an OLE
BIFF file (.xls, and most .et files) by xlrd; anything else (.et in WPS's own format) is
converted to .xlsx by LibreOffice first. Cell values are written as a person reads them:
whole numbers without ".0", percentages with %, dates as yyyy-mm-dd.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import xlrd

from index.loaders.guard import check_zip_archive
from index.loaders.office import refuse_encrypted_ole, sniff
from index.loaders.sheet_layout import Grid, sheet_blocks
from index.loaders.soffice import CALC_PACKAGE, converted
from index.models import Block, LoadError, ParsedFile

SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".et")
_UNIT_LINE = re.compile(r"^(?:单位|计量单位|注|说明|备注|填报|制表)\s*[:：]")


def load_sheet(path: Path) -> ParsedFile:
    """Read every sheet of a workbook as sheet headings and row blocks; the title comes first."""
    sheets = read_workbook(path)
    blocks: list[Block] = []
    warnings: list[str] = []
    for name, grid in sheets:
        sheet, cut = sheet_blocks(name, grid)
        blocks.extend(sheet)
        warnings.extend(f"“{path.name}”：{w}" for w in cut)
    title = _first_caption(blocks) or path.stem
    blocks = [Block(title, style="title"), *[b for b in blocks if b.text != title or b.style != "heading3"]]
    kind = path.suffix.lower().lstrip(".")
    return ParsedFile(path=path, kind=kind, blocks=blocks if len(blocks) > 1 else [], warnings=warnings)


def read_workbook(path: Path) -> list[tuple[str, Grid]]:
    """(sheet name, grid of cell texts) for every sheet, reader chosen by content."""
    with path.open("rb") as fh:
        kind = sniff(fh.read(4096))
    if kind == "zip":
        check_zip_archive(path)
        return _openpyxl_sheets(path, path.name)
    if kind == "ole":
        refuse_encrypted_ole(path)  # an encrypted .xlsx is an OLE file too
        try:
            return _xlrd_sheets(path.read_bytes())
        except xlrd.XLRDError as exc:
            if "encrypt" in str(exc).lower():
                raise LoadError(f"表格“{path.name}”设置了打开密码，无法读取。请取消密码后再上传。") from exc
            if path.suffix.lower() != ".et":
                raise _corrupt(path, exc) from exc
        except Exception as exc:  # xlrd raises struct, index and assertion errors on broken files
            if path.suffix.lower() != ".et":
                raise _corrupt(path, exc) from exc
    if path.suffix.lower() != ".et":
        raise _corrupt(path, ValueError("unknown content"))
    return _converted_sheets(path)  # WPS's own .et format, or an OLE file xlrd cannot read


def _openpyxl_sheets(path: Path, name: str) -> list[tuple[str, Grid]]:
    try:
        # read_only mode would skip merged ranges, which headers and group columns rely on;
        # a file object, because openpyxl refuses names not ending in .xlsx (a zipped .et).
        with path.open("rb") as fh:
            book = openpyxl.load_workbook(fh, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
        raise _corrupt(path, exc, name) from exc
    out = []
    for sheet in book.worksheets:
        grid = [[cell_text(c.value, c.number_format) for c in row] for row in sheet.iter_rows()]
        for merged in sheet.merged_cells.ranges:
            _fill(grid, merged.min_row - 1, merged.max_row, merged.min_col - 1, merged.max_col)
        out.append((sheet.title, grid))
    book.close()
    return out


def _xlrd_sheets(data: bytes) -> list[tuple[str, Grid]]:
    book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    out = []
    for sheet in book.sheets():
        grid = [
            [_xlrd_text(book, sheet.cell(r, c)) for c in range(sheet.ncols)] for r in range(sheet.nrows)
        ]
        for r0, r1, c0, c1 in sheet.merged_cells:
            _fill(grid, r0, r1, c0, c1)
        out.append((sheet.name, grid))
    return out


def _converted_sheets(path: Path) -> list[tuple[str, Grid]]:
    with converted(path, "xlsx", source_suffix=path.suffix.lower(), package=CALC_PACKAGE) as xlsx:
        return _openpyxl_sheets(xlsx, path.name)


def cell_text(value: Any, number_format: str = "General") -> str:
    """A cell value as it reads on screen: 12000 not 12000.0, 3.2% for 0.032, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ", "minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        if "%" in (number_format or ""):
            return _number(value * 100) + "%"
        return _number(value)
    return " ".join(str(value).split())


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _xlrd_text(book: xlrd.book.Book, cell: xlrd.sheet.Cell) -> str:
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return cell_text(xlrd.xldate_as_datetime(cell.value, book.datemode))
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell_text(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return cell_text(bool(cell.value))
    if cell.ctype in (xlrd.XL_CELL_ERROR, xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key) if book.xf_list else None
    return cell_text(cell.value, fmt.format_str if fmt else "General")


def _fill(grid: Grid, r0: int, r1: int, c0: int, c1: int) -> None:
    """Copy a merged range's top-left value into all its cells (rows r0..r1-1, cols c0..c1-1)."""
    if r0 >= len(grid) or c0 >= len(grid[r0]):
        return
    value = grid[r0][c0]
    for r in range(r0, min(r1, len(grid))):
        for c in range(c0, min(c1, len(grid[r]))):
            grid[r][c] = value


def _first_caption(blocks: list[Block]) -> str:
    """The first sheet's caption row, unless it is only a unit or note line (单位：万元)."""
    caption = next((b.text for b in blocks[:3] if b.style == "heading3"), "")
    return "" if _UNIT_LINE.match(caption) else caption


def _corrupt(path: Path, exc: Exception, name: str | None = None) -> LoadError:
    return LoadError(
        f"表格文件“{name or path.name}”已损坏或不是有效的 {path.suffix.lower()} 文件，无法读取"
        f"（{type(exc).__name__}）。请用 Excel/WPS 打开确认后另存为 .xlsx 再上传。"
    )
