"""The commitment check as an HTML table with status colours (green / amber / red)."""

from __future__ import annotations

import html

from assistant.commitments import TABLE_HEADERS, CheckResult, summary_line, table_rows
from assistant.commitments.models import DONE, MISSING, PARTLY

STATUS_CLASSES: dict[str, str] = {DONE: "pda-done", PARTLY: "pda-partly", MISSING: "pda-missing"}
SHOWN_COLUMNS = ["序号", "类型", "事项", "状态", "承诺目标", "实际情况", "证据", "证据位置", "理由"]
CHECK_CSS = """
.pda-check table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
.pda-check th, .pda-check td { border: 1px solid #d1d5db; padding: 4px 6px; vertical-align: top; }
.pda-done { background: #c6efce; color: #14532d; }
.pda-partly { background: #ffeb9c; color: #713f12; }
.pda-missing { background: #ffc7ce; color: #7f1d1d; }
"""


def status_cell(status: str) -> str:
    """A coloured table cell for 已落实 / 部分落实 / 未体现."""
    return f'<td class="pda-status {STATUS_CLASSES.get(status, "")}">{html.escape(status)}</td>'


def result_html(result: CheckResult) -> str:
    """Summary line and the coloured table."""
    index = [TABLE_HEADERS.index(c) for c in SHOWN_COLUMNS]
    status_at = TABLE_HEADERS.index("状态")
    head = "".join(f"<th>{c}</th>" for c in SHOWN_COLUMNS)
    rows = []
    for row in table_rows(result):
        cells = [status_cell(row[i]) if i == status_at else f"<td>{html.escape(row[i])}</td>"
                 for i in index]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    title = f"《{html.escape(result.plan_title)}》对照 {html.escape(result.against)}"
    return (f'<div class="pda-check"><p><b>{title}</b>：{html.escape(summary_line(result))}</p>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
