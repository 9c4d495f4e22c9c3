"""The check result as table rows, shared by the UI tab, the CLI and the exports."""

from __future__ import annotations

from assistant.commitments.models import CheckResult, Verdict

TABLE_HEADERS = ["序号", "类型", "事项", "原文位置", "状态", "承诺目标", "实际情况", "证据", "证据位置", "理由"]
KIND_LABELS = {"commitment": "工作承诺", "shortcoming": "存在的不足"}


def verdict_row(number: int, verdict: Verdict) -> list[str]:
    """One table row; the first evidence sentence is quoted with its location."""
    item = verdict.commitment
    best = verdict.evidence[0] if verdict.evidence else None
    return [
        str(number), KIND_LABELS[item.kind], item.text, item.location, verdict.status,
        verdict.promised, verdict.found, _quote(best) if best else "", best.location if best else "",
        verdict.reason,
    ]


def _quote(evidence) -> str:
    """The evidence sentence; one from a 问题/不足 passage says so."""
    return f"（问题部分）{evidence.text}" if evidence.role == "problem" else evidence.text


def table_rows(result: CheckResult) -> list[list[str]]:
    """All rows of a check, without the header (see TABLE_HEADERS)."""
    return [verdict_row(i, v) for i, v in enumerate(result.verdicts, 1)]


def summary_line(result: CheckResult) -> str:
    """"共12项：已落实8项，部分落实3项，未体现1项（按规则判断）" for the top of a table."""
    counts = "，".join(f"{status}{n}项" for status, n in result.counts().items())
    by_model = sum(1 for v in result.verdicts if v.judged_by == "llm")
    how = f"其中{by_model}项由大模型判断" if by_model else "按规则判断"
    return f"共{len(result.verdicts)}项：{counts}（{how}）"
