"""Last year's commitments with their status, shown beside a draft so a report answers to its plan.

The status comes from the latest check of the plan document (whatever it was checked against):
a person's decision first, then a confident verdict, else 待确认 with the lean; 未核对 when the
plan was never checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.commitments.decisions import item_key
from assistant.commitments.models import HIGH, Commitment

NOT_CHECKED = "未核对"


@dataclass(frozen=True)
class CarriedItem:
    """One commitment of last year's plan and where it stands."""

    text: str
    location: str
    status: str  # 已落实 / 部分落实 / 未体现 / 待确认 / 未核对
    detail: str = ""  # 人工确认 by whom, or the lean of an unconfirmed verdict


@dataclass(frozen=True)
class Carryover:
    """Last year's plan items and the check their status comes from."""

    plan_title: str
    items: list[CarriedItem]
    against: str = ""  # what the plan was last checked against ("" when never)
    checked_at: str = ""


def carried_items(items: Sequence[Commitment], record: dict) -> list[CarriedItem]:
    """Each commitment with its decided, confident or leaned status from a stored record."""
    decided = record.get("items", {})
    checked = record.get("check", {}).get("verdicts", {})
    out = []
    for item in items:
        if item.kind != "commitment":
            continue
        key = item_key(item)
        status, detail = NOT_CHECKED, ""
        if key in decided:
            status, detail = decided[key]["status"], f"人工确认：{decided[key].get('by') or '人工'}"
        elif key in checked and checked[key]["confidence"] == HIGH:
            status, detail = checked[key]["lean"], "核对结果"
        elif key in checked:
            status, detail = "待确认", f"倾向{checked[key]['lean']}"
        out.append(CarriedItem(item.text, item.location, status, detail))
    return out


def carryover_markdown(carry: Carryover) -> str:
    """A Markdown list for the draft CLI and the 起草 tab."""
    head = f"上年承诺落实情况（《{carry.plan_title}》的工作计划）"
    source = (f"状态来自{carry.checked_at}对照“{carry.against}”的承诺核对。" if carry.against
              else "这些承诺尚未核对：可在“承诺核对”中核对并确认。")
    lines = [f"### {head}", "", source, ""]
    for i, item in enumerate(carry.items, 1):
        detail = f"，{item.detail}" if item.detail else ""
        lines.append(f"{i}. 【{item.status}{detail}】{item.text}")
    return "\n".join(lines)
