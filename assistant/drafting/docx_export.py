"""Export drafts to .docx following GB/T 9704 公文 conventions (fonts, sizes, margins)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from assistant.drafting.models import Draft
from assistant.drafting.render import SOURCES_HEADING, UNVERIFIED_HEADING, numbered_sources
from assistant.drafting.traceability import MARK_RE

# GB/T 9704-2012: title 2号小标宋, body 3号仿宋, level-1 headings 黑体, level-2 楷体.
TITLE_FONT, BODY_FONT = "方正小标宋简体", "仿宋_GB2312"
HEADING_FONTS = {1: "黑体", 2: "楷体_GB2312"}
SIZE_2, SIZE_3 = Pt(22), Pt(16)
LINE_SPACING = Pt(28)  # fixed 28 pt gives the standard 22 lines per page
MARGINS = {"top_margin": Mm(37), "bottom_margin": Mm(35), "left_margin": Mm(28),
           "right_margin": Mm(26)}
CN_ORDINALS = "一二三四五六七八九十"


def export_docx(drafts: Draft | Sequence[Draft], path: str | Path, title: str = "") -> Path:
    """Write drafted sections to a 公文-formatted .docx with sources listed at the end."""
    drafts = [drafts] if isinstance(drafts, Draft) else list(drafts)
    doc = Document()
    _page_setup(doc)
    if title:
        _title(doc, title)
    counters = [0, 0]
    for draft in drafts:
        _heading(doc, _numbered(draft, counters), draft.level)
        if draft.banner:
            _body(doc, draft.banner)
        for para in draft.text.splitlines():
            if para.strip():
                _body(doc, para)
    _sources(doc, drafts)
    path = Path(path)
    doc.save(str(path))
    return path


def set_run_font(run, name: str, size: Pt, *, bold: bool = False) -> None:
    """Name the font for Latin and East Asian text alike (w:eastAsia), even if not installed."""
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _page_setup(doc) -> None:
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        for attr, value in MARGINS.items():
            setattr(section, attr, value)


def _paragraph(doc, *, indent: bool = True) -> Paragraph:
    para = doc.add_paragraph()
    fmt = para.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_SPACING
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 三号
    return para


def _title(doc, text: str) -> None:
    para = _paragraph(doc, indent=False)
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_run_font(para.add_run(text), TITLE_FONT, SIZE_2)
    _paragraph(doc)  # the blank line between title and body


def _heading(doc, text: str, level: int) -> None:
    para = _paragraph(doc)
    set_run_font(para.add_run(text), HEADING_FONTS.get(level, BODY_FONT), SIZE_3)


def _body(doc, text: str) -> None:
    para = _paragraph(doc)
    pos = 0
    for m in MARK_RE.finditer(text):
        _body_run(para, text[pos : m.start()])
        _body_run(para, m.group(0), marked=True)
        pos = m.end()
    _body_run(para, text[pos:])


def _body_run(para: Paragraph, text: str, *, marked: bool = False) -> None:
    if not text:
        return
    run = para.add_run(text)
    set_run_font(run, BODY_FONT, SIZE_3)
    if marked:
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _numbered(draft: Draft, counters: list[int]) -> str:
    if re.match(r"^[（(]?[一二三四五六七八九十]+[、)）]", draft.heading):
        return draft.heading
    if draft.level == 1:
        counters[0], counters[1] = counters[0] + 1, 0
        return f"{CN_ORDINALS[(counters[0] - 1) % 10]}、{draft.heading}"
    counters[1] += 1
    return f"（{CN_ORDINALS[(counters[1] - 1) % 10]}）{draft.heading}"


def _sources(doc, drafts: list[Draft]) -> None:
    _heading(doc, SOURCES_HEADING, 1)
    for src in numbered_sources(drafts):
        _body(doc, f"[{src.n}] {src.label}：{src.text[:120]}")
    items = [item for d in drafts for item in d.unverified]
    if items:
        _heading(doc, UNVERIFIED_HEADING, 1)
        for item in items:
            _body(doc, f"【待核实：{item.text}】（{item.reason}）")
