"""What the 文档库 tab does, as plain functions over the Library (testable without a browser)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from assistant.ui.serving import check_uploaded, discard_temp, discard_upload, store_upload
from index.library import FileResult, IngestReport
from index.models import DOC_TYPE_LABELS, DocumentMeta

log = logging.getLogger(__name__)
STATUS_LABELS = {"ingested": "已入库", "replaced": "已更新", "unchanged": "未变化", "rejected": "未入库"}
RESULT_HEADERS = ["文件", "结果", "说明"]
DOC_HEADERS = ["文档ID", "文件名", "标题", "发布单位", "年份", "发布日期", "文号", "类型", "段落数"]
STAGE_SPAN = {"parse": (0.0, 0.4, "解析"), "embed": (0.4, 1.0, "向量化")}
Fraction = Callable[[float, str], None]


def ingest_uploads(library: Any, files: Sequence[tuple[str, str]], progress: Fraction,
                   *, max_bytes: float = float("inf")) -> IngestReport:
    """Stage each upload under <data_dir>/uploads, ingest, then delete every copy but the library's.

    `files` are (temp path, original name) pairs (`serving.uploaded_files`). Each is judged on
    its own: a path gradio did not receive, a bad name, an oversize or an unsupported file is
    refused with a Chinese message naming it, and the rest of the batch is still ingested.
    """
    report = IngestReport()
    staged: list[Path] = []
    try:
        for temp, name in files:
            try:
                check_uploaded(temp, name)
                staged.append(store_upload(temp, name, library.data_dir, max_bytes))
            except ValueError as exc:
                log.warning("upload refused: %s", exc)
                report.results.append(FileResult(name, "rejected", str(exc)))
        if staged:
            done = library.ingest(staged, stage_progress(progress))
            report.results.extend(done.results)
            report.seconds = done.seconds
    finally:
        for path in staged:
            discard_upload(path)
        for temp, _ in files:
            discard_temp(temp)
    return report


def stage_progress(progress: Fraction) -> Callable[[str, int, int, str], None]:
    """Adapt Library progress (stage, done, total, detail) to one 0..1 fraction with a label."""

    def report(stage: str, done: int, total: int, detail: str) -> None:
        start, end, label = STAGE_SPAN.get(stage, (0.0, 1.0, stage))
        share = done / total if total else 1.0
        progress(start + (end - start) * share, f"{label} {detail}".strip())

    return report


def result_rows(report: IngestReport) -> list[list[str]]:
    """One row per file: name, 已入库/已更新/未变化/未入库, message."""
    return [[Path(r.path).name, STATUS_LABELS[r.status], r.message] for r in report.results]


def summary(report: IngestReport) -> str:
    """A one-line Chinese summary of an ingest."""
    counts = "，".join(f"{label}{n}个" for status, label in STATUS_LABELS.items()
                      if (n := sum(1 for r in report.results if r.status == status)))
    return f"处理 {len(report.results)} 个文件：{counts or '无'}。"


def document_rows(docs: Sequence[DocumentMeta]) -> list[list[Any]]:
    """The library table, one row per document."""
    return [[d.doc_id, d.filename, d.title, d.issuer, d.year or "", d.publish_date, d.doc_number,
             DOC_TYPE_LABELS.get(d.doc_type, d.doc_type), d.n_chunks] for d in docs]


def metadata_fields(doc: DocumentMeta | None) -> tuple[Any, ...]:
    """Values for the edit form: title, issuer, year, publish_date, doc_number, doc_type."""
    if doc is None:
        return "", "", None, "", "", "other"
    return doc.title, doc.issuer, doc.year, doc.publish_date, doc.doc_number, doc.doc_type


def save_metadata(library: Any, doc_id: str, title: str, issuer: str, year: Any,
                  publish_date: str, doc_number: str, doc_type: str) -> str:
    """Store corrected metadata; returns a message for the user."""
    if not doc_id:
        return "请先选择文档。"
    fields = {"title": title.strip(), "issuer": issuer.strip(),
              "year": int(year) if year not in (None, "") else None,
              "publish_date": publish_date.strip(), "doc_number": doc_number.strip(),
              "doc_type": doc_type or "other"}
    doc = library.update_metadata(doc_id, **fields)
    return f"已保存《{doc.title or doc.filename}》的元数据。"


def remove_document(library: Any, doc_id: str, confirmed: bool) -> str:
    """Remove a document after the user ticked the confirmation box."""
    if not doc_id:
        return "请先选择文档。"
    if not confirmed:
        return "请先勾选“确认删除”，再点击删除。"
    doc = library.remove(doc_id)
    return f"已删除《{doc.title or doc.filename}》，它将不再被检索到。"
