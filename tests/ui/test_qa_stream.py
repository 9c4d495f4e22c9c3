"""The 问答 bubble while an answer streams: the quote block first, the summary below it."""

from __future__ import annotations

from assistant.answering import Answer, AnswerEvent
from assistant.answering.formatting import WITHHELD_NOTE
from assistant.ui.qa_render import SUMMARY_PENDING, StreamingAnswer, answer_markdown

QUOTE = "根据《示例市公务用车管理办法》第十二条：“单次维修费用超过5000元的，报机关事务管理局审批。”[1]"


def test_quote_shows_at_once_and_the_summary_grows_below_it():
    view = StreamingAnswer(summary_follows=True)
    view.add(AnswerEvent("quote", text=QUOTE))
    assert view.markdown() == f"**资料原文**\n\n{QUOTE}\n\n**模型归纳**\n\n{SUMMARY_PENDING}"
    view.add(AnswerEvent("token", text="超过5000元"))
    view.add(AnswerEvent("token", text="须审批[1]。"))
    shown = view.markdown()
    assert shown.index(QUOTE) < shown.index("**模型归纳**") < shown.index("超过5000元须审批[1]。")
    assert SUMMARY_PENDING not in shown


def test_withheld_summary_leaves_the_quote_and_a_note():
    view = StreamingAnswer(summary_follows=True)
    view.add(AnswerEvent("quote", text=QUOTE))
    view.add(AnswerEvent("token", text="超过8000元须审批[1]。"))
    answer = Answer(question="q", text="", quote=QUOTE, note=WITHHELD_NOTE, summary_status="withheld")
    view.finish(answer)
    assert view.markdown() == f"**资料原文**\n\n{QUOTE}\n\n**模型归纳**\n\n{WITHHELD_NOTE}"
    assert "8000" not in view.markdown()


def test_quote_only_bubble_has_no_summary_block():
    view = StreamingAnswer(summary_follows=False)
    view.add(AnswerEvent("quote", text=QUOTE))
    assert view.markdown() == QUOTE
    assert answer_markdown(Answer(question="q", text=QUOTE, quote=QUOTE)) == QUOTE
