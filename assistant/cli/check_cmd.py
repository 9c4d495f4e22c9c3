"""`python -m assistant check --plan DOC --against DOC|--year YYYY`: the commitment check table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from assistant.cli.common import service_from_args
from assistant.commitments import CheckError, CheckResult, export_result
from assistant.commitments.decisions import DecisionFileError, read_decisions_csv
from assistant.commitments.export import export_csv
from assistant.commitments.models import PENDING
from assistant.commitments.table import TABLE_HEADERS, summary_line, table_rows

# Columns shown in the terminal (the exports carry all of them).
_SHOWN = tuple(TABLE_HEADERS.index(c) for c in ("序号", "状态", "倾向", "置信度", "事项", "实际情况", "证据"))
_WIDTHS = (4, 6, 6, 2, 40, 12, 40)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="承诺核对：上一年度计划逐项对照今年的报告或材料")
    p.add_argument("--plan", required=True, help="含工作计划的文档（id、文件名或标题）")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--against", help="核对对象文档（今年的报告或草稿）")
    target.add_argument("--year", type=int, help="核对对象：资料库中该年份的全部文档")
    p.add_argument("--out", type=Path, default=None, help="导出到 .xlsx / .csv / .docx")
    p.add_argument("--decisions", type=Path, default=None,
                   help="人工判断表（CSV）：文件存在时先导入其中填写的“人工判断”，核对后写回完整的表，"
                        "可带到另一台电脑继续核对")
    p.add_argument("--no-shortcomings", action="store_true", help="不核对“存在的不足”")
    p.set_defaults(func=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    service, _ = service_from_args(args, "commitments")
    try:
        result = service.check(args.plan, against=args.against, year=args.year,
                               shortcomings=not args.no_shortcomings, progress=_progress)
        if args.decisions and args.decisions.exists():
            import_decisions(service, result, args.decisions)
    except (CheckError, DecisionFileError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print_table(result)
    if args.out:
        print(f"已导出：{export_result(result, args.out)}")
    if args.decisions:
        pending = sum(1 for v in result.verdicts if v.shown_status == PENDING)
        print(f"已写出人工判断表：{export_csv(result, args.decisions)}（待确认{pending}项；"
              "在“人工判断”列填写 已落实/部分落实/未体现 后，用 --decisions 再次导入）")
    return 0


def import_decisions(service, result: CheckResult, path: Path) -> None:
    """Store the decisions filled in a reviewed table; say how many matched."""
    found, unknown = read_decisions_csv(path, result)
    service.decide(result, found)
    note = f"，{len(unknown)}项在本次核对中没有对应事项（文档可能已修改）" if unknown else ""
    print(f"已导入人工判断{len(found)}项（{path.name}）{note}", file=sys.stderr)


def _progress(done: int, total: int, text: str) -> None:
    print(f"\r核对中 {done + 1}/{total}", end="", file=sys.stderr, flush=True)


def _cell(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def print_table(result: CheckResult) -> None:
    """A compact table: number, status, lean, confidence, item, found, evidence."""
    print(file=sys.stderr)
    print(f"承诺核对：{result.plan_title} → {result.against}")
    print(f"{summary_line(result)}（用时{result.seconds:.1f}秒）")
    for row in table_rows(result):
        print(" | ".join(_cell(row[i], w) for i, w in zip(_SHOWN, _WIDTHS, strict=True)))
