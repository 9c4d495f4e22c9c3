"""文档库 tab: upload with progress, per-file results, the document table, edit, remove, rebuild."""

from __future__ import annotations

from typing import Any

import gradio as gr

from assistant.ui import library_actions as actions
from assistant.ui.library_sync import refreshed
from assistant.ui.services import UIServices
from assistant.ui.serving import uploaded_files
from index.loaders import SUPPORTED_SUFFIXES
from index.models import DOC_TYPE_LABELS


def build_library_tab(services: UIServices, library_version: gr.Number) -> None:
    """Upload area, results, document table and the edit / remove / rebuild panel."""
    # No file_types: a batch with an unsupported file must not be refused whole by the browser;
    # the library refuses such files one by one with its own Chinese message.
    files = gr.File(label="上传文档（可多选）", file_count="multiple", elem_id="pda-upload")
    gr.Markdown(f"支持的格式：{'、'.join(SUPPORTED_SUFFIXES)}。其他格式的文件会逐个说明原因，不影响同批其他文件。",
                elem_classes="pda-muted", elem_id="pda-upload-formats")
    upload = gr.Button("导入文档库", variant="primary", elem_id="pda-ingest")
    # Evaluated on each page load, so an outdated library is pointed out until it is rebuilt.
    status = gr.Markdown(lambda: services.library.maintenance_notice(), elem_id="pda-library-status")
    results = gr.Dataframe(headers=actions.RESULT_HEADERS, label="导入结果", interactive=False,
                           elem_id="pda-ingest-results", wrap=True)
    # Filled on page load and after every library change in any session (library_sync).
    table = gr.Dataframe(label="文档列表", headers=actions.DOC_HEADERS, interactive=False, wrap=True,
                         elem_id="pda-doc-table")
    picker, form, confirm, buttons = _edit_panel()
    save, remove, rebuild = buttons
    library_version.change(_refresh(services), picker, [table, picker], show_progress="hidden",
                           api_visibility="private")
    upload.click(_ingest(services), [files, library_version], [results, status, library_version, files],
                 concurrency_id="library", concurrency_limit=1, api_visibility="private",
                 preprocess=False)  # paths are checked by ingest_uploads: no gradio traceback
    picker.change(lambda d: actions.metadata_fields(services.library.get_document(d or "")),
                  picker, form, show_progress="hidden", api_visibility="private")
    save.click(_guard(lambda *v: actions.save_metadata(services.library, *v)),
               [picker, *form, library_version], [status, library_version], concurrency_id="library",
               concurrency_limit=1)
    remove.click(_guard(lambda d, c: actions.remove_document(services.library, d, c)),
                 [picker, confirm, library_version], [status, library_version],
                 concurrency_id="library", concurrency_limit=1).then(lambda: False, None, confirm)
    rebuild.click(_rebuild(services), library_version, [status, library_version],
                  concurrency_id="library", concurrency_limit=1)


def _edit_panel() -> tuple[Any, list[Any], Any, tuple[Any, Any, Any]]:
    with gr.Accordion("修改元数据 / 删除文档 / 重建索引", open=True):
        picker = gr.Dropdown([], label="选择文档", elem_id="pda-doc-picker")
        with gr.Row():
            title = gr.Textbox(label="标题", elem_id="pda-meta-title")
            issuer = gr.Textbox(label="发布单位", elem_id="pda-meta-issuer")
            # Text, not gr.Number: an empty year must show empty, not "0".
            year = gr.Textbox(label="年份", placeholder="如 2024", elem_id="pda-meta-year")
        with gr.Row():
            date = gr.Textbox(label="发布日期（yyyy-mm-dd）")
            number = gr.Textbox(label="文号")
            kind = gr.Dropdown([(v, k) for k, v in DOC_TYPE_LABELS.items()], value="other", label="类型")
        versions = _version_fields()
        with gr.Row():
            save = gr.Button("保存元数据", elem_id="pda-save-meta")
            confirm = gr.Checkbox(label="确认删除", elem_id="pda-confirm-remove")
            remove = gr.Button("删除文档", variant="stop", elem_id="pda-remove")
            rebuild = gr.Button("重建索引", elem_id="pda-rebuild")
    return picker, [title, issuer, year, date, number, kind, *versions], confirm, (save, remove, rebuild)


def _version_fields() -> list[Any]:
    """Version facts of a regulation, read from its history at ingest; the user may correct them."""
    with gr.Row():
        return [
            gr.Textbox(label="修订记录（如 2009-06-27 修订; 2024-09-13 修正）", elem_id="pda-meta-revisions"),
            gr.Textbox(label="施行日期", elem_id="pda-meta-effective"),
            gr.Textbox(label="废止日期（留空为未废止）", elem_id="pda-meta-repealed"),
            gr.Textbox(label="版本组（留空按标题归组；填 - 不归组）", elem_id="pda-meta-group"),
        ]


def _doc_choices(services: UIServices) -> list[tuple[str, str]]:
    return [(f"{d.title or d.filename}（{d.filename}）", d.doc_id) for d in services.library.documents()]


def _refresh(services: UIServices):
    """The table and the picker (its choice kept while the document exists)."""
    def refresh(chosen) -> tuple[Any, Any]:
        docs = services.library.documents()
        return actions.document_rows(docs), refreshed(_doc_choices(services), chosen)

    return refresh


def _bumped(version: Any) -> int:
    return int(version or 0) + 1


def _ingest(services: UIServices):
    def ingest(files, version, progress=gr.Progress()):  # noqa: B008 (gradio injects it)
        if not files:
            return [], "请先选择要上传的文件。", gr.skip(), gr.skip()
        progress(0.0, desc="开始导入")
        report = actions.ingest_uploads(services.library, uploaded_files(files),
                                        lambda f, d: progress(f, desc=d),
                                        max_bytes=services.max_upload_bytes)
        # The uploaded copies are gone after ingest: clear the widget so they are not sent again.
        return actions.result_rows(report), actions.summary(report), _bumped(version), None

    return ingest


def _guard(action):
    """Run a library edit (last input: the library version); errors become a message."""
    def run(*values):
        *args, version = values
        try:
            message = action(*args)
        except (KeyError, ValueError) as exc:
            message = f"操作失败：{exc}"
        return message, _bumped(version)

    return run


def _rebuild(services: UIServices):
    def rebuild(version, progress=gr.Progress()):  # noqa: B008 (gradio injects it)
        progress(0.0, desc="开始重建")
        report = services.library.rebuild(
            actions.stage_progress(lambda f, d: progress(f, desc=d)))
        message = f"索引已重建：{len(services.library.documents())} 份文档。" + actions.summary(report)
        return message, _bumped(version)

    return rebuild
