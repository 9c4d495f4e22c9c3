"""Loaders on real files: the committed 示例 fixtures, files built in tmp_path, and the shared corpus."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from fpdf import FPDF
from PIL import Image

from index.loaders import SUPPORTED_SUFFIXES, load_file
from index.loaders.header_table import parse_header_row, split_header_table
from index.loaders.paragraphs import Line, join_lines
from index.loaders.pdf import is_page_number
from index.models import Block, LoadError

MAX = 10 * 1024 * 1024
PDF_NAME = "示例办公用房管理办法.pdf"
DOCX_NAME = "示例局2024年法治政府建设年度报告.docx"
SEED_WITH_HEADER = "南湖区机关事务管理中心2019年度法治政府建设工作报告.txt"
CN_ARTICLES = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]


def _article_block(blocks: list[Block], article: str) -> Block:
    found = [b for b in blocks if b.text.startswith(article)]
    assert len(found) == 1, f"{article} should open exactly one block"
    return found[0]


# --- PDF -------------------------------------------------------------------------------------


def test_pdf_has_one_block_per_article_with_pages(fixtures_dir: Path) -> None:
    parsed = load_file(fixtures_dir / PDF_NAME, max_bytes=MAX)
    assert parsed.kind == "pdf"
    for numeral in CN_ARTICLES:
        _article_block(parsed.blocks, f"第{numeral}条")
    assert _article_block(parsed.blocks, "第一条").page == 1
    assert _article_block(parsed.blocks, "第十二条").page == 2
    assert [b.text for b in parsed.blocks if b.text.startswith("第三章")] == [
        "第三章\u3000使用管理"
    ]


def test_pdf_article_across_page_break_is_one_paragraph(fixtures_dir: Path) -> None:
    blocks = load_file(fixtures_dir / PDF_NAME, max_bytes=MAX).blocks
    article = _article_block(blocks, "第七条")
    # Its last words are printed at the top of page 2; the block keeps the page it starts on.
    assert article.page == 1
    assert article.text.endswith("每年十二月底前将台账报送市机关事务管理局备案。")
    assert "\n" not in article.text
    assert _article_block(blocks, "第八条").page == 2


def test_pdf_page_number_footers_are_removed(fixtures_dir: Path) -> None:
    blocks = load_file(fixtures_dir / PDF_NAME, max_bytes=MAX).blocks
    assert not any("- 1 -" in b.text or "- 2 -" in b.text for b in blocks)
    assert blocks[-1].text == "第十二条\u3000本办法自二〇二五年一月一日起施行。"


@pytest.mark.parametrize(
    "line", ["- 3 -", "－ 12 －", "3", "第 3 页", "第3页 共9页", "3/9", "Page 2 of 5"]
)
def test_page_number_lines(line: str) -> None:
    assert is_page_number(line)


@pytest.mark.parametrize("line", ["第三条 本办法自公布之日起施行。", "2024年", "3.5亿元"])
def test_text_lines_are_not_page_numbers(line: str) -> None:
    assert not is_page_number(line)


def test_join_lines_rules_without_indentation() -> None:
    lines = [
        Line("一、总体要求", 1),  # short line: a heading on its own
        Line("各单位应当按照规定的标准配置办公用房，不得超标准配置，并", 1),
        Line("定期清理", 1),
        Line("（一）严格执行标准", 2),
        Line("第三条 凡是属于公共机构的单位都应当按照本办法的要求执行到", 2),
        Line("位并接受监督检查和社会公众的监督，同时报告执行情况如下：", 2),
        Line("一是建立台账。二是定期清查。三是按时报送有关的各项材料和", 3),
        Line("Public Institutions Energy Saving", 3),
    ]
    texts = [(p.text, p.page) for p in join_lines(lines)]
    assert texts == [
        ("一、总体要求", 1),
        ("各单位应当按照规定的标准配置办公用房，不得超标准配置，并定期清理", 1),
        ("（一）严格执行标准", 2),
        (
            "第三条 凡是属于公共机构的单位都应当按照本办法的要求执行到位并接受监督检查和社会公众的监督，同时报告执行情况如下：",
            2,
        ),
        (
            "一是建立台账。二是定期清查。三是按时报送有关的各项材料和Public Institutions Energy Saving",
            3,
        ),
    ]


def test_join_lines_does_not_split_before_article_reference() -> None:
    lines = [
        Line("有关单位违反本办法规定的，由主管部门依照本办法的规定处理，具体依照"),
        Line("第三条规定执行。"),
    ]
    assert [p.text for p in join_lines(lines)] == [
        "有关单位违反本办法规定的，由主管部门依照本办法的规定处理，具体依照第三条规定执行。"
    ]


def _ascii_pdf(path: Path, pages: list[str | None]) -> Path:
    """A PDF with a running header on each page; None makes an image-only page."""
    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for body in pages:
        pdf.add_page()
        if body is None:
            buffer = io.BytesIO()
            Image.new("L", (40, 40), 128).save(buffer, format="PNG")
            pdf.image(buffer, x=20, y=20, w=40)
            continue
        pdf.cell(0, 8, f"Sample Bureau Bulletin No. {pdf.page_no()}", new_x="LMARGIN", new_y="NEXT")
        pdf.multi_cell(0, 8, body)
    pdf.output(str(path))
    return path


def test_pdf_running_header_is_removed(tmp_path: Path) -> None:
    bodies = ["First sample paragraph.", "Second one, a bit longer.", "The third and last one."]
    parsed = load_file(_ascii_pdf(tmp_path / "bulletin.pdf", list(bodies)), max_bytes=MAX)
    assert [b.text for b in parsed.blocks] == bodies
    assert [b.page for b in parsed.blocks] == [1, 2, 3]


def test_pdf_with_one_scanned_page_loads_with_a_warning(tmp_path: Path) -> None:
    parsed = load_file(_ascii_pdf(tmp_path / "mixed.pdf", ["Readable text.", None]), max_bytes=MAX)
    assert "Readable text." in parsed.text
    assert any("第 2 页" in w and "扫描" in w for w in parsed.warnings)


def test_pdf_protected_only_by_owner_password_opens(fixtures_dir: Path) -> None:
    parsed = load_file(fixtures_dir / "owner_password_only.pdf", max_bytes=MAX)
    assert parsed.text == "Fictional sample page for tests."


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("encrypted.pdf", ["加密", "密码"]),
        ("corrupt.pdf", ["损坏"]),
        ("scanned.pdf", ["扫描件", "OCR"]),
        ("corrupt.docx", ["损坏", ".docx"]),
        ("empty.txt", ["空文件"]),
        ("unknown.xyz", ["不支持", ".xyz", ".pdf"]),
        ("binary_garbage.txt", ["编码"]),
    ],
)
def test_bad_fixtures_raise_load_error_naming_the_file(
    fixtures_dir: Path, name: str, words: list[str]
) -> None:
    with pytest.raises(LoadError) as info:
        load_file(fixtures_dir / name, max_bytes=MAX)
    message = str(info.value)
    assert name in message
    for word in words:
        assert word in message


# --- DOCX ------------------------------------------------------------------------------------


def test_docx_keeps_tables_in_reading_order(fixtures_dir: Path) -> None:
    blocks = load_file(fixtures_dir / DOCX_NAME, max_bytes=MAX).blocks
    texts = [b.text for b in blocks]
    start = texts.index("全年行政执法情况见下表。")
    assert texts[start + 1 : start + 5] == [
        "事项 | 2023年 | 2024年",
        "检查次数 | 12 | 15",
        "整改问题 | 30 | 41",
        "表后说明：执法检查全部公开结果。",
    ]
    assert {b.style for b in blocks if "|" in b.text} == {"table"}


def test_docx_styles_become_heading_levels(fixtures_dir: Path) -> None:
    blocks = load_file(fixtures_dir / DOCX_NAME, max_bytes=MAX).blocks
    styles = {b.text: b.style for b in blocks}
    assert blocks[0] == Block("示例局2024年法治政府建设年度报告", style="title")
    assert styles["一、主要举措和成效"] == "heading1"
    assert styles["（一）加强组织领导"] == "heading2"
    assert styles["二、存在的不足和下一步打算"] == "heading1"  # style named 标题 1
    assert styles[next(t for t in styles if t.startswith("一是健全"))] is None


def test_docx_header_table_becomes_fields(fixtures_dir: Path) -> None:
    parsed = load_file(fixtures_dir / DOCX_NAME, max_bytes=MAX)
    assert parsed.header_fields == {
        "索引号": "SL-2025-000123",
        "发布单位": "示例局办公室",
        "发布日期": "2025-01-20",
        "文号": "示例局〔2025〕3号",
    }
    assert not any("SL-2025-000123" in b.text for b in parsed.blocks)


def test_docx_merged_cells_and_outline_levels(tmp_path: Path) -> None:
    document = docx.Document()
    heading = document.add_paragraph("三、工作计划")
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "0")  # WPS templates mark headings by outline level only
    heading._p.get_or_add_pPr().append(outline)
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "合并标题"
    for cell, text in zip(table.rows[1].cells, ["甲", "乙", "丙"], strict=True):
        cell.text = text
    document.save(str(tmp_path / "plan.docx"))
    blocks = load_file(tmp_path / "plan.docx", max_bytes=MAX).blocks
    assert blocks == [
        Block("三、工作计划", style="heading1"),
        Block("合并标题", style="table"),
        Block("甲 | 乙 | 丙", style="table"),
    ]


# --- TXT / Markdown --------------------------------------------------------------------------


def test_gbk_and_utf8_bom_notices_load_identically(fixtures_dir: Path) -> None:
    gbk = load_file(fixtures_dir / "示例通知_gbk.txt", max_bytes=MAX)
    bom = load_file(fixtures_dir / "示例通知_utf8bom.txt", max_bytes=MAX)
    assert (gbk.encoding, bom.encoding) == ("gbk", "utf-8-sig")
    assert gbk.blocks == bom.blocks
    texts = [b.text for b in gbk.blocks]
    assert texts[0] == "关于开展2025年公共机构节能宣传周活动的通知（示例）"
    assert "（一）开展“节能我先行”倡议活动，鼓励绿色出行。" in texts  # indent stripped
    assert not any("\r" in t or not t for t in texts)


def test_markdown_headings_comments_and_emphasis(fixtures_dir: Path) -> None:
    parsed = load_file(fixtures_dir / "示例会议室管理规定.md", max_bytes=MAX)
    assert parsed.kind == "md"
    assert parsed.blocks == [
        Block("示例单位会议室管理规定（示例）", style="heading1"),
        Block("第一章 总则", style="heading2"),
        Block("第一条 为规范会议室使用，制定本规定。"),
        Block("第二条 会议室由办公室统一管理，详见预约系统。"),
        Block("会议室 | 容纳人数", style="table"),
        Block("第一会议室 | 30", style="table"),
    ]


# --- header tables ---------------------------------------------------------------------------


def test_seed_header_table_is_split_off(corpus_dir: Path) -> None:
    parsed = load_file(corpus_dir / "seeds" / SEED_WITH_HEADER, max_bytes=MAX)
    assert parsed.header_fields == {
        "索引号": "1/2020-138802",
        "发布单位": "区政府办公室",
        "发布日期": "2020-03-30",
    }
    assert parsed.blocks[0].text.startswith("2019年,南湖区机关事务管理中心")
    assert not any("索 引 号" in b.text or "主题词" in b.text for b in parsed.blocks)


def test_header_row_with_empty_cells() -> None:
    assert parse_header_row(Block("文 号 | 主题词 |")) == {"文号": "", "主题词": ""}
    assert parse_header_row(Block("2019年 | 2020年 | 增长")) is None


def test_header_table_after_title_with_tabs_and_colons() -> None:
    blocks = [
        Block("关于示例事项的通知"),
        Block("发文机关\t示例局\t成文日期\t2024年3月1日"),
        Block("索引号：SL-1 发布日期：2024-03-05"),
        Block("正文第一段。"),
    ]
    fields, body = split_header_table(blocks)
    assert fields == {
        "发文机关": "示例局",
        "成文日期": "2024年3月1日",
        "索引号": "SL-1",
        "发布日期": "2024-03-05",
    }
    assert [b.text for b in body] == ["关于示例事项的通知", "正文第一段。"]


def test_body_text_is_never_taken_for_a_header_table() -> None:
    blocks = [
        Block("标题"),
        Block("发布日期：今年以来，我局持续推进节能工作。"),
        Block("指标 | 数值"),
    ]
    assert split_header_table(blocks) == ({}, blocks)


# --- bad input built on the fly --------------------------------------------------------------


def test_too_large_file_message_gives_size_and_limit(tmp_path: Path) -> None:
    path = tmp_path / "大文件.txt"
    path.write_text("示例" * 200_000, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_file(path, max_bytes=1024 * 1024)
    assert "大文件.txt" in str(info.value)
    assert "1.1 MB" in str(info.value)
    assert "1.0 MB" in str(info.value)


def test_whitespace_only_file_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "空白.md"
    path.write_text(" \n\u3000\n\t\n<!-- 只有注释 -->\n", encoding="utf-8")
    with pytest.raises(LoadError, match="空白.md.*没有可读取的文字"):
        load_file(path, max_bytes=MAX)


def test_broken_old_word_file_gets_a_save_as_hint(tmp_path: Path) -> None:
    path = tmp_path / "旧文件.DOC"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(LoadError, match="旧文件.DOC.*另存为 .docx"):
        load_file(path, max_bytes=MAX)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="不存在.txt"):
        load_file(tmp_path / "不存在.txt", max_bytes=MAX)


def test_supported_suffixes() -> None:
    assert {".pdf", ".docx", ".txt", ".md"} <= set(SUPPORTED_SUFFIXES)
    formats = {".doc", ".wps", ".rtf", ".ofd", ".html", ".htm", ".mht", ".mhtml", ".xlsx", ".xls", ".et"}
    assert formats <= set(SUPPORTED_SUFFIXES)


# --- the shared real corpus ------------------------------------------------------------------


@pytest.mark.parametrize("folder", ["regulations", "seeds"])
def test_every_corpus_file_loads(corpus_dir: Path, folder: str) -> None:
    files = sorted((corpus_dir / folder).iterdir())
    assert files
    for path in files:
        parsed = load_file(path, max_bytes=MAX)
        assert len(parsed.blocks) > 5, path.name
        assert parsed.encoding == "utf-8"
        assert not any("INFO END" in b.text or "<!--" in b.text for b in parsed.blocks), path.name


def test_regulation_markdown_structure(corpus_dir: Path) -> None:
    parsed = load_file(
        corpus_dir / "regulations" / "机关事务管理条例(2012-06-28).md", max_bytes=MAX
    )
    assert parsed.blocks[0] == Block("机关事务管理条例", style="heading1")
    assert Block("第一章 总则", style="heading2") in parsed.blocks
    assert sum(b.text.startswith("第一条") for b in parsed.blocks) == 1


def test_join_lines_trusts_first_line_indent_when_present() -> None:
    lines = [
        Line("\u3000\u3000一是健全制度。年内修订办公用房、公务用车等管理制度共五项。"),
        Line("二是强化监督。对各单位开展专项检查两次，发现问题已全部整改完"),
        Line("毕，检查结果在全局范围内进行通报，接受干部职工的监督和评议。"),
        Line("第三章\u3000使用管理"),
        Line("\u3000\u3000第七条\u3000各单位应当建立办公用房使用台账，如实记录面积等。"),
        Line("\u3000\u3000第八条\u3000各单位不得出租、出借办公用房。"),
    ]
    assert [p.text for p in join_lines(lines)] == [
        "一是健全制度。年内修订办公用房、公务用车等管理制度共五项。二是强化监督。"
        "对各单位开展专项检查两次，发现问题已全部整改完毕，检查结果在全局范围内进行通报，"
        "接受干部职工的监督和评议。",
        "第三章\u3000使用管理",
        "第七条\u3000各单位应当建立办公用房使用台账，如实记录面积等。",
        "第八条\u3000各单位不得出租、出借办公用房。",
    ]
