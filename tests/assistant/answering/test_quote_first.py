"""Quote first, summary after: event order, withheld summaries, the three answer styles."""

from __future__ import annotations

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models.fake_chat_models import (
    FakeListChatModel,
    GenericFakeChatModel,
)

from assistant.answering import AnswerService
from assistant.answering.formatting import GAVE_UP_NOTE, WITHHELD_NOTE

from .conftest import RecordingSearch, doc

QUESTION = "公务用车单次维修费用超过多少需要审批？"
SUMMARY = "单次维修费用超过5000元的须报机关事务管理局审批[1]。"


class CallRecorder(BaseCallbackHandler):
    """Counts chat model calls."""

    def __init__(self):
        self.calls = 0

    def on_chat_model_start(self, serialized, messages, **kwargs):
        self.calls += 1


def _service(search, settings, reply=SUMMARY, style="quote_and_summary", sleep=None):
    settings.answer.style = style
    recorder = CallRecorder()
    model = FakeListChatModel(responses=[reply], sleep=sleep, callbacks=[recorder])
    return AnswerService(search, model, settings), recorder


def test_quote_is_the_first_text_and_arrives_before_the_model_is_called(search, settings):
    svc, recorder = _service(search, settings, sleep=0.05)  # a slow model
    events = svc.stream(QUESTION)
    assert next(events).kind == "sources"
    quote = next(events)
    assert quote.kind == "quote"
    assert "单次维修费用超过5000元的，使用单位应当报机关事务管理局审批。" in quote.text
    assert recorder.calls == 0  # the quote did not wait for the model
    rest = list(events)
    assert recorder.calls == 1
    assert {e.kind for e in rest[:-1]} == {"token"}
    assert "".join(e.text for e in rest[:-1]) == SUMMARY
    final = rest[-1].answer
    assert final.quote == quote.text  # the quote shown first is the quote kept
    assert final.summary == SUMMARY
    assert final.summary_status == "shown"
    assert final.text == f"资料原文：\n{quote.text}\n\n模型归纳：\n{SUMMARY}"


def test_summary_failing_the_checks_is_withheld_and_the_quote_stays(search, settings):
    svc, _ = _service(search, settings, reply="单次维修费用超过8000元的须审批[1]。")
    answer = svc.answer(QUESTION)
    assert answer.summary_status == "withheld"
    assert answer.summary == ""
    assert answer.note == WITHHELD_NOTE
    assert "5000元" in answer.quote
    assert "8000" not in answer.text
    assert answer.text.endswith(WITHHELD_NOTE)
    assert answer.supported  # the quote is cited
    assert answer.raw_text == "单次维修费用超过8000元的须审批[1]。"


def test_summary_without_citation_is_withheld(search, settings):
    svc, _ = _service(search, settings, reply="维修需要审批。")
    answer = svc.answer(QUESTION)
    assert answer.summary_status == "withheld"
    assert "5000元" in answer.text


def test_model_giving_up_leaves_the_quote_with_a_note(search, settings):
    svc, _ = _service(search, settings, reply="资料库中未找到依据。")
    answer = svc.answer(QUESTION)
    assert not answer.refused
    assert answer.summary_status == "gave_up"
    assert answer.note == GAVE_UP_NOTE
    assert answer.text.startswith("资料原文：\n根据《示例市公务用车管理办法》第十二条")


def test_quote_only_never_calls_the_model(search, settings):
    settings.answer.style = "quote_only"
    model = GenericFakeChatModel(messages=iter([]))  # raises if called
    svc = AnswerService(search, model, settings)
    events = list(svc.stream(QUESTION))
    assert [e.kind for e in events] == ["sources", "quote", "final"]
    answer = events[-1].answer
    assert answer.text == answer.quote == events[1].text
    assert answer.summary_status == "none"


def test_summary_only_streams_the_model_answer_without_a_quote(search, settings):
    svc, _ = _service(search, settings, style="summary_only")
    events = list(svc.stream(QUESTION))
    assert "quote" not in [e.kind for e in events]
    answer = events[-1].answer
    assert answer.text == SUMMARY
    assert answer.quote == ""


def test_without_a_model_every_style_quotes(search, settings):
    settings.answer.style = "summary_only"
    svc = AnswerService(search, None, settings)
    assert svc.style == "quote_only"
    assert [e.kind for e in svc.stream(QUESTION)] == ["sources", "quote", "final"]


@pytest.mark.parametrize("style", ["quote_and_summary", "quote_only", "summary_only"])
def test_a_refusal_stays_a_refusal_in_every_style(settings, style):
    settings.answer.style = style
    hits = [doc("第八条 公务用车实行编制管理。", 8, "第八条", relevance=0.1)]
    model = GenericFakeChatModel(messages=iter([]))  # raises if called
    events = list(AnswerService(RecordingSearch(hits), model, settings).stream("火星基地的建设标准是什么？"))
    assert [e.kind for e in events] == ["token", "final"]
    answer = events[-1].answer
    assert answer.refused
    assert answer.text.startswith("资料库中未找到依据")
    assert answer.summary_status == "none"


def test_a_question_that_stands_alone_is_not_condensed_by_the_model(search, settings):
    svc, recorder = _service(search, settings)
    history = [("公务用车报废怎么处理？", "统一处置[2]。")]
    svc.answer(QUESTION, history=history)
    assert recorder.calls == 1  # the summary only: no condense call delays the quote
    assert search.calls[-1][0] == QUESTION
