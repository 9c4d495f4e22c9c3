"""The check result as table rows, shared by the UI tab, the CLI and the exports.

状态 is what stands: the person's decision, else a confident verdict, else 待确认; 倾向 and
置信度 are the tool's own judgement, so other tools can read both.
"""

from __future__ import annotations

from assistant.commitments.models import PENDING, CheckResult, Evidence, Verdict

TABLE_HEADERS = ["序号", "类型", "事项", "原文位置", "状态", "倾向", "置信度", "承诺目标", "实际情况",
                 "证据", "证据位置", "理由", "人工判断", "备注", "决定人", "决定时间"]
KIND_LABELS = {"commitment": "工作承诺", "shortcoming": "存在的不足"}
PENDING_EVIDENCE = 3  # an item awaiting review shows its best sentences, not only the first


def quoted_evidence(verdict: Verdict) -> list[Evidence]:
    """The evidence a row shows: the best sentence, or the best few while the item awaits review."""
    if verdict.final_status is None:
        return verdict.review_evidence[:PENDING_EVIDENCE]
    return verdict.evidence[:1]


def verdict_row(number: int, verdict: Verdict) -> list[str]:
    """One table row; the evidence sentences are quoted with their locations."""
    item, decision = verdict.commitment, verdict.decision
    shown = quoted_evidence(verdict)
    return [
        str(number), KIND_LABELS[item.kind], item.text, item.location, verdict.shown_status,
        verdict.status, verdict.confidence, verdict.promised, verdict.found,
        "\n".join(_quote(e) for e in shown), "\n".join(e.location for e in shown), verdict.reason,
        decision.status if decision else "", decision.note if decision else "",
        decision.by if decision else "", decision.at if decision else "",
    ]


def _quote(evidence: Evidence) -> str:
    """The evidence sentence; one from a 问题/不足 passage says so."""
    return f"（问题部分）{evidence.text}" if evidence.role == "problem" else evidence.text


def table_rows(result: CheckResult) -> list[list[str]]:
    """All rows of a check, without the header (see TABLE_HEADERS)."""
    return [verdict_row(i, v) for i, v in enumerate(result.verdicts, 1)]


def summary_line(result: CheckResult) -> str:
    """"共12项：已落实6项，部分落实2项，未体现1项，待确认3项（按规则判断，人工确认2项）"."""
    counts = result.counts()
    parts = [f"{status}{n}项" for status, n in counts.items() if status != PENDING]
    parts.append(f"待确认{counts[PENDING]}项")
    by_model = sum(1 for v in result.verdicts if v.judged_by == "llm")
    how = [f"其中{by_model}项经大模型判断" if by_model else "按规则判断"]
    decided = sum(1 for v in result.verdicts if v.decision is not None)
    if decided:
        how.append(f"人工确认{decided}项")
    return f"共{len(result.verdicts)}项：{'，'.join(parts)}（{'，'.join(how)}）"
