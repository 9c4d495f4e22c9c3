"""Plain dataclasses of the commitment check: what was promised, what was found, the verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["已落实", "部分落实", "未体现"]
DONE: Status = "已落实"
PARTLY: Status = "部分落实"
MISSING: Status = "未体现"
STATUSES: tuple[Status, ...] = (DONE, PARTLY, MISSING)
PENDING = "待确认"  # shown instead of a verdict whose confidence is below the bar

Confidence = Literal["高", "中", "低"]
HIGH: Confidence = "高"
MEDIUM: Confidence = "中"
LOW: Confidence = "低"

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
    listed: bool = False  # one target of a sentence listing the year's targets (主要预期目标是：…；…)

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
    lexical: float = 0.0  # key-term coverage or shared phrase, whichever is higher
    semantic: float = 0.0  # how far its meaning stands out (0 when not computed)
    runner_up: float | None = None  # on the best sentence only: the next candidate's score

    @property
    def location(self) -> str:
        parts = [p for p in (self.source, self.section) if p]
        if self.page:
            parts.append(f"第{self.page}页")
        return "，".join(parts)


@dataclass(frozen=True)
class Decision:
    """A person's status for one item, with who decided and when (ISO time)."""

    status: Status
    note: str = ""
    by: str = "人工"
    at: str = ""


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
    candidates: list[Evidence] = field(default_factory=list)  # every sentence considered, best first
    basis: str = ""  # which rule decided: figures / figures_missed / shortfall / strong / weak / none …
    confidence: Confidence = HIGH  # set by confidence.assess (and the model judge) in a check
    decision: Decision | None = None  # the user's, when reviewed

    @property
    def confident(self) -> bool:
        """A verdict the tool stands by (high confidence) or one a person decided."""
        return self.decision is not None or self.confidence == HIGH

    @property
    def final_status(self) -> Status | None:
        """The person's decision, else the confident verdict; None while it awaits review."""
        if self.decision is not None:
            return self.decision.status
        return self.status if self.confidence == HIGH else None

    @property
    def review_evidence(self) -> list[Evidence]:
        """The sentences to lay before a person: the candidates, else the kept evidence."""
        return self.candidates or self.evidence

    @property
    def shown_status(self) -> str:
        """状态 column: the decided or confident status, else 待确认."""
        return self.final_status or PENDING


@dataclass
class CheckResult:
    """All verdicts of one check plus what was compared."""

    plan_title: str
    against: str
    verdicts: list[Verdict]
    seconds: float = 0.0

    plan_key: str = ""  # content hashes of the plan and target documents: where decisions are kept
    target_key: str = ""

    def counts(self) -> dict[str, int]:
        """Number of items per shown status: STATUSES order, then 待确认."""
        shown = [v.shown_status for v in self.verdicts]
        return {s: shown.count(s) for s in (*STATUSES, PENDING)}
