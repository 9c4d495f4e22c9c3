"""A chat model as second judge: only the items the rules are unsure of, a few per request.

The rules decide what they can decide with confidence (figures compared, a clear sentence); the
model reads the evidence of the 中/低 items. Agreement raises the confidence one level;
disagreement takes the model's status at 低 confidence, so a person still confirms it. A 高
verdict (figures compared by arithmetic among them) is never sent, so never overridden.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import cast

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.commitments.confidence import raise_one
from assistant.commitments.models import HIGH, LOW, STATUSES, Evidence, Status, Verdict
from assistant.prompts import load_prompt

BATCH_SIZE = 5  # items per request: short enough for a small context, few enough round trips
_OBJECT = re.compile(r"\{[^{}]*\}")


class BatchJudge:
    """Sends the uncertain verdicts of a check to a chat model in batches and folds its answers in."""

    def __init__(self, model: BaseChatModel, *, batch_size: int = BATCH_SIZE) -> None:
        self.model = model
        self.batch_size = batch_size
        self.system = load_prompt("check_batch_system").render()
        self.user = load_prompt("check_batch")

    def review(self, verdicts: Sequence[Verdict]) -> int:
        """Judge every 中/低 verdict that has evidence; returns how many the model answered."""
        todo = [v for v in verdicts if v.confidence != HIGH and v.review_evidence]
        answered = 0
        for start in range(0, len(todo), self.batch_size):
            batch = todo[start : start + self.batch_size]
            replies = parse_batch(self._ask(batch), len(batch))
            for number, verdict in enumerate(batch, 1):
                if number in replies:
                    fold_in(verdict, *replies[number])
                    answered += 1
        return answered

    def _ask(self, batch: Sequence[Verdict]) -> str:
        items = "\n".join(_item_block(i, v) for i, v in enumerate(batch, 1))
        prompt = self.user.render(count=str(len(batch)), items=items)
        reply = self.model.invoke([SystemMessage(self.system), HumanMessage(prompt)])
        return str(reply.content)


def _item_block(number: int, verdict: Verdict) -> str:
    item = verdict.commitment
    kind = "存在的不足（看是否已整改）" if item.kind == "shortcoming" else "工作承诺"
    lines = [f"【第{number}项】类型：{kind}", f"承诺：{item.text}", "今年材料中最相关的句子："]
    lines += [f"[{i}] {_label(e)}{e.text}" for i, e in enumerate(verdict.review_evidence, 1)]
    return "\n".join(lines)


def _label(evidence: Evidence) -> str:
    return "（摘自问题与不足部分）" if evidence.role == "problem" else ""


def parse_batch(text: str, count: int) -> dict[int, tuple[Status, str]]:
    """{item number: (status, reason)} from the JSON lines of a reply; unparsable lines are skipped.

    A reply without ids is read in order, so a model that drops the "id" field still counts.
    """
    out: dict[int, tuple[Status, str]] = {}
    for position, raw in enumerate(_OBJECT.findall(text), 1):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if not isinstance(data, dict) or data.get("status") not in STATUSES:
            continue
        number = data.get("id", position)
        if isinstance(number, str) and number.isdigit():
            number = int(number)
        if isinstance(number, int) and 1 <= number <= count and number not in out:
            out[number] = (cast(Status, data["status"]), str(data.get("reason", "")).strip())
    return out


def fold_in(verdict: Verdict, status: Status, reason: str) -> None:
    """The model's answer changes the confidence (agreement) or the lean (disagreement, at 低)."""
    verdict.judged_by = "llm"
    if status == verdict.status:
        verdict.confidence = raise_one(verdict.confidence)
        verdict.reason = f"{verdict.reason}（大模型判断一致：{reason or status}）"
        return
    verdict.reason = f"大模型判断为{status}：{reason or '未说明理由'}（规则倾向{verdict.status}：{verdict.reason}）"
    verdict.status = status
    verdict.confidence = LOW
