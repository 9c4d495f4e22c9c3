"""Government pages open with a 索引号/发布单位/发布日期/文号 table: turn it into fields, not body text.

Rows come as DOCX table rows or as text with `|` or tab separators
(`索 引 号 | 1/2020-138802 | 公开分类 | |`), or as `发布日期：2020-03-30` lines in PDFs.
"""

from __future__ import annotations

import re

from index.models import Block

KNOWN_KEYS = frozenset(
    [
        # classification
        "索引号", "公开分类", "主题分类", "体裁分类", "组配分类", "信息分类", "服务对象",
        # issuer
        "发布单位", "发布机构", "发文机关", "发文单位", "所属机构", "信息来源", "来源",
        # dates
        "发布日期", "发布时间", "公开日期", "成文日期", "成文时间", "生成日期", "印发日期",
        "生效日期", "实施日期", "施行日期", "失效日期", "废止日期",
        # identity and status
        "文号", "发文字号", "主题词", "关键词", "标题", "名称", "信息名称", "有效性", "时效性",
        "效力状态", "公开方式", "公开范围", "公开形式", "公开时限", "统一编号", "登记号",
        "主送", "主送机关", "抄送", "签发人",
    ]
)  # fmt: skip
# The header table must begin within this many blocks (a title may come first).
MAX_LEADING_BLOCKS = 4
# Fewer known labels than this is more likely a sentence than a header table.
MIN_KNOWN_KEYS = 2
_COLONS = "：:"
_KEY_COLON = re.compile(
    "("
    + "|".join(r"\s*".join(key) for key in sorted(KNOWN_KEYS, key=len, reverse=True))
    + r")\s*[：:]"
)


def split_header_table(blocks: list[Block]) -> tuple[dict[str, str], list[Block]]:
    """Move a leading header table into fields (keys without spaces, empty values dropped)."""
    for start in range(min(MAX_LEADING_BLOCKS, len(blocks))):
        rows = _header_run(blocks, start)
        keys = [key for row in rows for key in row]
        if sum(key in KNOWN_KEYS for key in keys) >= MIN_KNOWN_KEYS:
            return _merge(rows), blocks[:start] + blocks[start + len(rows) :]
    return {}, blocks


def parse_header_row(block: Block) -> dict[str, str] | None:
    """The label → value pairs of one header-table row, or None if the block is not such a row."""
    text = block.text.strip()
    if block.style == "table" or "|" in text:
        return _pair_cells(text.strip("|").split("|"))
    if "\t" in text:
        return _pair_cells(text.split("\t"))
    return _pair_colon_line(text)


def normalise_key(label: str) -> str:
    """Remove spacing and colons from a label ("索 引 号：" → "索引号"): labels are spaced out to align them in the page layout."""
    return "".join(label.split()).rstrip(_COLONS)


def _header_run(blocks: list[Block], start: int) -> list[dict[str, str]]:
    rows = []
    for block in blocks[start:]:
        row = parse_header_row(block)
        if not row:
            break
        rows.append(row)
    return rows


def _merge(rows: list[dict[str, str]]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for row in rows:
        for key, value in row.items():
            if value and key not in fields:
                fields[key] = value
    return fields


def _pair_cells(cells: list[str]) -> dict[str, str] | None:
    """Read cells as label, value, label, value…; a value where a label belongs rejects the row."""
    cells = [c.strip() for c in cells]
    row: dict[str, str] = {}
    i = 0
    while i < len(cells):
        cell = cells[i]
        i += 1
        if not cell:
            continue
        inline = _pair_colon_line(cell)
        if inline:  # "发布日期：2020-03-30" inside one cell
            row.update(inline)
        elif _is_label(cell):
            value = cells[i] if i < len(cells) and not _is_label(cells[i]) else ""
            i += 1 if value else 0
            row[normalise_key(cell)] = " ".join(value.split())
        else:
            return None
    return row or None


def _is_label(cell: str) -> bool:
    key = normalise_key(cell)
    if key in KNOWN_KEYS:
        return True
    # Unknown labels are accepted only in the "名称：" form, and only when short.
    return cell.rstrip().endswith(tuple(_COLONS)) and 0 < len(key) <= 8


def _pair_colon_line(text: str) -> dict[str, str] | None:
    """Parse "索引号：X 发布日期：Y" when the whole text is such pairs, else None."""
    matches = list(_KEY_COLON.finditer(text))
    if not matches or matches[0].start() != 0:
        return None
    row = {}
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following is not None else len(text)
        row[normalise_key(match.group(1))] = " ".join(text[match.end() : end].split())
    return row
