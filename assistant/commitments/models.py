"""Plain dataclasses of the commitment check: what was promised, what was found, the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["已落实", "部分落实", "未体现"]
DONE: Status = "已落实"
PARTLY: Status = "部分落实"
MISSING: Status = "未体现"
STATUSES: tuple[Status, ...] = (DONE, PARTLY, MISSING)

ItemKind = Literal["commitment", "shortcoming"]


@dataclass(frozen=True)
class Target:
    """A measurable target inside a commitment, e.g. 不少于4次 -> (4, "次", "min")."""

    value: float
    unit: str
    bound: Literal["min", "max", "approx", "exact"]
    text: str  # the span as written, "不少于4次"
    context: str = ""  # words just before the figure, used to pair it with evidence figures


@dataclass
class Commitment:
    """One promise (or one 存在的不足 item) taken from the plan document."""

    text: str
    kind: ItemKind = "commitment"
    heading_path: tuple[str, ...] = ()
    block_index: int = 0  # position of the paragraph within the document's blocks
    page: int | None = None
    targets: list[Target] = field(default_factory=list)

    @property
    def location(self) -> str:
        """Human-readable place: heading path, paragraph number, page."""
        parts = [" > ".join(self.heading_path)] if self.heading_path else []
        parts.append(f"第{self.block_index + 1}段")
        if self.page:
            parts.append(f"第{self.page}页")
        return "，".join(parts)


@dataclass
class Evidence:
    """A sentence of the target material quoted as evidence (always from retrieval)."""

    text: str
    score: float  # 0..1: key-term coverage, shared phrase or semantic score, the highest (evidence.py)
    doc_id: str = ""
    source: str = ""
    section: str = ""
    page: int | None = None
    role: str = "report"  # "report", or "problem" when quoted from a 困难和问题 / 不足 passage

    @property
    def location(self) -> str:
        parts = [p for p in (self.source, self.section) if p]
        if self.page:
            parts.append(f"第{self.page}页")
        return "，".join(parts)


@dataclass
class Verdict:
    """The judgement of one item."""

    commitment: Commitment
    status: Status
    reason: str
    evidence: list[Evidence] = field(default_factory=list)
    promised: str = ""  # "不少于4次"
    found: str = ""  # "5次"
    judged_by: str = "rule"  # "rule" or "llm"


@dataclass
class CheckResult:
    """All verdicts of one check plus what was compared."""

    plan_title: str
    against: str
    verdicts: list[Verdict]
    seconds: float = 0.0

    def counts(self) -> dict[str, int]:
        """Number of items per status, in STATUSES order."""
        return {s: sum(1 for v in self.verdicts if v.status == s) for s in STATUSES}
