"""HTML for the 新旧条文对照表: deleted words struck through, inserted words underlined."""

from __future__ import annotations

import html

from assistant.comparison import Comparison, TableRow
from assistant.comparison.wording import Segment

COMPARE_CSS = """
.pda-compare table { border-collapse: collapse; width: 100%; }
.pda-compare th, .pda-compare td { border: 1px solid #d1d5db; padding: 6px 8px; vertical-align: top;
  line-height: 1.6; white-space: pre-wrap; }
.pda-compare del { color: #b91c1c; text-decoration: line-through; background: #fee2e2; }
.pda-compare ins { color: #065f46; text-decoration: underline; background: #d1fae5; font-weight: 600; }
.pda-compare .kind-新增 td:last-child { color: #065f46; }
.pda-compare .kind-删除 td:last-child { color: #b91c1c; }
"""
EMPTY = '<p class="pda-muted">选择法规及两个版本后点击“对照”。删去的文字<del>划线</del>，新增的文字<ins>加下划线</ins>。</p>'


def render_comparison(comparison: Comparison, *, changed_only: bool) -> str:
    """Summary line and the three-column table."""
    rows = [r for r in comparison.rows if not (changed_only and r.kind == "未变")]
    body = "".join(_row(r) for r in rows)
    return (f'<div class="pda-compare"><p><b>{html.escape(comparison.summary())}</b></p>'
            "<table><thead><tr><th>原条文</th><th>修改后条文</th><th>说明</th></tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


def render_error(message: str) -> str:
    return f'<p class="pda-muted">{html.escape(message)}</p>'


def _row(row: TableRow) -> str:
    old = _cell(row.old_label, row.old_segments, "del")
    new = _cell(row.new_label, row.new_segments, "ins")
    return f'<tr class="kind-{row.kind}"><td>{old}</td><td>{new}</td><td>{html.escape(row.note)}</td></tr>'


def _cell(label: str, segments: list[Segment], tag: str) -> str:
    if not label:
        return ""
    text = "".join(f"<{tag}>{html.escape(s.text)}</{tag}>" if s.changed else html.escape(s.text)
                   for s in segments)
    return f"<b>{html.escape(label)}</b>　{text}"
