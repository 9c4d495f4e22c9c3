"""The commitment check as HTML: the coloured table and one item laid out for review."""

from __future__ import annotations

import html
import re

from assistant.commitments import TABLE_HEADERS, CheckResult, Verdict, summary_line, table_rows
from assistant.commitments.carryover import Carryover
from assistant.commitments.evidence import SYNONYMS, key_terms
from assistant.commitments.models import DONE, MISSING, PARTLY, PENDING

STATUS_CLASSES: dict[str, str] = {DONE: "pda-done", PARTLY: "pda-partly", MISSING: "pda-missing",
                                  PENDING: "pda-pending"}
SHOWN_COLUMNS = ["序号", "事项", "状态", "倾向", "置信度", "承诺目标", "实际情况", "证据", "理由", "决定人",
                 "决定时间"]
CHECK_CSS = """
.pda-check table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
.pda-check th, .pda-check td { border: 1px solid #d1d5db; padding: 4px 6px; vertical-align: top; }
.pda-check td { white-space: pre-line; }
.pda-check td.pda-status, .pda-check td:nth-child(4), .pda-check td:nth-child(5) { white-space: nowrap; }
.pda-done { background: #c6efce; color: #14532d; }
.pda-partly { background: #ffeb9c; color: #713f12; }
.pda-missing { background: #ffc7ce; color: #7f1d1d; }
.pda-pending { background: #e5e7eb; color: #1f2937; font-weight: bold; }
.pda-review-item blockquote { margin: 4px 0; padding: 4px 8px; border-left: 3px solid #9ca3af; }
.pda-review-item mark { background: #fde68a; }
.pda-review-item .pda-where { color: #6b7280; font-size: 0.85em; }
"""


def status_cell(status: str) -> str:
    """A coloured table cell for 已落实 / 部分落实 / 未体现 / 待确认."""
    return f'<td class="pda-status {STATUS_CLASSES.get(status, "")}">{html.escape(status)}</td>'


def result_html(result: CheckResult) -> str:
    """Summary line and the coloured table."""
    index = [TABLE_HEADERS.index(c) for c in SHOWN_COLUMNS]
    status_at = TABLE_HEADERS.index("状态")
    head = "".join(f"<th>{c}</th>" for c in SHOWN_COLUMNS)
    rows = []
    for row in table_rows(result):
        # One evidence sentence per row here; the review panel lays out all of them.
        cells = [status_cell(row[i]) if i == status_at else f"<td>{html.escape(row[i].split(chr(10))[0])}</td>"
                 for i in index]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    title = f"《{html.escape(result.plan_title)}》对照 {html.escape(result.against)}"
    return (f'<div class="pda-check"><p><b>{title}</b>：{html.escape(summary_line(result))}</p>'
            f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def highlight(sentence: str, promise: str) -> str:
    """The sentence, escaped, with the promise's key words (and their report wordings) marked."""
    words = {w for term in key_terms(promise) for w in SYNONYMS.get(term, (term,))}
    spans = sorted((m.start(), m.end()) for w in words for m in re.finditer(re.escape(w), sentence))
    out, pos = [], 0
    for start, end in spans:
        if start < pos:
            start = pos  # overlapping words: mark the union once
        if start >= end:
            continue
        out += [html.escape(sentence[pos:start]), f"<mark>{html.escape(sentence[start:end])}</mark>"]
        pos = end
    out.append(html.escape(sentence[pos:]))
    return "".join(out)


def review_html(number: int, verdict: Verdict) -> str:
    """One item for review: the promise, what the tool leans to and why, the evidence in place."""
    item = verdict.commitment
    decided = verdict.decision
    lines = [f"<p><b>第{number}项</b>（{html.escape(item.location)}）</p>",
             f"<blockquote>{html.escape(item.text)}</blockquote>",
             f"<p>工具倾向：<b>{html.escape(verdict.status)}</b>（置信度{verdict.confidence}）"
             f"——{html.escape(verdict.reason)}</p>"]
    if decided is not None:
        note = f"，备注：{html.escape(decided.note)}" if decided.note else ""
        lines.append(f"<p>人工判断：<b>{html.escape(decided.status)}</b>"
                     f"（{html.escape(decided.by)}，{html.escape(decided.at)}{note}）</p>")
    lines.append("<p>证据：</p>" if verdict.review_evidence else "<p>目标材料中没有找到相关句子。</p>")
    for evidence in verdict.review_evidence:
        tag = "（问题部分）" if evidence.role == "problem" else ""
        lines.append(f"<blockquote>{tag}{highlight(evidence.text, item.text)}"
                     f'<br><span class="pda-where">{html.escape(evidence.location)}'
                     f"，匹配度{evidence.score:.0%}</span></blockquote>")
    return f'<div class="pda-review-item">{"".join(lines)}</div>'


def carryover_html(carry: Carryover) -> str:
    """Last year's commitments with coloured statuses, for the 起草 tab."""
    if carry.against:
        source = f"状态来自{html.escape(carry.checked_at)}对照“{html.escape(carry.against)}”的承诺核对。"
    else:
        source = "这些承诺尚未核对：可在“承诺核对”中核对并确认。"
    rows = "".join(
        f"<tr><td>{i}</td><td>{html.escape(c.text)}</td>"
        f"{status_cell(c.status)}<td>{html.escape(c.detail)}</td></tr>"
        for i, c in enumerate(carry.items, 1))
    return (f'<div class="pda-check"><p><b>上年承诺落实情况</b>（《{html.escape(carry.plan_title)}》的工作计划）'
            f"：{source}</p><table><thead><tr><th>序号</th><th>承诺</th><th>状态</th><th>说明</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></div>")
