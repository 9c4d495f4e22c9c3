"""承诺核对 review: go through the 待确认 items (or reopen any), pick a status, keep the decision.

The check result lives in the session's gr.State; every decision goes through
CommitmentService.decide, which keeps it in the library's data dir, so a restart or the same
check run again on unchanged documents finds it.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.commitments import CheckResult, Decision, export_result
from assistant.commitments.decisions import now_text
from assistant.commitments.models import STATUSES
from assistant.ui.check_render import result_html, review_html
from assistant.ui.exports import export_path
from assistant.ui.services import UIServices

EXPORT_SUFFIXES = (".xlsx", ".csv", ".docx")
SCOPES = [("待确认事项", "pending"), ("全部事项", "all")]
NOTHING = '<p class="pda-muted">核对完成后，在这里逐项确认“待确认”的事项。</p>'
ALL_DONE = '<p class="pda-muted">没有待确认的事项。可切换到“全部事项”重新打开任何一项。</p>'


def export_files(services: UIServices, result: CheckResult) -> list[str]:
    """The result as .xlsx, .csv and .docx in the data dir's export folder."""
    return [str(export_result(result, export_path(services.library.data_dir, f"承诺核对{s}")))
            for s in EXPORT_SUFFIXES]


def build_review_panel(services: UIServices, state: gr.State, table: gr.HTML, downloads: gr.File) -> None:
    """Item picker, the item's evidence, the status choice and note, save / reopen buttons."""
    with gr.Group(elem_id="pda-review"):
        gr.Markdown("#### 逐项确认")
        with gr.Row():
            scope = gr.Radio(SCOPES, value="pending", label="显示", elem_id="pda-review-scope")
            item = gr.Dropdown([], label="事项", elem_id="pda-review-item")
        detail = gr.HTML(NOTHING, elem_id="pda-review-detail")
        with gr.Row():
            status = gr.Radio(list(STATUSES), label="人工判断", elem_id="pda-review-status")
            note = gr.Textbox(label="备注（可选）", elem_id="pda-review-note")
        with gr.Row():
            save = gr.Button("保存判断，下一项", variant="primary", elem_id="pda-review-save")
            reopen = gr.Button("撤销人工判断", elem_id="pda-review-reopen")
    state.change(_choices, [state, scope], item, show_progress="hidden")
    scope.change(_choices, [state, scope], item, show_progress="hidden")
    item.change(_show, [state, item], [detail, status, note], show_progress="hidden")
    outputs = [state, table, downloads, item]
    save.click(_decide(services, reopen=False), [state, item, status, note, scope], outputs)
    reopen.click(_decide(services, reopen=True), [state, item, status, note, scope], outputs)


def _label(number: int, verdict) -> str:
    lean = f"倾向{verdict.status}·{verdict.confidence}" if verdict.decision is None else "已人工确认"
    return f"{number}. 【{verdict.shown_status}｜{lean}】{verdict.commitment.text[:40]}"


def _listed(result: CheckResult | None, scope: str) -> list[tuple[str, int]]:
    if result is None:
        return []
    return [(_label(i + 1, v), i) for i, v in enumerate(result.verdicts)
            if scope == "all" or v.final_status is None]


def _choices(result: CheckResult | None, scope: str, after: int | None = None) -> Any:
    """Items in scope; the first one after `after` (or the first) is selected."""
    listed = _listed(result, scope)
    values = [v for _, v in listed]
    following = [v for v in values if after is None or v > after]
    chosen = (following or values)[0] if values else None
    return gr.update(choices=listed, value=chosen)


def _show(result: CheckResult | None, index: int | None) -> tuple[str, Any, Any]:
    if result is None or index is None or not 0 <= int(index) < len(result.verdicts):
        return (ALL_DONE if result is not None else NOTHING), gr.update(value=None), gr.update(value="")
    verdict = result.verdicts[int(index)]
    decided = verdict.decision
    return (review_html(int(index) + 1, verdict), gr.update(value=(decided or verdict).status),
            gr.update(value=decided.note if decided else ""))


def _decide(services: UIServices, *, reopen: bool):
    def decide(result, index, status, note, scope, request: gr.Request) -> tuple[Any, ...]:
        if result is None or index is None:
            raise gr.Error("请先完成核对并选择一个事项。")
        if not reopen and status not in STATUSES:
            raise gr.Error("请选择 已落实、部分落实 或 未体现。")
        who = (getattr(request, "username", None) or "人工") if request else "人工"
        decision = None if reopen else Decision(status, (note or "").strip(), who, now_text())
        services.commitments.decide(result, [(int(index), decision)])
        return (result, result_html(result), export_files(services, result),
                _choices(result, scope, after=int(index) - (1 if reopen else 0)))

    return decide
