"""Judge a commitment against its evidence: a scored rule (extractive mode) or a chat model."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.commitments.models import (
    DONE,
    MISSING,
    PARTLY,
    STATUSES,
    Commitment,
    Evidence,
    Verdict,
)
from assistant.commitments.targets import format_figure, matching_figure, target_met
from assistant.prompts import load_prompt


@dataclass(frozen=True)
class Thresholds:
    """Key-term coverage of the best evidence sentence (calibrated in benchmarks/bench_commitments.py)."""

    strong: float = 0.5  # at or above: the commitment is clearly reported on
    weak: float = 0.3  # below: no evidence


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class TargetCheck:
    """Promised versus found figures; met is None when no comparable figure was found."""

    promised: str = ""
    found: str = ""
    met: bool | None = None


def check_targets(commitment: Commitment, evidence: list[Evidence], weak: float) -> TargetCheck:
    """Compare each measurable target with the matching figure of the relevant evidence."""
    usable = [e for e in evidence if e.score >= weak]
    promised, found, verdicts = [], [], []
    for target in commitment.targets:
        promised.append(target.text)
        figure = next((f for e in usable if (f := matching_figure(target, e.text))), None)
        if figure is None:
            continue
        found.append(format_figure(figure.value, figure.unit))
        verdicts.append(target_met(target, figure.value))
    met = all(verdicts) if verdicts else None
    return TargetCheck("；".join(promised), "；".join(found), met)


def rule_verdict(commitment: Commitment, evidence: list[Evidence], th: Thresholds = DEFAULT_THRESHOLDS) -> Verdict:
    """Scored rule-based judgement: evidence strength plus target comparison."""
    best = evidence[0].score if evidence else 0.0
    targets = check_targets(commitment, evidence, th.weak)
    kept = [e for e in evidence if e.score >= th.weak]
    if best < th.weak:
        status, reason = MISSING, f"目标材料中未找到相关表述（最相关句子的关键词覆盖率{best:.0%}）。"
    elif targets.met is False:
        status, reason = PARTLY, f"有相关表述，但实际{targets.found}未达到承诺的{targets.promised}。"
    elif best >= th.strong:
        status, reason = DONE, _done_reason(best, targets)
    else:
        status, reason = PARTLY, f"仅找到部分相关表述（关键词覆盖率{best:.0%}），落实情况不够明确。"
    return Verdict(commitment, status, reason, kept, targets.promised, targets.found, "rule")


def _done_reason(best: float, targets: TargetCheck) -> str:
    if targets.met:
        return f"找到对应表述，实际{targets.found}达到承诺的{targets.promised}。"
    return f"找到对应表述（关键词覆盖率{best:.0%}）。"


class LLMJudge:
    """One short prompt per item; the verdict comes from the model, the quotes from retrieval."""

    def __init__(self, model: BaseChatModel, th: Thresholds = DEFAULT_THRESHOLDS) -> None:
        self.model = model
        self.th = th
        self.system = load_prompt("check_system").render()
        self.user = load_prompt("check_user")

    def judge(self, commitment: Commitment, evidence: list[Evidence]) -> Verdict:
        """Ask the model; fall back to the rule when there is no evidence or no parsable answer."""
        rule = rule_verdict(commitment, evidence, self.th)
        if not evidence or evidence[0].score < self.th.weak / 2:
            return rule  # nothing worth showing the model
        if rule.found and rule.status != MISSING:
            return rule  # figures were compared: arithmetic beats a small model's reading
        prompt = self.user.render(
            item=commitment.text, kind="存在的不足（看是否已整改）" if commitment.kind == "shortcoming" else "工作承诺",
            evidence="\n".join(f"[{i}] {e.text}" for i, e in enumerate(evidence, 1)),
        )
        reply = self.model.invoke([SystemMessage(self.system), HumanMessage(prompt)])
        parsed = parse_reply(str(reply.content))
        if parsed is None:
            return rule
        status, reason = parsed
        return Verdict(commitment, status, reason or rule.reason, evidence, rule.promised, rule.found, "llm")


def parse_reply(text: str) -> tuple[str, str] | None:
    """(status, reason) from a JSON object or a line naming one of the statuses; None if neither."""
    match = re.search(r"\{.*?\}", text, re.S)
    if match:
        try:
            data = json.loads(match.group(0))
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict) and data.get("status") in STATUSES:
            return str(data["status"]), str(data.get("reason", "")).strip()
    # Models sometimes answer in prose: take the first status named (longest names first).
    for status in sorted(STATUSES, key=len, reverse=True):
        if status in text:
            return status, ""
    return None
