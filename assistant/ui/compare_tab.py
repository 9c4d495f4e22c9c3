"""条文对照 tab: pick a regulation kept in several versions, see and download the 新旧条文对照表."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.comparison import CompareError, export_comparison
from assistant.comparison.export import title_of
from assistant.ui.compare_render import EMPTY, render_comparison, render_error
from assistant.ui.exports import export_path
from assistant.ui.services import UIServices


def build_compare_tab(services: UIServices, library_version: gr.Number) -> tuple[Any, gr.Dropdown]:
    """Regulation and two versions on the left, the table and its downloads on the right.

    Returns (refresh function, the regulation picker) so the app can fill it on page load.
    """
    with gr.Row():
        with gr.Column(scale=1):
            regulation = gr.Dropdown(label="法规（资料库中有多个版本的）", choices=[],
                                     elem_id="pda-compare-regulation")
            old = gr.Dropdown(label="原版本", choices=[], elem_id="pda-compare-old")
            new = gr.Dropdown(label="修改后版本", choices=[], elem_id="pda-compare-new")
            changed_only = gr.Checkbox(True, label="只看有变化的条文")
            run = gr.Button("对照", variant="primary", elem_id="pda-compare-run")
            downloads = gr.File(label="下载对照表（.docx / .xlsx）", file_count="multiple",
                                elem_id="pda-compare-files")
        with gr.Column(scale=3):
            shown = gr.HTML(EMPTY, elem_id="pda-compare-output")
    regulation.change(_versions(services), regulation, [old, new])
    run.click(_compare(services), [old, new, changed_only], [shown, downloads],
              concurrency_id="work", concurrency_limit=2)
    library_version.change(_regulations(services), None, regulation)
    return _regulations(services), regulation


def regulation_choices(services: UIServices) -> list[tuple[str, str]]:
    """(label, key) of each regulation kept in two or more versions."""
    groups = services.comparisons.groups()
    return [(f"{g[-1].doc.title}（{len(g)}个版本）", key) for key, g in sorted(groups.items())]


def _regulations(services: UIServices):
    def refresh() -> Any:
        choices = regulation_choices(services)
        return gr.update(choices=choices, value=choices[0][1] if choices else None)
    return refresh


def _versions(services: UIServices):
    def versions(key: str | None) -> tuple[Any, Any]:
        group = services.comparisons.groups().get(key or "", [])
        choices = [(v.label + f"　{v.doc.filename}", v.doc.doc_id) for v in group]
        if len(choices) < 2:
            return gr.update(choices=choices, value=None), gr.update(choices=choices, value=None)
        return (gr.update(choices=choices, value=choices[-2][1]),
                gr.update(choices=choices, value=choices[-1][1]))
    return versions


def _compare(services: UIServices):
    def compare(old_id: str | None, new_id: str | None, changed_only: bool) -> tuple[str, Any]:
        if not old_id or not new_id:
            return render_error("请先选择法规及两个版本。"), None
        try:
            comparison = services.comparisons.compare_documents(old_id, new_id)
        except CompareError as exc:
            return render_error(str(exc)), None
        data_dir = services.library.data_dir
        files = [str(export_comparison(comparison, export_path(data_dir, title_of(comparison) + s),
                                       changed_only=changed_only)) for s in (".docx", ".xlsx")]
        return render_comparison(comparison, changed_only=changed_only), files
    return compare
