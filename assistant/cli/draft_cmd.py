"""`python -m assistant draft`: draft a report section, or this year's skeleton, from the library."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.cli.common import service_from_args
from assistant.drafting import (
    SECTION_TYPES,
    DraftRequest,
    DraftService,
    render_markdown,
    render_skeleton_markdown,
)
from assistant.drafting.revise import OPERATIONS
from assistant.drafting.sections import answers_to_plan

SECTION_HELP = "、".join(f"{k}={s.label}" for k, s in SECTION_TYPES.items())


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("draft", help="draft a section of this year's report (公文 style, checked)")
    p.add_argument("--section", help=f"section key or any topic ({SECTION_HELP})")
    p.add_argument("--year", type=int, required=True, help="the year the report covers")
    p.add_argument("--unit", default="", help="reporting unit, e.g. 示例市机关事务管理局")
    p.add_argument("--notes", type=Path, help="UTF-8 file with this year's facts, one per line")
    p.add_argument("--last-year", dest="last_year_doc", help="doc id or file name of last year's report")
    p.add_argument("--skeleton", action="store_true", help="print this year's outline instead")
    p.add_argument("--revise", choices=sorted(OPERATIONS), help="then revise the draft this way")
    p.add_argument("--max-chars", type=int, default=400, help="length of the drafted section")
    p.add_argument("--docx", type=Path, help="also write a GB/T 9704 styled .docx here")
    p.add_argument("--md", type=Path, help="also write Markdown here")
    p.set_defaults(func=cmd_draft)


def build_service(args: argparse.Namespace) -> DraftService:
    """The drafting service over the configured library and chat model (None = extractive)."""
    return service_from_args(args, "drafts")[0]


def cmd_draft(args: argparse.Namespace) -> int:
    if not args.skeleton and not (args.section and args.notes):
        print("请指定 --section 和 --notes（或使用 --skeleton 生成提纲）。", file=sys.stderr)
        return 2
    service, assistant = service_from_args(args, "drafts")
    if args.skeleton:
        return _skeleton(service, args)
    code = _section(service, args)
    if code == 0 and answers_to_plan(args.section):
        _print_carryover(assistant, service, args)
    return code


def _print_carryover(assistant, service: DraftService, args: argparse.Namespace) -> None:
    """Last year's commitments with their status, so the section answers to its own plan."""
    from assistant.commitments import CheckError
    from assistant.commitments.carryover import carryover_markdown

    meta = service.last_year_report(args.year, args.unit, args.last_year_doc)
    if meta is None:
        return
    try:
        print("\n" + carryover_markdown(assistant.commitments.carryover(meta.doc_id)))
    except CheckError as exc:  # last year's report has no plan part
        print(f"\n（{exc}）")


def _skeleton(service: DraftService, args: argparse.Namespace) -> int:
    skeleton = service.skeleton(args.year, args.unit, args.last_year_doc)
    if skeleton is None:
        print(f"文库中没有找到{args.year - 1}年度的报告，请先导入或用 --last-year 指定。", file=sys.stderr)
        return 1
    text = render_skeleton_markdown(skeleton)
    print(text)
    if args.md:
        args.md.write_text(text, encoding="utf-8")
    return 0


def _section(service: DraftService, args: argparse.Namespace) -> int:
    notes = args.notes.read_text(encoding="utf-8")
    request = DraftRequest(args.section, args.year, args.unit, notes, args.last_year_doc,
                           args.max_chars)
    draft = service.draft_section(request)
    if args.revise:
        draft = service.revise(draft, args.revise)
    print(render_markdown(draft, mark=False))
    print(f"用时 {draft.elapsed_s:.1f} 秒；数字可追溯 {draft.n_figures_traceable}/{draft.n_figures}；"
          f"待核实 {len(draft.unverified)} 处。")
    if args.md:
        args.md.write_text(render_markdown(draft), encoding="utf-8")
    if args.docx:
        service.export_docx(draft, args.docx)
        print(f"已导出：{args.docx}")
    return 0
