"""Structure-aware chunking on fictional snippets and on the NCPPolicies corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index.chunker import chunk_document
from index.models import Block, ParsedFile, StructuredBlock
from index.structure import parse_structure
from tests.index.test_structure import CORPUS, NANTONG, needs_corpus, parsed_from_file

NCP_DOCS = sorted((CORPUS / "ncppolicies_dev" / "docs").glob("*.txt"))


def _sentence(i: int) -> str:
    return f"示例句子第{i}号说明公务用车管理的具体要求和办理流程。"


def test_articles_are_never_merged_and_items_stay_inside() -> None:
    path = ("示例办法", "第一章 总则")
    blocks = [
        StructuredBlock("第一条 为规范管理，制定本办法。", "article", path, "第一条", 1),
        StructuredBlock("第二条 有下列情形之一的，不予报销：", "article", path, "第二条", 1),
        StructuredBlock("（一）超标准用车的；", "paragraph", path, "第二条", 2),
    ]
    chunks = chunk_document(blocks, "doc")
    assert [c.article for c in chunks] == ["第一条", "第二条"]
    assert chunks[1].text.endswith("（一）超标准用车的；")
    assert (chunks[1].page, chunks[1].page_end) == (1, 2)
    assert [c.chunk_id for c in chunks] == ["doc:0", "doc:1"]


def test_small_sections_merge_with_their_headings_as_text() -> None:
    blocks = [
        StructuredBlock("一、总体要求", "heading", ("示例",)),
        StructuredBlock("短段落甲。", "paragraph", ("示例", "一、总体要求")),
        StructuredBlock("短段落乙。", "paragraph", ("示例", "一、总体要求")),
        StructuredBlock("二、工作措施", "heading", ("示例",)),
        StructuredBlock("短段落丙。", "paragraph", ("示例", "二、工作措施")),
    ]
    chunks = chunk_document(blocks, "doc")
    assert [c.text for c in chunks] == ["一、总体要求\n短段落甲。\n短段落乙。\n二、工作措施\n短段落丙。"]
    assert chunks[0].section == "示例"  # the heading both share; the others are in the text


def test_blocks_that_share_no_heading_stay_apart() -> None:
    blocks = [
        StructuredBlock("短段落甲。", "paragraph", ("1、就诊须知",)),
        StructuredBlock("短段落乙。", "paragraph", ("2、停诊通知",)),
    ]
    chunks = chunk_document(blocks, "doc")
    assert [c.section for c in chunks] == ["1、就诊须知", "2、停诊通知"]


def test_list_items_with_own_subheadings_form_one_chunk() -> None:
    parent = ("倡议书", "二、捐赠善款", "（二）捐赠方式")
    lead = "1.微信扫码捐款（转账时需备注姓名。）"
    blocks = [
        StructuredBlock(lead, "point", (*parent, lead)),
        StructuredBlock("2.银行汇款", "heading", parent),
        StructuredBlock("单位名称：示例基金会", "paragraph", (*parent, "2.银行汇款")),
        StructuredBlock("开户行：示例银行", "paragraph", (*parent, "2.银行汇款")),
    ]
    chunks = chunk_document(blocks, "doc")
    assert [c.text for c in chunks] == [f"{lead}\n2.银行汇款\n单位名称：示例基金会\n开户行：示例银行"]
    assert chunks[0].heading_path == parent


def test_long_sibling_sections_keep_their_own_paths() -> None:
    body = "".join(_sentence(i) for i in range(12))  # longer than min_chars
    blocks = [
        StructuredBlock(body, "paragraph", ("示例", "一、总体要求")),
        StructuredBlock(body, "paragraph", ("示例", "二、工作措施")),
    ]
    chunks = chunk_document(blocks, "doc", max_chars=600, min_chars=250)
    assert [c.section for c in chunks] == ["示例 > 一、总体要求", "示例 > 二、工作措施"]
    assert [c.text for c in chunks] == [body, body]


def test_long_article_is_split_at_sentences_with_overlap() -> None:
    text = "第九条 " + "".join(_sentence(i) for i in range(40))
    blocks = [StructuredBlock(text, "article", ("示例",), "第九条", 3)]
    chunks = chunk_document(blocks, "doc", max_chars=200, overlap_chars=60)
    assert len(chunks) > 3
    assert all(len(c.text) <= 200 and c.article == "第九条" for c in chunks)
    assert all(re.search(r"[。]$", c.text) for c in chunks)  # cut at sentence ends
    for a, b in zip(chunks, chunks[1:], strict=False):
        first_sentence = b.text.split("。")[0] + "。"
        assert first_sentence in a.text  # one whole sentence repeated as overlap


def test_pathological_sentence_is_hard_split() -> None:
    text = "没有句号的超长文本" * 100
    chunks = chunk_document([StructuredBlock(text, "paragraph")], "doc", max_chars=300)
    assert all(len(c.text) <= 300 for c in chunks)
    assert "".join(c.text for c in chunks) == text


@needs_corpus
def test_nantong_points_are_own_chunks_with_lead_in_path() -> None:
    chunks = chunk_document(parse_structure(parsed_from_file(NANTONG)), "nt")
    first = next(c for c in chunks if c.text.startswith("一是深入学习贯彻习近平法治思想"))
    assert first.section.endswith(
        "一、本年度推进法治政府建设的主要举措和成效 > 一是深入学习贯彻习近平法治思想"
    )
    assert not any("二是推进行政机关" in c.text for c in chunks if c is first)
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def _covered(parsed: ParsedFile, chunks) -> list[str]:
    """Sentences of the source found in no chunk text nor heading path."""
    hay = re.sub(r"\s", "", "\n".join(c.text + "\n" + "\n".join(c.heading_path) for c in chunks))
    return [s for s in re.split(r"[\s。！？；;!?]+", parsed.text) if s and s not in hay]


@needs_corpus
def test_all_ncp_documents_chunk_within_bounds_and_cover_text() -> None:
    assert len(NCP_DOCS) == 300
    for path in NCP_DOCS:
        parsed = parsed_from_file(path)
        chunks = chunk_document(parse_structure(parsed), path.stem)
        assert chunks, path.name
        assert max(len(c.text) for c in chunks) <= 500, path.name
        assert _covered(parsed, chunks) == [], path.name


@pytest.mark.parametrize("max_chars", [120, 300])
def test_limits_respected_on_fictional_document(max_chars: int) -> None:
    body = "".join(_sentence(i) for i in range(12))
    parsed = ParsedFile(
        Path("示例.txt"), "txt", [Block("示例通知（示例）"), Block("一、要求"), Block(body)]
    )
    chunks = chunk_document(parse_structure(parsed), "d", max_chars=max_chars, overlap_chars=30)
    assert all(len(c.text) <= max_chars for c in chunks)
    assert all(c.heading_path == ("示例通知（示例）", "一、要求") for c in chunks)
