"""`python -m assistant compare TITLE [--from DATE] [--to DATE] [--out FILE]`: 新旧条文对照表."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from assistant.cli.common import service_from_args
from assistant.comparison import SUFFIXES, CompareError, Comparison, export_comparison

_SHOWN_CHARS = 60


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help="新旧条文对照：同一法规两个版本逐条对照")
    p.add_argument("title", help="法规名称，如 统计法 或 《中华人民共和国统计法》")
    p.add_argument("--from", dest="since", type=_date, default=None,
                   help="旧版本：该日期（YYYY-MM-DD）施行的版本；默认为现行版本的上一版本")
    p.add_argument("--to", dest="until", type=_date, default=None,
                   help="新版本：该日期施行的版本；默认为今天施行的版本")
    p.add_argument("--out", type=Path, default=None, help="导出到 .docx / .xlsx")
    p.add_argument("--changed-only", action="store_true", help="只列出有变化的条文")
    p.set_defaults(func=cmd_compare)


def cmd_compare(args: argparse.Namespace) -> int:
    if args.out and args.out.suffix.lower() not in SUFFIXES:
        print(f"不支持的导出格式：{args.out.suffix or args.out.name}（可用：{'、'.join(SUFFIXES)}）",
              file=sys.stderr)
        return 2
    service, _ = service_from_args(args, "comparisons")
    try:
        comparison = service.compare(args.title, since=args.since, until=args.until)
    except CompareError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    print_comparison(comparison, changed_only=args.changed_only)
    if args.out:
        path = export_comparison(comparison, args.out, changed_only=args.changed_only)
        print(f"已导出：{path}")
    return 0


def print_comparison(comparison: Comparison, *, changed_only: bool) -> None:
    """Summary line, then one line per row: kind, old label → new label, note, start of the text."""
    print(comparison.summary())
    for row in comparison.rows:
        if changed_only and row.kind == "未变":
            continue
        labels = f"{row.old_label or '—'} → {row.new_label or '—'}"
        text = (row.new or row.old).body.replace("\n", " ")  # type: ignore[union-attr]
        print(f"[{row.kind}] {labels}  {row.note}  {text[:_SHOWN_CHARS]}")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None
