"""The shipped 示例 library: files present, readable, marked fictional, twins in sync, labels complete."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
REGULATION = SAMPLES / "示例市公共机构节能管理办法.md"
REPORT_2024 = "示例市机关事务管理局2024年法治政府建设年度报告"
REPORT_2025 = "示例市机关事务管理局2025年法治政府建设年度报告"
DOCX_2024 = SAMPLES / f"{REPORT_2024}.docx"
PDF_2025 = SAMPLES / f"{REPORT_2025}.pdf"
TXT_2024 = SAMPLES / "text" / f"{REPORT_2024}.txt"
TXT_2025 = SAMPLES / "text" / f"{REPORT_2025}.txt"
NOTICE = SAMPLES / "示例市机关事务管理局关于开展2025年度节能宣传周活动的通知.txt"
LABELS = SAMPLES / "LABELS.md"
FICTION_NOTE = "本文件为虚构示例"
REPORT_HEADINGS = [
    "一、本年度推进法治政府建设的主要举措和成效",
    "二、主要负责人履行推进法治建设第一责任人职责情况",
    "三、存在的不足和原因",
    "四、下一年度工作计划",
]
CN_NUMERALS = "一二三四五六七八九十"
STATUS = "已落实|部分落实|未体现"
LABEL_ROW = re.compile(rf"^\| ([CS]\d\d) \| (.+?) \| ({STATUS}) \| (.+?) \|$", re.MULTILINE)
HEADING_LINE = re.compile(r"^[一二三四五六七八九十]+、")
POINT_LINE = re.compile(r"^[一二三四五六七八九十]+是", re.MULTILINE)
PAGE_FOOTER = re.compile(r"^- \d+ -$", re.MULTILINE)


def squeeze(text: str) -> str:
    """Text with all whitespace removed: layouts wrap lines differently, words never change."""
    return re.sub(r"\s+", "", text)


def pdf_pages(path: Path) -> list[str]:
    """Extracted text of each PDF page."""
    return [page.extract_text() for page in PdfReader(path).pages]


def cn_number(n: int) -> str:
    """Chinese numeral for 1..99 as written in article numbers (十二, 二十, 三十)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_NUMERALS[tens - 1] + "十")
    return head + ("" if ones == 0 else CN_NUMERALS[ones - 1])


def labels() -> list[tuple[str, str, str, str]]:
    """(id, earlier text, status, evidence) rows of LABELS.md."""
    return LABEL_ROW.findall(LABELS.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "path",
    [REGULATION, DOCX_2024, PDF_2025, TXT_2024, TXT_2025, NOTICE, LABELS, SAMPLES / "README.md"],
    ids=lambda p: p.name,
)
def test_sample_file_exists_and_is_not_empty(path: Path) -> None:
    assert path.is_file()
    assert path.stat().st_size > 500


@pytest.mark.parametrize("path", [REGULATION, TXT_2024, TXT_2025], ids=lambda p: p.name)
def test_text_samples_are_marked_fictional_at_the_top(path: Path) -> None:
    head = path.read_text(encoding="utf-8")[:200]
    assert FICTION_NOTE in head
    assert "示例" in head.splitlines()[0]


def test_regulation_has_thirty_articles_in_order_in_chapters() -> None:
    text = REGULATION.read_text(encoding="utf-8")
    articles = re.findall(r"^(第[一二三四五六七八九十]+条) ", text, re.MULTILINE)
    assert articles == [f"第{cn_number(n)}条" for n in range(1, 31)]
    assert len(re.findall(r"^## 第[一二三四五六七八九十]+章 ", text, re.MULTILINE)) >= 5
    assert "示例市人民政府令第18号公布" in text
    assert "自2023年7月1日起施行" in text


def test_regulation_answers_the_readme_question_on_inspections() -> None:
    text = REGULATION.read_text(encoding="utf-8")
    article = re.search(r"^第十二条 .*?(?=^第十三条)", text, re.MULTILINE | re.DOTALL)
    assert article is not None
    assert "机关事务管理部门负责" in article.group()
    assert "巡检每月不少于2次" in article.group()


def test_pdf_has_a_text_layer_and_page_number_on_every_page() -> None:
    pages = pdf_pages(PDF_2025)
    assert 2 <= len(pages) <= 3
    for number, text in enumerate(pages, start=1):
        assert len(squeeze(text)) > 300
        assert f"- {number} -" in text


def test_pdf_is_small_because_the_font_is_subset() -> None:
    assert PDF_2025.stat().st_size < 300_000


def test_pdf_text_matches_its_text_twin() -> None:
    text = PAGE_FOOTER.sub("", "\n".join(pdf_pages(PDF_2025)))
    assert squeeze(text) == squeeze(TXT_2025.read_text(encoding="utf-8"))


def test_docx_has_title_and_the_four_report_headings() -> None:
    document = docx.Document(str(DOCX_2024))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert headings == REPORT_HEADINGS
    assert titles == [REPORT_2024]


def test_docx_names_the_official_fonts() -> None:
    document = docx.Document(str(DOCX_2024))
    fonts = {run.font.name for p in document.paragraphs for run in p.runs}
    assert {"仿宋_GB2312", "黑体"} <= fonts


def test_docx_text_matches_its_text_twin() -> None:
    document = docx.Document(str(DOCX_2024))
    text = "\n".join(p.text for p in document.paragraphs)
    assert squeeze(text) == squeeze(TXT_2024.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", [TXT_2024, TXT_2025], ids=lambda p: p.name)
def test_reports_follow_the_standard_outline(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if HEADING_LINE.match(line)] == REPORT_HEADINGS
    assert lines[-2] == "示例市机关事务管理局"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", lines[-1])


def test_gbk_notice_is_not_utf8_but_decodes_as_gbk() -> None:
    data = NOTICE.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("gbk")
    assert "示机管〔2025〕7号" in text
    assert FICTION_NOTE in text
    assert text.rstrip().endswith("2025年5月26日")


def test_labels_list_at_least_ten_commitments_with_all_three_statuses() -> None:
    commitments = [row for row in labels() if row[0].startswith("C")]
    statuses = [row[2] for row in commitments]
    assert len(commitments) >= 10
    assert statuses.count("已落实") >= len(commitments) * 0.4
    assert statuses.count("部分落实") >= 2
    assert statuses.count("未体现") >= 2


def test_labels_quote_both_reports_verbatim() -> None:
    report_2024 = TXT_2024.read_text(encoding="utf-8")
    report_2025 = TXT_2025.read_text(encoding="utf-8")
    for label_id, earlier, status, evidence in labels():
        assert earlier in report_2024, label_id
        if status == "未体现":
            assert evidence == "无", label_id
        else:
            assert evidence in report_2025, label_id


def test_labels_cover_every_plan_item_and_shortcoming_of_2024() -> None:
    report_2024 = TXT_2024.read_text(encoding="utf-8")
    plan = report_2024.split("四、下一年度工作计划")[1]
    shortcomings = report_2024.split("三、存在的不足和原因")[1].split("四、")[0]
    ids = [row[0] for row in labels()]
    assert len(set(ids)) == len(ids)
    assert sum(i.startswith("C") for i in ids) == len(POINT_LINE.findall(plan))
    assert sum(i.startswith("S") for i in ids) == len(POINT_LINE.findall(shortcomings))


def test_readme_questions_cite_articles_that_exist() -> None:
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    regulation = REGULATION.read_text(encoding="utf-8")
    cited = re.findall(r"《示例市公共机构节能管理办法》(第[一二三四五六七八九十]+条)", readme)
    assert len(cited) >= 4
    for article in cited:
        assert re.search(rf"^{article} ", regulation, re.MULTILINE), article
