"""问答 tab: streamed, cited answers with their sources beside them; history per browser session."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import gradio as gr

from assistant.ui import qa_render
from assistant.ui.library_sync import refreshed
from assistant.ui.services import UIServices

log = logging.getLogger(__name__)
CHAT_CONCURRENCY = 4  # chat keeps answering while the single ingest slot is busy


def build_qa_tab(services: UIServices, library_version: gr.Number) -> None:
    """The chat column, the sources column and the filters."""
    history = gr.State([])  # (question, answer) pairs of this browser session only
    with gr.Row():
        with gr.Column(scale=3):
            chat = gr.Chatbot(label="对话", height=480, elem_id="pda-chat", buttons=["copy", "copy_all"])
            # One line that grows: Enter asks, Shift+Enter starts a new line (as in chat tools).
            question = gr.Textbox(label="问题", placeholder="例如：办公用房巡检由谁负责？（回车提问）",
                                  elem_id="pda-question", lines=1, max_lines=6)
            with gr.Row():
                ask = gr.Button("提问", variant="primary", elem_id="pda-ask")
                new = gr.Button("新对话", elem_id="pda-new")
        with gr.Column(scale=2):
            docs, types, years, as_of = _filters(services)
            sources = gr.HTML(qa_render.NO_SOURCES, elem_id="pda-sources")
    inputs = [question, chat, history, docs, types, years, as_of]
    outputs = [question, chat, history, sources]
    for trigger in (ask.click, question.submit):
        trigger(_responder(services), inputs, outputs, concurrency_id="chat", api_name="ask",
                concurrency_limit=CHAT_CONCURRENCY)
    new.click(lambda: ("", [], [], qa_render.NO_SOURCES), None, outputs, queue=False)
    library_version.change(_filter_updates(services), [docs, years], [docs, years],
                           show_progress="hidden")


def _filters(services: UIServices) -> tuple[gr.Dropdown, gr.Dropdown, gr.Dropdown, gr.Textbox]:
    with gr.Accordion("检索范围（不选则检索全部）", open=False):
        # Document and year choices are filled on page load and after library changes.
        docs = gr.Dropdown([], multiselect=True, label="文档", elem_id="pda-filter-docs")
        types = gr.Dropdown(qa_render.type_choices(), multiselect=True, label="类型")
        years = gr.Dropdown([], multiselect=True, label="年份", elem_id="pda-filter-years")
        # Regulations kept in several versions: answer from the one in force on this date.
        as_of = gr.Textbox(label="法规版本日期（yyyy-mm-dd，留空为今天的现行版本）",
                           elem_id="pda-filter-as-of")
    return docs, types, years, as_of


def _filter_updates(services: UIServices):
    def refresh(doc_ids, years) -> tuple[Any, Any]:
        documents = services.library.documents()
        year_choices = [(str(y), y) for y in qa_render.year_choices(documents)]
        return (refreshed(qa_render.doc_choices(documents), doc_ids or []),
                refreshed(year_choices, years or []))

    return refresh


def _responder(services: UIServices):
    def respond(question, chat, history, doc_ids, doc_types, years, as_of="") -> Iterator[tuple]:
        question = (question or "").strip()
        if not question:
            yield "", chat, history, gr.update()
            return
        chat = [*chat, {"role": "user", "content": question}, {"role": "assistant", "content": ""}]
        try:
            filters = qa_render.make_filters(doc_ids, doc_types, years, as_of)
        except ValueError as exc:  # a malformed version date: say so, keep the question
            chat[-1]["content"] = str(exc)
            yield question, chat, history, gr.update()
            return
        yield from _stream_answer(services, question, chat, list(history), filters)

    return respond


def _stream_answer(services, question, chat, history, filters) -> Iterator[tuple]:
    shown: dict[str, Any] | str = gr.update()
    # The quote (资料原文) shows at once; the model's summary (模型归纳) grows below it.
    view = qa_render.StreamingAnswer(services.answers.style == "quote_and_summary")
    try:
        for event in services.answers.stream(question, history, filters):
            if event.kind == "sources":
                shown = qa_render.sources_html(event.sources)
            elif event.kind == "final":
                answer = event.answer
                view.finish(answer)
                shown = qa_render.sources_html(answer.sources, "最接近的段落" if answer.refused else "引用来源")
                history = [*history, (question, answer.text)]
            else:
                view.add(event)
            chat[-1] = {"role": "assistant", "content": view.markdown()}
            yield "", chat, history, shown
    except Exception as exc:  # show the reason in the chat instead of a silent failure
        log.exception("answering failed")
        chat[-1] = {"role": "assistant", "content": f"出错了：{exc}"}
        yield "", chat, history, shown
