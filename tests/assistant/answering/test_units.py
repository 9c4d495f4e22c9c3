"""Complete units in extractive quotes: articles with 款/项, whole lists, table rows with header."""

from __future__ import annotations

from assistant.answering.extractive import TRIM_MARK, UNIT_CHARS, extractive_answer
from assistant.answering.passages import build_sources
from index.models import StructuredBlock

from .conftest import doc

ARTICLE_15 = (
    "第十五条 公务用车有下列情形之一的，应当报废：\n"
    "（一）达到国家规定的强制报废标准的；\n"
    "（二）行驶里程超过50万公里且无修复价值的；\n"
    "（三）因事故严重损坏、维修费用超过车辆价值50%的。\n"
    "报废车辆由示例市机关事务管理局统一处置，处置收入全额上缴财政。"
)
MEASURES = (
    "为做好示例市机关食堂疫情期间保障工作，现提出以下措施：\n"
    "（一）实行分餐制，就餐人员间隔一米以上。\n"
    "（二）食堂工作人员每日两次测量体温并登记。\n"
    "（三）餐具每餐消毒，消毒记录保存三十日。\n"
    "（四）暂停接待外来人员就餐。\n"
    "各单位应当于3月1日前报送落实情况。"
)


def _answer(question: str, *docs, **kwargs) -> str:
    return extractive_answer(question, build_sources(list(docs), question), **kwargs)


def test_whole_article_with_its_items_and_second_paragraph():
    text = _answer("公务用车在什么情况下应当报废？", doc(ARTICLE_15, 15, "第十五条"))
    assert text.startswith("根据《示例市公务用车管理办法》第十五条：“公务用车有下列情形之一的，应当报废：")
    for part in ("（一）达到国家规定的强制报废标准的；", "（二）行驶里程超过50万公里",
                 "（三）因事故严重损坏", "处置收入全额上缴财政。”[1]"):
        assert part in text
    assert "\n（二）" in text  # the items keep their lines


def test_an_article_split_over_two_chunks_is_quoted_whole_from_the_document():
    first, second = ARTICLE_15.split("\n（三）")
    blocks = [StructuredBlock(line, "article" if i == 0 else "paragraph", ("第三章 使用管理",),
                              "第十五条") for i, line in enumerate(ARTICLE_15.split("\n"))]
    hit = doc(first, 15, "第十五条")
    text = _answer("公务用车行驶里程超过多少公里应当报废？", hit, blocks_of=lambda doc_id: blocks)
    assert "（三）因事故严重损坏" in text
    assert "处置收入全额上缴财政" in text


def test_enumerated_list_is_quoted_whole_with_its_lead_in():
    text = _answer("示例市机关食堂疫情期间有哪些保障措施？", doc(MEASURES, 1, None))
    start = text.index("现提出以下措施：")
    for item in ("（一）实行分餐制", "（二）食堂工作人员", "（三）餐具每餐消毒", "（四）暂停接待外来人员就餐。"):
        assert text.index(item) > start
    assert "3月1日前报送" not in text  # the paragraph after the list is not part of it


def test_a_specific_question_quotes_only_the_item_that_answers():
    text = _answer("食堂消毒记录保存多少天？", doc(MEASURES, 1, None))
    assert "“（三）餐具每餐消毒，消毒记录保存三十日。”[1]" in text
    assert "分餐制" not in text


def test_yishi_points_of_one_list_are_quoted_together():
    passage = ("示例局会议服务工作要求：\n一是会议通知提前三天发送。\n二是会场布置前一天完成检查。\n"
               "三是会后两个工作日内整理纪要。")
    text = _answer("示例局会议服务工作有哪些要求？", doc(passage, 1, None))
    assert "要求：\n一是会议通知提前三天发送。\n二是会场布置前一天完成检查。\n三是会后两个工作日内整理纪要。" in text


def test_table_row_is_quoted_with_the_header_row():
    rows = ["车型 | 排气量 | 购置价格上限", "一般公务用车 | 1.8升以下 | 18万元",
            "机要通信用车 | 1.6升以下 | 12万元", "应急保障用车 | 3.0升以下 | 45万元"]
    text = _answer("机要通信用车购置价格上限是多少？", doc("\n".join(rows), 1, None))
    assert "“车型 | 排气量 | 购置价格上限\n机要通信用车 | 1.6升以下 | 12万元”[1]" in text
    assert "一般公务用车" not in text


def test_table_header_comes_from_the_document_when_the_chunk_starts_mid_table():
    header = "车型 | 排气量 | 购置价格上限"
    rows = ["机要通信用车 | 1.6升以下 | 12万元", "应急保障用车 | 3.0升以下 | 45万元"]
    blocks = [StructuredBlock(r, "table") for r in [header, "一般公务用车 | 1.8升以下 | 18万元", *rows]]
    text = _answer("应急保障用车购置价格上限是多少？", doc("\n".join(rows), 1, None),
                   blocks_of=lambda doc_id: blocks)
    assert f"“{header}\n应急保障用车 | 3.0升以下 | 45万元”[1]" in text


def test_a_very_long_unit_is_trimmed_around_the_answer_and_the_trim_is_marked():
    filler = "".join(f"第{i}项日常保障工作按计划推进。" for i in range(1, 60))
    paragraph = filler + "示例市公务用车定点加油由机关事务管理局统一结算。" + filler
    text = _answer("公务用车定点加油由谁结算？", doc(paragraph, 1, None))
    quote = text[text.index("“") + 1:text.rindex("”")]
    assert "示例市公务用车定点加油由机关事务管理局统一结算。" in quote
    assert quote.startswith("……")
    assert quote.endswith(TRIM_MARK)
    assert len(quote) <= UNIT_CHARS + len("……") + len(TRIM_MARK)
