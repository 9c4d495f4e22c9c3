"""What the 文档库 tab does, as plain functions over the Library (testable without a browser)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from assistant.ui.serving import check_uploaded, discard_temp, discard_upload, store_upload
from index.library import FileResult, IngestReport
from index.models import DOC_TYPE_LABELS, DocumentMeta
from index.version_groups import statuses
from index.versions import parse_date

log = logging.getLogger(__name__)
STATUS_LABELS = {"ingested": "已入库", "replaced": "已更新", "unchanged": "未变化", "rejected": "未入库"}
RESULT_HEADERS = ["文件", "结果", "说明"]
DOC_HEADERS = ["文档ID", "文件名", "标题", "发布单位", "年份", "发布日期", "文号", "类型", "段落数",
               "版本状态"]
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

    files = [0, 1]  # the parse stage's (done, total): page steps fill the current file's share

    def report(stage: str, done: int, total: int, detail: str) -> None:
        share = done / total if total else 1.0
        if stage == "pages":  # pages of the file being parsed (OCR of a scan)
            start, end, _ = STAGE_SPAN["parse"]
            share = (files[0] + share) / max(1, files[1])
            progress(start + (end - start) * min(1.0, share), detail)
            return
        if stage == "parse":
            files[:] = [done, total]
        start, end, label = STAGE_SPAN.get(stage, (0.0, 1.0, stage))
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
    """The library table, one row per document (the last column: 现行有效 / 已被修订… )."""
    status = statuses(docs, date.today())
    return [[d.doc_id, d.filename, d.title, d.issuer, d.year or "", d.publish_date, d.doc_number,
             DOC_TYPE_LABELS.get(d.doc_type, d.doc_type), d.n_chunks, _status_text(d, status)]
            for d in docs]


def _status_text(doc: DocumentMeta, status: dict) -> str:
    found = status[doc.doc_id]
    notes = [n for n in dict.fromkeys((found.note, doc.version_note)) if n and found.label]
    return "；".join([found.label, *notes]) if found.label else ""


def metadata_fields(doc: DocumentMeta | None) -> tuple[Any, ...]:
    """Edit form: title, issuer, year, publish_date, doc_number, doc_type, then version facts
    (revisions, effective, repealed, version_group)."""
    if doc is None:
        return "", "", "", "", "", "other", "", "", "", ""
    return (doc.title, doc.issuer, str(doc.year or ""), doc.publish_date, doc.doc_number,
            doc.doc_type, *_version_values(doc))


def _version_values(doc: DocumentMeta) -> tuple[str, str, str, str]:
    return "; ".join(doc.revisions), doc.effective, doc.repealed, doc.version_group


def save_metadata(library: Any, doc_id: str, title: str, issuer: str, year: Any,
                  publish_date: str, doc_number: str, doc_type: str, revisions: str = "",
                  effective: str = "", repealed: str = "", version_group: str = "") -> str:
    """Store corrected metadata; returns a message for the user."""
    if not doc_id:
        return "请先选择文档。"
    try:
        year = _year(year)
    except ValueError as exc:
        return str(exc)
    fields: dict[str, Any] = {"title": title.strip(), "issuer": issuer.strip(), "year": year,
                              "publish_date": publish_date.strip(), "doc_number": doc_number.strip(),
                              "doc_type": doc_type or "other"}
    doc = library.get_document(doc_id)
    entered = (revisions.strip(), effective.strip(), repealed.strip(), version_group.strip())
    if doc is not None and entered != _version_values(doc):
        try:
            fields.update(_version_fields(*entered))
        except ValueError as exc:
            return str(exc)
    doc = library.update_metadata(doc_id, **fields)
    return f"已保存《{doc.title or doc.filename}》的元数据。"


def _year(value: Any) -> int | None:
    """The year typed in the form ("2024", 2024.0 or empty) as an int or None."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    try:
        return int(float(text))
    except ValueError:
        raise ValueError(f"年份“{text}”不是数字，请填写四位年份，如 2024。") from None


def _version_fields(revisions: str, effective: str, repealed: str, group: str) -> dict[str, Any]:
    """Version facts typed in the form: "2009-06-27 修订; 2024-09-13 修正" and dates."""
    items = [r.strip() for r in revisions.replace("；", ";").split(";") if r.strip()]
    parsed = []
    for item in items:
        when = _checked_date("修订记录", item)
        parsed.append(f"{when} {'修订' if '修订' in item else '修正'}")
    return {"revisions": sorted(parsed), "effective": _checked_date("施行日期", effective),
            "repealed": _checked_date("废止日期", repealed), "version_group": group}


def _checked_date(label: str, text: str) -> str:
    if not text:
        return ""
    when = parse_date(text)
    if not when:
        raise ValueError(f"{label}的日期格式不对：{text}（应为 yyyy-mm-dd），元数据未保存。")
    return when


def remove_document(library: Any, doc_id: str, confirmed: bool) -> str:
    """Remove a document after the user ticked the confirmation box."""
    if not doc_id:
        return "请先选择文档。"
    if not confirmed:
        return "请先勾选“确认删除”，再点击删除。"
    doc = library.remove(doc_id)
    return f"已删除《{doc.title or doc.filename}》，它将不再被检索到。"
