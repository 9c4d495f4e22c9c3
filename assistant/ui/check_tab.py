"""承诺核对 tab: last year's plan checked against this year's document or year; coloured table."""

from __future__ import annotations

import html
from typing import Any

import gradio as gr

from assistant.commitments import CheckError
from assistant.ui.check_defaults import default_check_pair
from assistant.ui.check_render import result_html
from assistant.ui.check_review import build_review_panel, export_files
from assistant.ui.library_sync import refreshed
from assistant.ui.services import UIServices

EMPTY = '<p class="pda-muted">选择上年文档和核对对象后点击“开始核对”。</p>'


def build_check_tab(services: UIServices, library_version: gr.Number) -> None:
    """Document pickers, the coloured result table and the three downloads."""
    # Choices and defaults are filled on page load and after each library change (library_sync).
    with gr.Row():
        plan = gr.Dropdown([], label="上年文档（含工作计划）", elem_id="pda-check-plan")
        against = gr.Dropdown([], label="本年文档（可不选，改按年份核对）", elem_id="pda-check-against")
        year = gr.Dropdown([], label="或按年份核对", elem_id="pda-check-year")
    start = gr.Button("开始核对", variant="primary", elem_id="pda-check-run")
    # The review panel comes first: a national check has hundreds of rows.
    shown = gr.HTML(EMPTY, elem_id="pda-check-output", render=False)
    downloads = gr.File(label="下载（.xlsx / .csv / .docx）", file_count="multiple",
                        elem_id="pda-check-downloads", render=False)
    result = gr.State(None)  # this session's check, reviewed item by item in the panel
    start.click(_check(services), [plan, against, year], [shown, downloads, result],
                concurrency_id="work", concurrency_limit=2)
    build_review_panel(services, result, shown, downloads)
    shown.render()
    downloads.render()
    library_version.change(_pickers(services), [plan, against, year], [plan, against, year],
                           show_progress="hidden")


def _pickers(services: UIServices):
    """Fresh choices; an empty form gets the default pair, a chosen one keeps its choice."""
    def refresh(plan, against, year) -> tuple[Any, Any, Any]:
        docs = _docs(services)
        years = [(str(y), y) for y in sorted({d.year for d in services.library.documents() if d.year},
                                             reverse=True)]
        if not plan:
            plan, against, year = default_check_pair(services.library)
            year = year if year in {y for _, y in years} else None
            return (gr.update(choices=docs, value=plan), gr.update(choices=docs, value=against),
                    gr.update(choices=years, value=year))
        return refreshed(docs, plan), refreshed(docs, against), refreshed(years, year)

    return refresh


def _docs(services: UIServices) -> list[tuple[str, str]]:
    return [(d.title or d.filename, d.doc_id) for d in services.library.documents()]


def _check(services: UIServices):
    def check(plan, against, year, progress=gr.Progress()) -> tuple[str, Any, Any]:  # noqa: B008 (gradio injects it)
        if not plan:
            return _message("请先选择上年文档。"), None, None
        def step(done: int, total: int, item: str) -> None:
            progress(done / total if total else 1.0, desc=f"核对 {item[:20]}")
        try:
            result = services.commitments.check(
                plan, against=against or None, year=int(year) if year else None, progress=step)
        except CheckError as exc:
            return _message(str(exc)), None, None
        return result_html(result), export_files(services, result), result

    return check


def _message(text: str) -> str:
    return f'<p class="pda-muted">{html.escape(text)}</p>'
