"""Judge a commitment against its evidence: a scored rule (extractive mode) or a chat model."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import cast

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.commitments.models import (
    DONE,
    MISSING,
    PARTLY,
    STATUSES,
    Commitment,
    Evidence,
    Status,
    Verdict,
)
from assistant.commitments.review import is_negative
from assistant.commitments.targets import (
    format_figure,
    indicator_finding,
    indicator_of,
    matching_figure,
    target_met,
)
from assistant.prompts import load_prompt


@dataclass(frozen=True)
class Thresholds:
    """Score of the best evidence sentence (see evidence.evidence_score).

    Calibrated in benchmarks/bench_commitments.py on the national 2004→05, 2005→06 and 2006→07
    pairs (key terms, phrase and semantic scores); the 2003→04, 2009→10 and 2011→12 pairs are held out.
    """

    strong: float = 0.5  # at or above: the commitment is clearly reported on
    weak: float = 0.35  # below: no evidence


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class TargetCheck:
    """Promised versus found figures; met is None when no comparable figure was found."""

    promised: str = ""
    found: str = ""
    met: bool | None = None
    headline: bool = False  # decided by a headline indicator (GDP 增长, 新增就业, 能耗…)
    sentences: tuple[str, ...] = ()  # the evidence sentences the figures come from
    missed: str = ""  # "控制在4%（实际未实现）": only the targets not met


def check_targets(commitment: Commitment, evidence: list[Evidence], weak: float) -> TargetCheck:
    """Compare each measurable target with its figure in the evidence.

    A headline indicator is looked up by name in every evidence sentence (an explicit 没有实现
    counts as missed); other targets take the best-matching figure of a relevant reported sentence.
    """
    usable = [e.text for e in evidence if e.score >= weak and e.role == "report"]
    texts = [e.text for e in evidence]
    promised, found, verdicts, sentences, missed = [], [], [], [], []
    headline = False
    for target in commitment.targets:
        promised.append(target.text)
        finding = indicator_finding(target, texts)
        if finding is not None:
            headline = True
            found.append(finding.found)
            verdicts.append(finding.met)
            sentences.append(finding.sentence)
            if not finding.met:
                missed.append(f"{target.text}（实际{finding.found}）")
            continue
        if indicator_of(target) is not None:
            continue  # a headline figure not reported is not compared with some other figure
        match = next(((t, f) for t in usable if (f := matching_figure(target, t))), None)
        if match is None:
            continue
        figure = format_figure(match[1].value, match[1].unit)
        found.append(figure)
        verdicts.append(target_met(target, match[1].value))
        sentences.append(match[0])
        if not verdicts[-1]:
            missed.append(f"{target.text}（实际{figure}）")
    met = all(verdicts) if verdicts else None
    return TargetCheck("；".join(promised), "；".join(found), met, headline, tuple(sentences), "；".join(missed))


def rule_verdict(commitment: Commitment, evidence: list[Evidence], th: Thresholds = DEFAULT_THRESHOLDS) -> Verdict:
    """Scored rule-based judgement: compared figures, explicit shortfalls, then evidence strength."""
    best = max((e.score for e in evidence if e.role == "report"), default=0.0)
    targets = check_targets(commitment, evidence, th.weak)
    kept = [e for e in evidence if e.score >= th.weak or e.text in targets.sentences]
    shortfall = next((e for e in evidence if e.score >= th.strong and is_negative(e.text)), None)
    if targets.met is False:
        basis, status, reason = "figures_missed", PARTLY, f"有相关表述，但未达到承诺目标：{targets.missed}。"
    elif targets.met and targets.headline:
        basis, status, reason = "figures_met", DONE, f"材料报告的{targets.found}达到承诺的{targets.promised}。"
    elif commitment.targets and targets.met is None and best < th.strong:
        basis, status = "figures_absent", MISSING
        reason = f"目标材料中未找到与承诺目标{targets.promised}对应的数字或明确表述。"
    elif best < th.weak:
        # Only a statement that the problem persists, or nothing at all: not shown to be done.
        said = f"材料只写到问题仍然存在：“{_clip(shortfall.text)}”。" if shortfall else ""
        basis, status = "none", MISSING
        reason = f"目标材料中未找到落实的表述（最相关句子的匹配度{best:.0%}）。{said}"
    elif shortfall is not None:
        basis, status = "shortfall", PARTLY
        reason = f"有相关表述，但材料写明尚未完全做到：“{_clip(shortfall.text)}”。"
    elif commitment.targets and targets.met is None:
        basis, status = "figures_unreported", PARTLY
        reason = f"有相关表述，但未报告与承诺目标{targets.promised}可比的数字。"
    elif best >= th.strong or targets.met:
        basis, status, reason = ("figures_met" if targets.met else "strong"), DONE, _done_reason(best, targets)
    else:
        basis, status, reason = "weak", PARTLY, f"仅找到部分相关表述（匹配度{best:.0%}），落实情况不够明确。"
    return Verdict(commitment, status, reason, kept, targets.promised, targets.found, "rule",
                   candidates=list(evidence), basis=basis)


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _done_reason(best: float, targets: TargetCheck) -> str:
    if targets.met:
        return f"找到对应表述，实际{targets.found}达到承诺的{targets.promised}。"
    return f"找到对应表述（匹配度{best:.0%}）。"


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
            evidence="\n".join(f"[{i}] {_label(e)}{e.text}" for i, e in enumerate(evidence, 1)),
        )
        reply = self.model.invoke([SystemMessage(self.system), HumanMessage(prompt)])
        parsed = parse_reply(str(reply.content))
        if parsed is None:
            return rule
        status, reason = parsed
        return Verdict(commitment, status, reason or rule.reason, evidence, rule.promised, rule.found, "llm")


def _label(evidence: Evidence) -> str:
    return "（摘自问题与不足部分）" if evidence.role == "problem" else ""


def parse_reply(text: str) -> tuple[Status, str] | None:
    """(status, reason) from a JSON object or a line naming one of the statuses; None if neither."""
    match = re.search(r"\{.*?\}", text, re.S)
    if match:
        try:
            data = json.loads(match.group(0))
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict) and data.get("status") in STATUSES:
            # Membership in STATUSES was just checked, so the value is one of the literals.
            return cast(Status, data["status"]), str(data.get("reason", "")).strip()
    # Models sometimes answer in prose: take the first status named (longest names first).
    for status in sorted(STATUSES, key=len, reverse=True):
        if status in text:
            return status, ""
    return None
