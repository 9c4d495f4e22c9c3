"""Metadata detection on fictional documents, the seeds and some regulations."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.metadata import clean_stem, detect_metadata
from index.models import Block, ParsedFile
from index.structure import parse_structure
from tests.index.test_structure import CORPUS, NANHU, NANTONG, needs_corpus, parsed_from_file


def _meta(parsed: ParsedFile) -> dict:
    return detect_metadata(parsed, parse_structure(parsed))


def test_fictional_notice_with_signature_and_number() -> None:
    parsed = ParsedFile(
        Path("示例.txt"),
        "txt",
        [
            Block("示例县人民政府办公室关于做好2023年公务用车管理的通知（示例）"),
            Block("示政办发〔2023〕12号"),
            Block("各乡镇人民政府：现将有关事项通知如下。"),
            Block("一、严格标准"),
            Block("严格执行配备标准。"),
            Block("示例县人民政府办公室"),
            Block("2023年3月30日"),
        ],
    )
    meta = _meta(parsed)
    assert meta["issuer"] == "示例县人民政府办公室"
    assert meta["doc_number"] == "示政办发〔2023〕12号"
    assert meta["publish_date"] == "2023-03-30"
    assert meta["year"] == 2023
    assert meta["doc_type"] == "other"


def test_header_fields_win_and_plan_type() -> None:
    parsed = ParsedFile(
        Path("x.docx"),
        "docx",
        [Block("示例局2024年节能工作要点（示例）", style="title"), Block("一、总体要求")],
        header_fields={"发布单位": "示例局", "发布日期": "2024-02-01", "文 号": "示发〔2024〕1号"},
    )
    meta = _meta(parsed)
    assert (meta["issuer"], meta["publish_date"], meta["doc_number"]) == (
        "示例局",
        "2024-02-01",
        "示发〔2024〕1号",
    )
    assert meta["doc_type"] == "plan"


def test_clean_stem() -> None:
    assert clean_stem(Path("2012_2012年政府工作报告.txt")) == "2012年政府工作报告"
    assert clean_stem(Path("机关事务管理条例(2012-06-28).md")) == "机关事务管理条例"


@needs_corpus
def test_nantong_seed() -> None:
    meta = _meta(parsed_from_file(NANTONG))
    assert meta["title"] == "南通市机关事务管理局2024年法治政府建设情况报告"  # not "情况报告"
    assert meta["issuer"] == "南通市机关事务管理局"
    assert (meta["year"], meta["doc_type"]) == (2024, "report")


@needs_corpus
def test_nanhu_seed_header_table() -> None:
    meta = _meta(parsed_from_file(NANHU))
    assert meta["title"] == "南湖区机关事务管理中心2019年度法治政府建设工作报告"
    assert (meta["issuer"], meta["publish_date"]) == ("区政府办公室", "2020-03-30")
    assert (meta["year"], meta["doc_type"]) == (2019, "report")


@needs_corpus
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "机关事务管理条例(2012-06-28).md",
            ("机关事务管理条例", "国务院", 2012, "2012-06-28", "国务院令第621号"),
        ),
        (
            "政府信息公开条例(2019-04-03).md",
            ("中华人民共和国政府信息公开条例", "国务院", 2019, "2019-04-03", "国务院令第711号"),
        ),
        (
            "政府采购法(2014-08-31).md",
            ("中华人民共和国政府采购法", "全国人民代表大会常务委员会", 2014, "2014-08-31", ""),
        ),
    ],
)
def test_regulations(name: str, expected: tuple) -> None:
    meta = _meta(parsed_from_file(CORPUS / "regulations" / name))
    fields = ("title", "issuer", "year", "publish_date", "doc_number")
    assert tuple(meta[f] for f in fields) == expected
    assert meta["doc_type"] == "regulation"


def _flattened(text: str) -> ParsedFile:
    """A text file named by an id, one line per document (as in the NCPPolicies corpus)."""
    return ParsedFile(Path("0a1b2c3d4e5f.txt"), "txt", [Block(text)])


def test_untitled_news_takes_its_whole_headline() -> None:
    meta = _meta(_flattened(
        "示例黄冈：重症患者一人一诊疗方案 新华社示例2月11日电（记者 示例）确诊病例数量位居前列。"
    ))
    assert meta["title"] == "示例黄冈：重症患者一人一诊疗方案"


def test_joint_notice_title_is_not_its_first_issuer() -> None:
    meta = _meta(_flattened(
        "示例市财政局  示例市审计局 示例银行营业部关于强化示例企业资金支持的紧急通知"
        " 示财金融〔2020〕251号 各区财政局：为做好示例工作，现通知如下。"
    ))
    assert meta["title"] == "示例市财政局 示例市审计局 示例银行营业部关于强化示例企业资金支持的紧急通知"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2023年5月10日 示例市人民政府令第18号公布", "示例市人民政府令第18号"),
        ("2023年5月10日示例市人民政府令第18号公布", "示例市人民政府令第18号"),
        ("（2012年6月28日中华人民共和国国务院令第621号公布）", "国务院令第621号"),
    ],
)
def test_local_government_order_is_the_doc_number(line: str, expected: str) -> None:
    parsed = ParsedFile(
        Path("示例.md"), "md",
        [Block("示例市公务接待管理办法"), Block(line), Block("第一条 为了规范公务接待，制定本办法。"),
         Block("第二条 本办法适用于本市机关。"), Block("第三条 公务接待应当从简。")],
    )
    meta = _meta(parsed)
    assert meta["doc_number"] == expected
    assert meta["doc_type"] == "regulation"
