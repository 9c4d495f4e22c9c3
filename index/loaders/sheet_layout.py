"""A sheet's cell grid → blocks: regions of rows, each data row written with its column names.

A region is a run of non-empty rows. Rows above its header with a single value are captions
(the region's heading); the header is the first row with two or more different values (a
second header row under merged group cells is joined to it: "能耗-电"); each data row becomes
one table block "列名：值；列名：值", so every passage the chunker cuts still says what each
figure is. Notes (注：…) under a table stay plain text.
"""

from __future__ import annotations

import re
import string

from index.models import Block

Grid = list[list[str]]  # rows of cell texts ("" for empty), merged cells already filled in
MAX_ROWS_PER_SHEET = 20_000  # beyond this a sheet is a data dump, not a document
_NUMBER = re.compile(r"^[-+]?[\d,]+(?:\.\d+)?%?$")


def sheet_blocks(name: str, grid: Grid) -> tuple[list[Block], list[str]]:
    """Blocks of one sheet under a "工作表：name" heading, and warnings (rows cut off)."""
    warnings = []
    if len(grid) > MAX_ROWS_PER_SHEET:
        warnings.append(f"工作表“{name}”有 {len(grid)} 行，只导入了前 {MAX_ROWS_PER_SHEET} 行。")
        grid = grid[:MAX_ROWS_PER_SHEET]
    blocks = [Block(f"工作表：{name}", style="heading2")]
    for region in regions(grid):
        blocks.extend(region_blocks(region))
    return (blocks if len(blocks) > 1 else []), warnings


def regions(grid: Grid) -> list[Grid]:
    """Runs of rows that have at least one non-empty cell, empty columns removed."""
    out: list[Grid] = []
    current: Grid = []
    for row in grid:
        if any(cell.strip() for cell in row):
            current.append([cell.strip() for cell in row])
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return [_drop_empty_columns(r) for r in out]


def region_blocks(region: Grid) -> list[Block]:
    """Caption headings, then one block per data row (or per line for a one-column region)."""
    if all(len(_distinct(r)) <= 1 for r in region):  # a list or a block of notes
        return [Block(_distinct(r)[0]) for r in region]
    start = 0
    captions = []
    while start < len(region) and len(_distinct(region[start])) <= 1:
        captions.append(_distinct(region[start])[0])
        start += 1
    blocks = [Block(c, style="heading3") for c in captions[:1]] + [Block(c) for c in captions[1:]]
    rows = region[start:]
    if len(rows) < 2:  # a lone row has nothing to be a header for
        return blocks + [Block("；".join(_distinct(r)), style="table") for r in rows]
    header, body = header_and_body(rows)
    for row in body:
        blocks.append(_row_block(header, row))
    return blocks


def header_and_body(rows: Grid) -> tuple[list[str], Grid]:
    """Column names (one or two header rows joined) and the data rows below them."""
    header = [cell or _column_letter(i) for i, cell in enumerate(rows[0])]
    body = rows[1:]
    if len(body) >= 2 and _is_subheader(rows[0], body[0]):
        header = [_join_names(top, sub, i) for i, (top, sub) in enumerate(zip(rows[0], body[0], strict=True))]
        body = body[1:]
    return header, body


def _row_block(header: list[str], row: list[str]) -> Block:
    values = _distinct(row)
    if len(values) == 1:  # a note (注：…) or a group line (一、办公用房) inside the table
        return Block(values[0])
    pairs = [f"{name}：{cell}" for name, cell in zip(header, row, strict=True) if cell and cell != name]
    return Block("；".join(pairs), style="table")


def _is_subheader(top: list[str], second: list[str]) -> bool:
    """A second header row: under merged group cells (repeated or blank), and holding no figures."""
    grouped = any(a and a == b for a, b in zip(top, top[1:], strict=False)) or "" in top
    texts = [c for c in second if c]
    return grouped and bool(texts) and not any(_NUMBER.match(c) for c in texts)


def _join_names(top: str, sub: str, index: int) -> str:
    if not top:
        return sub or _column_letter(index)
    return top if not sub or sub == top else f"{top}-{sub}"


def _distinct(row: list[str]) -> list[str]:
    seen: list[str] = []
    for cell in row:
        if cell and cell not in seen:
            seen.append(cell)
    return seen or [""]


def _drop_empty_columns(region: Grid) -> Grid:
    width = max(len(r) for r in region)
    padded = [r + [""] * (width - len(r)) for r in region]
    keep = [i for i in range(width) if any(r[i] for r in padded)]
    return [[r[i] for i in keep] for r in padded]


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = string.ascii_uppercase[rem] + letters
    return f"第{letters}列"
