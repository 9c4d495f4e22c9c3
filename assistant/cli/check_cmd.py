"""`python -m assistant check --plan DOC --against DOC|--year YYYY`: the commitment check table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.cli.common import service_from_args
from assistant.commitments import CheckError, CheckResult, export_result
from assistant.commitments.table import summary_line, table_rows

# Columns shown in the terminal (the exports carry all of them).
_SHOWN = (0, 4, 2, 5, 6, 7)
_WIDTHS = (4, 8, 40, 12, 12, 40)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="承诺核对：上一年度计划逐项对照今年的报告或材料")
    p.add_argument("--plan", required=True, help="含工作计划的文档（id、文件名或标题）")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--against", help="核对对象文档（今年的报告或草稿）")
    target.add_argument("--year", type=int, help="核对对象：资料库中该年份的全部文档")
    p.add_argument("--out", type=Path, default=None, help="导出到 .xlsx / .csv / .docx")
    p.add_argument("--no-shortcomings", action="store_true", help="不核对“存在的不足”")
    p.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    service, _ = service_from_args(args, "commitments")
    try:
        result = service.check(args.plan, against=args.against, year=args.year,
                               shortcomings=not args.no_shortcomings, progress=_progress)
    except CheckError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print_table(result)
    if args.out:
        print(f"已导出：{export_result(result, args.out)}")
    return 0


def _progress(done: int, total: int, text: str) -> None:
    print(f"\r核对中 {done + 1}/{total}", end="", file=sys.stderr, flush=True)


def _cell(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def print_table(result: CheckResult) -> None:
    """A compact table: number, status, item, promised, found, evidence."""
    print(file=sys.stderr)
    print(f"承诺核对：{result.plan_title} → {result.against}")
    print(f"{summary_line(result)}（用时{result.seconds:.1f}秒）")
    for row in table_rows(result):
        print(" | ".join(_cell(row[i], w) for i, w in zip(_SHOWN, _WIDTHS, strict=True)))
