"""OCR line boxes → paragraphs in reading order.

Per page: drop page numbers and running headers in the top and bottom bands, find two columns
when a vertical gutter splits the body, merge boxes on one row, turn each row's left offset into
a first-line indent, then let the text-layer paragraph joiner (index.loaders.paragraphs) rebuild
paragraphs, so scanned and text PDFs follow the same rules for 一、（一）第X条.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter

from index.loaders.ocr import OcrLine, OcrPage
from index.loaders.paragraphs import Line, display_width, ends_sentence, join_lines
from index.loaders.pdf import is_page_number
from index.models import Block, LoadError

# Share of the page height at the top and bottom where headers and page numbers live (line
# centres; 公文 body text starts 37 mm = 12.5 % down an A4 page and ends 12 % above its foot).
EDGE_BAND = 0.1
# A row starting this many character widths right of its column's edge is indented.
INDENT_CHARS = 1.2
# The gutter between two columns: at least this many character widths of empty x range (the
# detector's boxes are padded, so a printed 2-character gutter shows as about 1)…
MIN_GUTTER_CHARS = 0.8
# …with at least this share of the body lines on each side of it.
MIN_COLUMN_SHARE = 0.25
# Boxes whose vertical overlap exceeds this share of the smaller height sit on one row.
SAME_ROW_OVERLAP = 0.5
# Running headers are short; repeated on at least this share of pages (3 pages or more).
_MAX_RUNNING_WIDTH = 30
_RUNNING_SHARE = 0.5

_CN = "一二三四五六七八九十百千零〇两"
# OCR drops the space after 第X条 / 第X章 that the structure parser relies on.
_ARTICLE_GLUED = re.compile(rf"^(第[{_CN}\d]+条)(?=[^\s，,。、的规])")
_HEADING_GLUED = re.compile(rf"^(第[{_CN}\d]+[编章节])(?=\S)")


def pages_to_blocks(pages: list[OcrPage], *, name: str) -> list[Block]:
    """Paragraph Blocks (page numbers kept) from OCR'd pages; refuses when no page has text."""
    if not any(page.lines for page in pages):
        raise LoadError(blank_scan_message(name, [p.page for p in pages]))
    running = running_texts(pages)
    lines: list[Line] = []
    for page in pages:
        lines.extend(page_lines(page, running))
    return [Block(p.text, page=p.page) for p in join_lines(lines)]


def blank_scan_message(name: str, pages: list[int]) -> str:
    """The refusal for a scan on which OCR found no text at all."""
    shown = "、".join(map(str, pages[:10])) + ("…" if len(pages) > 10 else "")
    return (
        f"文件“{name}”是扫描件，但文字识别（OCR）在第 {shown} 页上没有识别出文字，"
        "可能是空白页或图像过于模糊。"
        "请检查扫描件，或以不低于 150 dpi 重新扫描后再上传。"
    )


def blank_pages(pages: list[OcrPage]) -> list[int]:
    """Numbers of OCR'd pages where no text was recognised."""
    return [p.page for p in pages if not p.lines]


def page_lines(page: OcrPage, running: set[str] | None = None) -> list[Line]:
    """One page's visual lines in reading order, first-line indents as two leading spaces."""
    body = [ln for ln in page.lines if not _is_furniture(ln, page, running or set())]
    if not body:
        return []
    char = _char_size(body)
    lines: list[Line] = []
    for column in _reading_order(body, page.width, char):
        lines.extend(_column_lines(column, char, page.page))
    return lines


def _is_furniture(line: OcrLine, page: OcrPage, running: set[str]) -> bool:
    if not _in_edge_band(line, page):
        return False
    return is_page_number(_dashes(line.text)) or _masked(line.text) in running


def _in_edge_band(line: OcrLine, page: OcrPage) -> bool:
    centre = (line.y0 + line.y1) / 2
    return centre < EDGE_BAND * page.height or centre > (1 - EDGE_BAND) * page.height


def _dashes(text: str) -> str:
    # "— 3 —" is often read as "-3一": a 一 beside the number is a dash there.
    return re.sub(r"^一|一$", "—", text.strip())


def running_texts(pages: list[OcrPage]) -> set[str]:
    """Short edge-band lines (digits masked) repeated on at least half of 3 or more pages."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        edge = {_masked(ln.text) for ln in page.lines if _in_edge_band(ln, page)}
        counts.update(edge)
    need = max(3, _RUNNING_SHARE * len(pages))
    return {t for t, n in counts.items() if n >= need and display_width(t) <= _MAX_RUNNING_WIDTH}


def _masked(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _char_size(lines: list[OcrLine]) -> float:
    """Width of one CJK character in pixels, from the widest-text lines."""
    sizes = [
        (ln.x1 - ln.x0) / display_width(ln.text)
        for ln in lines
        if display_width(ln.text) >= 4
    ]
    if not sizes:
        return statistics.median(ln.height for ln in lines)
    return statistics.median(sizes)


# ----- columns and reading order ------------------------------------------------------------


def _reading_order(lines: list[OcrLine], width: int, char: float) -> list[list[OcrLine]]:
    """Runs of lines to read top to bottom: full-width stretches and column stretches."""
    gutter = _gutter(lines, width, char)
    if gutter is None:
        return [lines]
    left_edge, right_edge = gutter
    runs: list[list[OcrLine]] = []
    left: list[OcrLine] = []
    right: list[OcrLine] = []
    for line in sorted(lines, key=lambda ln: ln.y0):
        if line.x1 <= right_edge - 0.01 and line.x1 <= left_edge + char:
            left.append(line)
        elif line.x0 >= left_edge - char:
            right.append(line)
        else:  # spans the gutter (a title): the columns above it end here
            runs += [r for r in (left, right) if r] + [[line]]
            left, right = [], []
    runs += [r for r in (left, right) if r]
    return runs


def _gutter(lines: list[OcrLine], width: int, char: float) -> tuple[float, float] | None:
    """The widest empty vertical band in the middle third of the page, if it splits the body."""
    step = max(1.0, char / 4)
    n_bins = int(width / step) + 1
    covered = [0] * n_bins
    for ln in lines:
        for i in range(int(ln.x0 / step), min(n_bins, int(ln.x1 / step) + 1)):
            covered[i] += 1
    # A title may cross the gutter: allow a few crossings.
    allowed = max(1, len(lines) // 20)
    best: tuple[int, int] | None = None
    start = None
    for i in range(int(n_bins * 0.3), int(n_bins * 0.7) + 1):
        if i < n_bins and covered[i] <= allowed:
            start = i if start is None else start
            if best is None or i - start > best[1] - best[0]:
                best = (start, i)
        else:
            start = None
    if best is None or (best[1] - best[0] + 1) * step < MIN_GUTTER_CHARS * char:
        return None
    left_edge, right_edge = best[0] * step, (best[1] + 1) * step
    left = [ln for ln in lines if ln.x1 <= left_edge + char]
    n_right = sum(ln.x0 >= right_edge - char for ln in lines)
    if min(len(left), n_right) < MIN_COLUMN_SHARE * len(lines):
        return None
    # Text columns are justified: most left-column lines run up to the gutter. A table's
    # label cells stop short, and a table must be read row by row, not column by column.
    filled = sum(ln.x1 >= left_edge - 2 * char for ln in left)
    if filled < 0.5 * len(left):
        return None
    return left_edge, right_edge


# ----- rows and indentation -----------------------------------------------------------------


def _column_lines(column: list[OcrLine], char: float, page: int) -> list[Line]:
    rows = _rows(column)
    edge = _left_edge(rows)
    lines: list[Line] = []
    previous = ""
    for row in rows:
        text = _row_text(row, char)
        indented = row[0].x0 - edge >= INDENT_CHARS * char
        starts = indented or not previous or ends_sentence(previous)
        text = _unglue(text, starts)
        lines.append(Line(("  " if indented else "") + text, page))
        previous = text
    return lines


def _rows(lines: list[OcrLine]) -> list[list[OcrLine]]:
    """Group boxes into rows (top to bottom), each row's boxes left to right."""
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.y0 + ln.y1) / 2):
        if rows and _same_row(rows[-1], line):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda ln: ln.x0) for row in rows]


def _same_row(row: list[OcrLine], line: OcrLine) -> bool:
    top = max(ln.y0 for ln in row)
    bottom = min(ln.y1 for ln in row)
    overlap = min(bottom, line.y1) - max(top, line.y0)
    return overlap > SAME_ROW_OVERLAP * min(line.height, bottom - top)


def _left_edge(rows: list[list[OcrLine]]) -> float:
    """The column's left text edge: a low percentile of row starts, robust to a stray box."""
    starts = sorted(row[0].x0 for row in rows)
    return starts[int(0.1 * (len(starts) - 1))]


def _row_text(row: list[OcrLine], char: float) -> str:
    parts = [row[0].text]
    for prev, line in zip(row, row[1:], strict=False):
        # A wide gap is a table cell or a signature block: keep the pieces apart.
        parts.append(" " if line.x0 - prev.x1 > 1.5 * char else "")
        parts.append(line.text)
    return "".join(parts)


def _unglue(text: str, starts_paragraph: bool) -> str:
    """Put back the space after 第X条 / 第X章 that OCR drops, where a paragraph starts."""
    if not starts_paragraph:
        return text
    text = _ARTICLE_GLUED.sub(r"\1 ", text)
    return _HEADING_GLUED.sub(r"\1 ", text) if display_width(text) <= 20 else text
