"""公文 structure parser on fictional snippets and on the real corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.models import Block, ParsedFile
from index.structure import (
    cn_numeral_to_int,
    int_to_cn_numeral,
    parse_article_number,
    parse_structure,
)

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
NANTONG = CORPUS / "seeds" / "南通市机关事务管理局2024年法治政府建设情况报告.txt"
NANHU = CORPUS / "seeds" / "南湖区机关事务管理中心2019年度法治政府建设工作报告.txt"
REGULATIONS = sorted((CORPUS / "regulations").glob("*.md"))
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")


def parsed_from_file(path: Path) -> ParsedFile:
    """Minimal stand-in for the text loader: one Block per line, Markdown # as heading styles."""
    blocks = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line == "<!-- INFO END -->":
            continue
        m = re.match(r"^(#{1,6})\s+(.*)$", line)
        blocks.append(Block(m[2], style=f"heading{len(m[1])}") if m else Block(line))
    return ParsedFile(path=path, kind=path.suffix.lstrip("."), blocks=blocks)


def parsed_from_lines(*lines: str, name: str = "示例.txt") -> ParsedFile:
    return ParsedFile(path=Path(name), kind="txt", blocks=[Block(x) for x in lines])


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十", 10),
        ("十一", 11),
        ("二十", 20),
        ("二十三", 23),
        ("一百零五", 105),
        ("两", 2),
        ("〇", 0),
        ("零", 0),
        ("一百一十", 110),
        ("三百", 300),
    ],
)
def test_cn_numerals_round_trip(text: str, value: int) -> None:
    assert cn_numeral_to_int(text) == value
    if text not in ("两", "〇"):
        assert int_to_cn_numeral(value) == text


def test_parse_article_number() -> None:
    assert parse_article_number("第二十三条 本条例自公布之日起施行。") == 23
    assert parse_article_number("依照第二十三条") is None


FICTIONAL_REPORT = (
    "示例市机关事务管理局2023年工作总结（示例）",
    "2023年，示例局在市委、市政府领导下开展工作。现将有关情况报告如下：",
    "一、主要举措和成效",
    "（一）强化组织保障",
    "一是加强组织领导。成立领导小组，定期研究法治工作。",
    "二是完善学习制度。每季度集中学法一次。",
    "1. 对符合条件的示例企业给予一次性补助。补助标准按照上年度实际缴纳的社会保险费确定，最高不超过十万元。",
    "补助资金由市财政统筹安排。",
    "二、存在的不足",
    "学法制度还不够完善。",
)


def test_fictional_report_heading_paths_and_points() -> None:
    blocks = parse_structure(parsed_from_lines(*FICTIONAL_REPORT))
    by_text = {b.text[:6]: b for b in blocks}
    title = FICTIONAL_REPORT[0]
    assert by_text[title[:6]].kind == "heading"
    point = by_text["一是加强组织"]
    assert point.kind == "point"
    assert point.heading_path == (
        title,
        "一、主要举措和成效",
        "（一）强化组织保障",
        "一是加强组织领导",
    )
    long_numbered = by_text["1. 对符合"]
    assert long_numbered.kind == "point"  # long numbered line is body text, not a heading
    assert by_text["补助资金由市"].heading_path == (
        title,
        "一、主要举措和成效",
        "（一）强化组织保障",
    )
    assert by_text["学法制度还不"].heading_path == (title, "二、存在的不足")


def test_articles_keep_their_items_and_markdown_chapters() -> None:
    parsed = ParsedFile(
        path=Path("示例办法.md"),
        kind="md",
        blocks=[
            Block("示例单位公务用车管理办法（示例）", style="heading1"),
            Block("第一章 总则", style="heading2"),
            Block("第一条 为规范公务用车管理，制定本办法。"),
            Block("第二条 有下列情形之一的，不予报销："),
            Block("（一）超标准用车的；"),
            Block("（二）私车公养的。"),
            Block("第二章 附则", style="heading2"),
            Block("第三条 本办法自发布之日起施行。"),
        ],
    )
    blocks = parse_structure(parsed)
    items = [b for b in blocks if b.text.startswith("（")]
    assert [b.article for b in items] == ["第二条", "第二条"]
    assert all(b.kind == "paragraph" for b in items)
    last = blocks[-1]
    assert (last.kind, last.article) == ("article", "第三条")
    assert last.heading_path == ("示例单位公务用车管理办法（示例）", "第二章 附则")


def test_flattened_text_is_split_into_paragraphs() -> None:
    text = "示例区关于暂停集中办公的通告（示例） 为做好防控工作，现通告如下。  一、暂停线下窗口 即日起暂停。  二、其他事项另行通知。"
    blocks = parse_structure(parsed_from_lines(text))
    assert blocks[0].kind == "heading"
    assert any(
        b.heading_path[-1:] == ("一、暂停线下窗口",) and b.text == "即日起暂停。" for b in blocks
    )


def test_table_blocks() -> None:
    parsed = ParsedFile(Path("t.docx"), "docx", [Block("项目 | 金额 | 备注", style="table")])
    assert parse_structure(parsed)[0].kind == "table"


@needs_corpus
@pytest.mark.parametrize("path", REGULATIONS, ids=lambda p: p.stem)
def test_regulation_articles_are_consecutive(path: Path) -> None:
    articles = [b.article for b in parse_structure(parsed_from_file(path)) if b.kind == "article"]
    numbers = [parse_article_number(a) for a in articles]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= 10


@needs_corpus
def test_jiguan_shiwu_regulation_has_35_articles_in_chapters() -> None:
    blocks = parse_structure(
        parsed_from_file(CORPUS / "regulations" / "机关事务管理条例(2012-06-28).md")
    )
    articles = [b for b in blocks if b.kind == "article"]
    assert len(articles) == 35
    assert articles[0].heading_path == ("机关事务管理条例", "第一章 总则")
    item = next(b for b in blocks if b.text.startswith("(六)安排与本部门"))
    assert item.article == "第三十二条"


@needs_corpus
def test_nantong_seed_point_paths() -> None:
    blocks = parse_structure(parsed_from_file(NANTONG))
    point = next(b for b in blocks if b.text.startswith("一是深入学习贯彻习近平法治思想"))
    assert point.kind == "point"
    assert point.heading_path[-2:] == (
        "一、本年度推进法治政府建设的主要举措和成效",
        "一是深入学习贯彻习近平法治思想",
    )
    plan = next(b for b in blocks if b.text.startswith("三是尊崇法治精神"))
    assert plan.heading_path[-2] == "四、下一年度计划安排"


@needs_corpus
def test_nanhu_seed_half_width_paren_headings() -> None:
    blocks = parse_structure(parsed_from_file(NANHU))
    point = next(b for b in blocks if b.text.startswith("二是坚持重大事项决策制度"))
    assert point.heading_path == ("(二)强化制度保障,推进各项工作规范化", "二是坚持重大事项决策制度")
    assert [b.kind for b in blocks[:2]] == ["table", "table"]
