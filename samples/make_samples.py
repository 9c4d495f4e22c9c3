"""Regenerate the 示例 report files (DOCX and PDF) from their plain-text twins in samples/text/.

Run from the repository root: `.venv/bin/python samples/make_samples.py`.
Needs python-docx, fpdf2 and a CJK TrueType font (Debian: `apt-get install fonts-wqy-microhei`).
The generated files are committed; the app and the tests read them, never this script.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from fpdf import FPDF

HERE = Path(__file__).resolve().parent
TEXT_DIR = HERE / "text"
REPORT_2024 = "示例市机关事务管理局2024年法治政府建设年度报告"
REPORT_2025 = "示例市机关事务管理局2025年法治政府建设年度报告"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
HEADING_RE = re.compile(r"^[一二三四五六七八九十]+、")
DATE_RE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
# Characters a Chinese line may not start with (禁则): they stay at the end of the line before.
# Fixed dates make regeneration byte-for-byte reproducible, so git only sees real changes.
FIXED_DATE = datetime(2026, 1, 22, tzinfo=UTC)
NO_LINE_START = "，。、；：？！）”》％%"
# Kind of line → (font, size in pt) in the DOCX; body, note and closing use the body font.
DOCX_FONTS = {"title": (HEADING_FONT, 22), "heading": (HEADING_FONT, 16)}
# Kind of line → (font size, line height in mm, alignment) in the PDF.
PDF_LAYOUT = {
    "title": (18, 12, "C"),
    "note": (10, 8, "C"),
    "heading": (13, 9, "L"),
    "body": (12, 7.5, "L"),
    "closing": (12, 7.5, "R"),
}


def read_report(name: str) -> list[str]:
    """The non-empty lines of a text twin: title, note, body paragraphs, sender, date."""
    text = (TEXT_DIR / f"{name}.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip()]


def line_kind(index: int, lines: list[str]) -> str:
    """Role of a line in the report layout: title, note, heading, closing or body."""
    line = lines[index]
    if index == 0:
        return "title"
    if index == 1:
        return "note"
    if HEADING_RE.match(line):
        return "heading"
    # The sender and the date close a 公文 and are set flush right.
    if index >= len(lines) - 2 and (DATE_RE.match(line) or DATE_RE.match(lines[-1])):
        return "closing"
    return "body"


def font_path() -> str:
    """The first CJK font found on this machine."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    sys.exit("No CJK font found: apt-get install fonts-wqy-microhei")


# --- DOCX -----------------------------------------------------------------------------


def set_run_font(run, name: str, size: float) -> None:
    """Name the font for both Latin and East Asian text (Word uses w:eastAsia for 汉字)."""
    run.font.name = name
    run.font.size = Pt(size)
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def add_docx_line(document, kind: str, text: str) -> None:
    """Append one line with the style, font and alignment of its kind."""
    style = {"title": "Title", "heading": "Heading 1"}.get(kind, "Normal")
    paragraph = document.add_paragraph(style=style)
    if kind in ("title", "note"):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif kind == "closing":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif kind == "body":
        paragraph.paragraph_format.first_line_indent = Pt(32)
    font, size = DOCX_FONTS.get(kind, (BODY_FONT, 16))
    set_run_font(paragraph.add_run(text), font, size)


def make_docx(name: str, target: Path) -> None:
    """Write the report as a DOCX: Title style, Heading 1 for 一、 headings, 仿宋 body."""
    lines = read_report(name)
    document = docx.Document()
    document.core_properties.title = lines[0]
    document.core_properties.author = "示例市机关事务管理局（虚构示例）"
    document.core_properties.created = document.core_properties.modified = FIXED_DATE
    for index, line in enumerate(lines):
        add_docx_line(document, line_kind(index, lines), line)
    buffer = io.BytesIO()
    document.save(buffer)
    target.write_bytes(with_fixed_zip_dates(buffer.getvalue()))


def with_fixed_zip_dates(data: bytes) -> bytes:
    """Rewrite a zip with constant member timestamps (python-docx stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------------


class NumberedPdf(FPDF):
    """A4 pages with the 公文 page number footer "- N -"."""

    def footer(self) -> None:
        self.set_y(-20)
        self.set_font("cjk", size=11)
        self.cell(0, 10, f"- {self.page_no()} -", align="C")


def wrap_cjk(pdf: FPDF, text: str, width: float) -> list[str]:
    """Break text anywhere (Chinese has no spaces), keeping 禁则 punctuation off line starts."""
    lines: list[str] = []
    current = ""
    for ch in text:
        if current and pdf.get_string_width(current + ch) > width and ch not in NO_LINE_START:
            lines.append(current)
            current = ""
        current += ch
    return [*lines, current] if current else lines


def add_pdf_line(pdf: FPDF, kind: str, text: str) -> None:
    """Write one line of the report with the size and alignment of its kind."""
    size, height, align = PDF_LAYOUT[kind]
    pdf.set_font("cjk", size=size)
    if kind == "body":
        text = "\u3000\u3000" + text
    for line in wrap_cjk(pdf, text, pdf.epw):
        pdf.cell(0, height, line, align=align, new_x="LMARGIN", new_y="NEXT")


def make_pdf(name: str, target: Path) -> None:
    """Write the report as an A4 PDF with an embedded, subset CJK font and page numbers."""
    lines = read_report(name)
    pdf = NumberedPdf(format="A4")
    pdf.set_title(lines[0])
    pdf.set_author("示例市机关事务管理局（虚构示例）")
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_margins(left=28, top=30, right=26)
    pdf.set_auto_page_break(auto=True, margin=28)
    pdf.add_font("cjk", fname=font_path())
    pdf.add_page()
    for index, line in enumerate(lines):
        add_pdf_line(pdf, line_kind(index, lines), line)
    pdf.output(str(target))


def main() -> None:
    """Regenerate the 2024 report as DOCX and the 2025 report as PDF."""
    make_docx(REPORT_2024, HERE / f"{REPORT_2024}.docx")
    make_pdf(REPORT_2025, HERE / f"{REPORT_2025}.pdf")


if __name__ == "__main__":
    main()
