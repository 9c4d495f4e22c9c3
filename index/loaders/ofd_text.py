"""OFD page content → positioned text runs → visual lines in reading order.

A TextCode's position is its TextObject's Boundary origin plus X/Y (Y is the baseline), mapped
through the object's CTM when it has one; DeltaX gives the advance after each glyph
("g 3 5.2" repeats 5.2 three times). Runs whose baselines are within half a character height
share a line; a line starting well right of the page's left margin is written with a
first-line indent, which is what the paragraph joiner looks for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from index.loaders.paragraphs import Line, display_width
from index.loaders.pdf import is_page_number

# Runs this far apart (in character heights) on one line are separate cells: keep a space.
_GAP_FOR_SPACE = 1.5
# A line this many character heights right of the left margin starts a paragraph.
_INDENT_CHARS = 1.5
_SAME_LINE = 0.5  # baselines closer than this share of the size are one line


@dataclass
class TextRun:
    """One TextCode placed on the page (mm): baseline origin, end, size and text."""

    x: float
    y: float
    x_end: float
    size: float
    text: str


def text_runs(content: Element) -> list[TextRun]:
    """Every TextCode of a page's Content.xml as a positioned run, in document order."""
    runs: list[TextRun] = []
    for obj in content.iter():
        if _local(obj.tag) == "TextObject":
            runs.extend(_object_runs(obj))
    return runs


def page_lines(runs: list[TextRun], page: int) -> list[Line]:
    """Visual lines of one page, top to bottom, left to right; page numbers dropped."""
    rows = _rows([r for r in runs if r.text.strip()])
    if not rows:
        return []
    margin = min(row[0].x for row in rows)
    lines = []
    for row in rows:
        text = _row_text(row)
        if not text.strip() or is_page_number(text):
            continue
        size = max(r.size for r in row)
        indent = "\u3000\u3000" if row[0].x - margin >= _INDENT_CHARS * size else ""
        lines.append(Line(indent + text.strip(), page))
    return lines


def _object_runs(obj: Element) -> list[TextRun]:
    box = _numbers(obj.get("Boundary", "")) or [0.0, 0.0, 0.0, 0.0]
    size = (_numbers(obj.get("Size", "")) or [3.5])[0]
    ctm = _numbers(obj.get("CTM", ""))
    runs: list[TextRun] = []
    x = y = 0.0
    for code in obj:
        if _local(code.tag) != "TextCode":
            continue
        text = code.text or ""
        if "\n" in text:  # pretty-printed XML: the line breaks and indents are not text
            text = text.strip()
        x = _number(code.get("X"), x)
        y = _number(code.get("Y"), y)
        advances = deltas(code.get("DeltaX", ""))
        width = sum(advances[: max(len(text) - 1, 0)]) if advances else display_width(text[:-1]) * size
        x_end = x + width + (display_width(text[-1:]) * size)
        (px, py), (pe, _) = _apply(ctm, x, y), _apply(ctm, x_end, y)
        scale = abs(ctm[3]) if len(ctm) == 6 and ctm[3] else 1.0
        runs.append(TextRun(box[0] + px, box[1] + py, box[0] + pe, size * scale, text))
        x = x_end  # a following TextCode without X continues after this one
    return runs


def deltas(spec: str) -> list[float]:
    """DeltaX/DeltaY values with the "g N V" repetitions expanded."""
    tokens = spec.split()
    out: list[float] = []
    i = 0
    while i < len(tokens):
        if tokens[i] == "g" and i + 2 < len(tokens):
            out.extend([_number(tokens[i + 2], 0.0)] * int(_number(tokens[i + 1], 0.0)))
            i += 3
        else:
            out.append(_number(tokens[i], 0.0))
            i += 1
    return out


def _rows(runs: list[TextRun]) -> list[list[TextRun]]:
    """Group runs into lines by baseline, lines top to bottom, runs left to right."""
    rows: list[list[TextRun]] = []
    for run in sorted(runs, key=lambda r: (r.y, r.x)):
        if rows and abs(run.y - rows[-1][0].y) <= _SAME_LINE * max(run.size, rows[-1][0].size):
            rows[-1].append(run)
        else:
            rows.append([run])
    return [sorted(row, key=lambda r: r.x) for row in rows]


def _row_text(row: list[TextRun]) -> str:
    parts = [row[0].text]
    for prev, run in zip(row, row[1:], strict=False):
        gap = run.x - prev.x_end
        parts.append((" " if gap >= _GAP_FOR_SPACE * run.size else "") + run.text)
    return re.sub(r"[ \t]+", " ", "".join(parts))


def _apply(ctm: list[float], x: float, y: float) -> tuple[float, float]:
    if len(ctm) != 6:
        return x, y
    a, b, c, d, e, f = ctm
    return a * x + c * y + e, b * x + d * y + f


def _numbers(text: str) -> list[float]:
    try:
        return [float(v) for v in text.split()]
    except ValueError:
        return []


def _number(value: str | None, default: float) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
