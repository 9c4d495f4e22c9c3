"""起草 tab: a report section from notes, unverified items highlighted, revise, download .docx."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import gradio as gr

from assistant.commitments import CheckError
from assistant.drafting import SECTION_TYPES, DraftRequest
from assistant.drafting.sections import answers_to_plan
from assistant.ui.check_render import carryover_html
from assistant.ui.exports import export_path
from assistant.ui.library_sync import refreshed
from assistant.ui.services import UIServices

REVISIONS = [("压缩", "shorten"), ("展开", "expand"), ("更正式", "formalise"), ("重写", "rewrite")]
EMPTY = '<p class="pda-muted">填写左侧信息后点击“生成草稿”。待核实的数字、名称以<mark>黄色</mark>标出。</p>'


def build_draft_tab(services: UIServices, library_version: gr.Number) -> None:
    """Request form on the left, the draft with its sources on the right."""
    draft = gr.State(None)  # the current Draft of this browser session
    with gr.Row():
        with gr.Column(scale=2):
            section = gr.Dropdown([(s.label, k) for k, s in SECTION_TYPES.items()],
                                  value=next(iter(SECTION_TYPES)), label="章节", allow_custom_value=True,
                                  elem_id="pda-draft-section")
            with gr.Row():
                year = gr.Number(dt.date.today().year, label="年度", precision=0)
                unit = gr.Textbox(label="单位", placeholder="例如：示例市机关事务管理局")
            last_year = gr.Dropdown([], label="上年报告（可不选，按年度自动查找）",
                                    elem_id="pda-draft-last-year")  # filled on load (library_sync)
            notes = gr.Textbox(label="工作笔记（每行一条）", lines=8, elem_id="pda-draft-notes")
            generate = gr.Button("生成草稿", variant="primary", elem_id="pda-draft-generate")
            operation = gr.Radio(REVISIONS, value="formalise", label="修改方式")
            instruction = gr.Textbox(label="修改要求（可选）", placeholder="例如：突出节能成效")
            revise = gr.Button("按要求修改", elem_id="pda-draft-revise")
        with gr.Column(scale=3):
            shown = gr.HTML(EMPTY, elem_id="pda-draft-output")
            download = gr.File(label="下载 .docx", elem_id="pda-draft-docx")
            carried = gr.HTML("", elem_id="pda-draft-commitments")  # last year's plan, for plan/measures
    outputs = [draft, shown, download]
    generate.click(_generate(services), [section, year, unit, last_year, notes], outputs,
                   concurrency_id="work", concurrency_limit=2)
    generate.click(_carryover(services), [section, year, unit, last_year], carried, show_progress="hidden")
    revise.click(_revise(services), [draft, operation, instruction], outputs,
                 concurrency_id="work", concurrency_limit=2)
    library_version.change(lambda v: refreshed(_reports(services), v), last_year, last_year,
                           show_progress="hidden")


def _reports(services: UIServices) -> list[tuple[str, str]]:
    docs = services.library.documents()
    return [(d.title or d.filename, d.doc_id) for d in docs if d.doc_type in ("report", "plan")]


def _generate(services: UIServices):
    def generate(section, year, unit, last_year, notes) -> tuple[Any, str, Any]:
        if not (notes or "").strip():
            return None, _message("请先填写工作笔记。"), None
        request = DraftRequest(section=section, year=int(year or dt.date.today().year),
                               unit=(unit or "").strip(), notes=notes, last_year_doc_id=last_year or None)
        return _shown(services, services.drafts.draft_section(request))

    return generate


def _carryover(services: UIServices):
    """Last year's commitments with their status, beside a 计划 or 举措和成效 draft."""
    def carryover(section, year, unit, last_year) -> str:
        if not answers_to_plan(section or ""):
            return ""
        meta = services.drafts.last_year_report(int(year or dt.date.today().year), (unit or "").strip(),
                                                last_year or None)
        try:
            return carryover_html(services.commitments.carryover(meta.doc_id)) if meta else ""
        except CheckError:
            return ""  # last year's report has no plan part

    return carryover


def _revise(services: UIServices):
    def revise(draft, operation, instruction) -> tuple[Any, str, Any]:
        if draft is None:
            return None, _message("请先生成草稿。"), None
        return _shown(services, services.drafts.revise(draft, operation, instruction or ""))

    return revise


def _shown(services: UIServices, draft: Any) -> tuple[Any, str, Any]:
    path = export_path(services.library.data_dir, f"{draft.heading[:20]}草稿.docx")
    services.drafts.export_docx(draft, path)
    return draft, f'<div class="pda-draft">{services.drafts.to_html(draft)}</div>', str(path)


def _message(text: str) -> str:
    return f'<p class="pda-muted">{html.escape(text)}</p>'
