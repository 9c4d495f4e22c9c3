"""Library commands: ingest, list, remove, meta, rebuild, search."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from tqdm import tqdm

from assistant.cli.common import add_filter_args, settings_from_args
from assistant.container import build_library
from index.library import FileStatus, IngestReport, Library
from index.models import DOC_TYPE_LABELS
from index.version_groups import statuses
from index.versions import parse_date, to_date

STATUS_LABELS: dict[FileStatus, str] = {"ingested": "已入库", "replaced": "已更新", "unchanged": "未变化", "rejected": "未入库"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="add files or folders to the library")
    p.add_argument("paths", nargs="+", type=Path)
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("list", help="list documents with metadata")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("remove", help="remove a document (id, file name or title)")
    p.add_argument("doc")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser(
        "meta",
        help="correct a document's metadata: meta DOC title=… year=2024 "
        "revisions='2009-06-27 修订;2024-09-13 修正' effective=2010-01-01 repealed=2025-01-01",
    )
    p.add_argument("doc")
    p.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    p.set_defaults(func=cmd_meta)

    p = sub.add_parser("rebuild", help="re-parse stored files and rebuild the indexes")
    p.set_defaults(func=cmd_rebuild)

    p = sub.add_parser("complete", help="finish embedding left unfinished by an interrupted ingest")
    p.set_defaults(func=cmd_complete)

    p = sub.add_parser("search", help="hybrid search (BM25 + vectors)")
    p.add_argument("query", nargs="?")
    p.add_argument("-k", type=int, default=None)
    p.add_argument("--json", action="store_true", help="one JSON object per query")
    p.add_argument("--batch", type=Path, help="file with one query per line")
    add_filter_args(p)
    add_as_of_arg(p)
    p.set_defaults(func=cmd_search)


def add_as_of_arg(parser: argparse.ArgumentParser) -> None:
    """--as-of YYYY-MM-DD: use the versions of regulations in force on that date."""
    parser.add_argument(
        "--as-of", type=as_of_date, default=None, metavar="YYYY-MM-DD",
        help="use the versions of regulations in force on this date (default: today)",
    )


def as_of_date(text: str) -> date:
    """argparse type for --as-of, with a Chinese message for a malformed date."""
    parsed = to_date(parse_date(text))
    if parsed is None:
        raise argparse.ArgumentTypeError(f"日期格式不对：{text}（应为 YYYY-MM-DD，例如 2020-12-31）")
    return parsed


def _library(args: argparse.Namespace) -> Library:
    return build_library(settings_from_args(args))


def _warn_if_outdated(library: Library) -> None:
    if notice := library.maintenance_notice():
        print(f"⚠ {notice}", file=sys.stderr)


class _TqdmProgress:
    """Adapts the library's progress callback to tqdm bars, one per stage."""

    LABELS = {"parse": "解析", "pages": "页面", "embed": "向量化"}

    def __init__(self) -> None:
        self.bars: dict[str, tqdm] = {}

    def __call__(self, stage: str, done: int, total: int, detail: str) -> None:
        bar = self.bars.get(stage)
        if bar is None:
            bar = tqdm(total=total, desc=self.LABELS.get(stage, stage), unit="项", file=sys.stderr)
            self.bars[stage] = bar
        bar.total = total
        bar.n = done
        if detail:
            bar.set_postfix_str(detail[:30], refresh=False)
        bar.refresh()

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def _finish_pending(library: Library) -> None:
    """Before a command that changes the library: finish embedding an interrupted ingest left."""
    pending = library.snapshot().pending_vectors
    if not pending:
        return
    print(f"上次导入未完成：先补完 {pending} 个段落的向量化……", file=sys.stderr)
    progress = _TqdmProgress()
    try:
        library.complete_pending(progress=progress)
    finally:
        progress.close()


def cmd_complete(args: argparse.Namespace) -> int:
    library = _library(args)
    pending = library.snapshot().pending_vectors
    _finish_pending(library)
    print(f"已补完 {pending} 个段落的向量化。" if pending else "所有段落都已向量化，无需补完。")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    library = _library(args)
    progress = _TqdmProgress()
    try:
        report = library.ingest(args.paths, progress=progress)
    finally:
        progress.close()
    print_report(report)
    return 1 if report.results and report.count("rejected") == len(report.results) else 0


def print_report(report: IngestReport) -> None:
    for r in report.results:
        print(f"[{STATUS_LABELS[r.status]}] {Path(r.path).name}  {r.message}")
    counts = "，".join(f"{STATUS_LABELS[s]} {report.count(s)}" for s in STATUS_LABELS)
    timing = "，".join(f"{k} {v:.1f}s" for k, v in report.seconds.items())
    print(f"合计：{counts}；新向量化 {report.embedded_chunks} 段；{timing}")


def cmd_list(args: argparse.Namespace) -> int:
    library = _library(args)
    _warn_if_outdated(library)
    docs = library.documents()
    status = statuses(docs, date.today())
    if args.json:
        rows = [{**d.model_dump(mode="json"), "status": status[d.doc_id].label} for d in docs]
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    if not docs:
        print("资料库为空。用 `python -m assistant ingest 路径` 添加文档。")
    for d in docs:
        kind = DOC_TYPE_LABELS.get(d.doc_type, d.doc_type)
        state = f" 状态:{status[d.doc_id].label}" if status[d.doc_id].label else ""
        print(f"{d.doc_id}  {d.title}  [{kind}]{state} 年份:{d.year or '-'} 发布单位:{d.issuer or '-'} "
              f"日期:{d.publish_date or '-'} 文号:{d.doc_number or '-'}  {d.n_chunks}段  ({d.filename})")
        for note in dict.fromkeys((status[d.doc_id].note, d.version_note)):
            if note:
                print(f"    ⚠ {note}")
    return 0


def _find(library: Library, key: str) -> str | None:
    doc = library.get_document(key)
    if doc is None:
        print(f"资料库中没有找到文档：{key}", file=sys.stderr)
        return None
    return doc.doc_id


def cmd_remove(args: argparse.Namespace) -> int:
    library = _library(args)
    doc_id = _find(library, args.doc)
    if doc_id is None:
        return 1
    _finish_pending(library)
    doc = library.remove(doc_id)
    print(f"已删除：{doc.title}（{doc.filename}）")
    return 0


def cmd_meta(args: argparse.Namespace) -> int:
    library = _library(args)
    doc_id = _find(library, args.doc)
    if doc_id is None:
        return 1
    _finish_pending(library)
    try:
        fields = meta_fields(args.assignments)
        doc = library.update_metadata(doc_id, **fields)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print(json.dumps(doc.model_dump(mode="json"), ensure_ascii=False, indent=1))
    return 0


_LIST_FIELDS = ("revisions", "repeals")
_DATE_FIELDS = ("adopted", "promulgated", "effective", "repealed", "publish_date")


def meta_fields(assignments: list[str]) -> dict[str, Any]:
    """FIELD=VALUE pairs as metadata fields; lists split at ; and dates checked."""
    fields: dict[str, Any] = {}
    for item in assignments:
        name, _, value = item.partition("=")
        value = value.strip()
        if name == "year":
            fields[name] = int(value) if value else None
        elif name in _LIST_FIELDS:
            fields[name] = _list_value(name, value)
        elif name in _DATE_FIELDS and value:
            fields[name] = _date_value(name, value)
        else:
            fields[name] = value
    return fields


def _list_value(name: str, value: str) -> list[str]:
    items = [v.strip() for v in value.replace("；", ";").split(";") if v.strip()]
    if name != "revisions":
        return [item.strip("《》") for item in items]
    out = []
    for item in items:
        when = _date_value(name, item)
        out.append(f"{when} {'修订' if '修订' in item else '修正'}")
    return sorted(out)


def _date_value(name: str, value: str) -> str:
    parsed = parse_date(value)
    if not parsed:
        raise ValueError(f"{name} 的日期格式不对：{value}（应为 YYYY-MM-DD）")
    return parsed


def cmd_rebuild(args: argparse.Namespace) -> int:
    progress = _TqdmProgress()
    try:
        report = _library(args).rebuild(progress=progress)
    finally:
        progress.close()
    print_report(report)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    if not args.query and not args.batch:
        print("请给出查询语句，或用 --batch 文件", file=sys.stderr)
        return 2
    library = _library(args)
    _warn_if_outdated(library)
    queries = [args.query] if args.query else _read_queries(args.batch)
    for query in queries:
        hits = library.search(
            query, k=args.k, doc_ids=args.doc, doc_types=args.doc_type, years=args.year,
            as_of=args.as_of,
        )
        if args.json:
            print(json.dumps({"query": query, "hits": [hit_json(h) for h in hits]}, ensure_ascii=False))
        else:
            _print_hits(query, hits)
    return 0


def _read_queries(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def hit_json(hit: Any) -> dict[str, Any]:
    m = hit.metadata
    return {
        "rank": m["rank"], "score": m["score"], "text": hit.page_content, "source": m["source"],
        "title": m["title"], "section": m["section"], "page": m["page"], "article": m["article"],
        "doc_id": m["doc_id"], "relevance": m["relevance"], "version": m.get("version", ""),
    }


def _print_hits(query: str, hits: list[Any]) -> None:
    print(f"查询：{query}")
    if not hits:
        print("  （没有结果）")
    for h in hits:
        m = h.metadata
        where = " ".join(str(x) for x in (m["article"] or m["section"], f"第{m['page']}页" if m["page"] else "") if x)
        text = h.page_content.replace("\n", " ")
        print(f"  {m['rank']}. 《{m['title']}》{m.get('version', '')} {where}  (score {m['score']:.4f})")
        print(f"     {text[:160]}{'…' if len(text) > 160 else ''}")
