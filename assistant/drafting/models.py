"""Plain dataclasses returned by the drafting service (easy to show in a UI or serialise)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SourceKind = Literal["last_year", "regulation", "other"]
ItemKind = Literal["figure", "title", "entity"]

UNVERIFIED_MARK = "【待核实：{}】"
EXTRACTIVE_BANNER = "【抽取式草稿，需人工修改】"


@dataclass
class SourcePassage:
    """A passage the draft may cite as [n]."""

    n: int
    text: str
    title: str = ""
    section: str = ""
    doc_id: str = ""
    kind: SourceKind = "other"

    @property
    def label(self) -> str:
        """Human-readable citation label, e.g. 《条例》 第十二条."""
        parts = [f"《{self.title}》" if self.title else "", self.section]
        return " ".join(p for p in parts if p) or "（未命名来源）"


@dataclass
class UnverifiedItem:
    """A figure, title or name found in neither the notes nor a cited passage."""

    text: str
    kind: ItemKind
    reason: str = "未在笔记或引用来源中找到"


@dataclass
class TraceReport:
    """Result of checking a draft against its notes and sources."""

    text: str  # the draft with 【待核实：…】 marks inserted
    unverified: list[UnverifiedItem] = field(default_factory=list)
    n_figures: int = 0
    n_figures_traceable: int = 0

    @property
    def figure_share(self) -> float:
        """Share of figures that are traceable (1.0 when the draft has none)."""
        return self.n_figures_traceable / self.n_figures if self.n_figures else 1.0


@dataclass
class DraftRequest:
    """What the user asks for: a section of this year's report, with their notes."""

    section: str  # a section key from sections.SECTION_TYPES, or any free topic
    year: int
    unit: str = ""
    notes: str = ""
    last_year_doc_id: str | None = None  # explicit choice; otherwise found by year and type
    max_chars: int = 400


@dataclass
class Draft:
    """One drafted section with its sources and the items still to verify."""

    heading: str
    section_key: str
    year: int
    unit: str
    text: str
    level: int = 1  # 1: 一、 level heading (黑体); 2: （一） sub-topic (楷体)
    sources: list[SourcePassage] = field(default_factory=list)
    unverified: list[UnverifiedItem] = field(default_factory=list)
    notes: str = ""
    last_year_text: str = ""
    extractive: bool = False
    banner: str = ""
    elapsed_s: float = 0.0
    n_figures: int = 0
    n_figures_traceable: int = 0


@dataclass
class SkeletonSection:
    """One heading of this year's outline with what last year said under it."""

    heading: str
    level: int
    last_year_summary: str = ""
    subheadings: list[str] = field(default_factory=list)


@dataclass
class Skeleton:
    """This year's report outline derived from last year's report."""

    title: str
    year: int
    unit: str
    source_title: str = ""
    sections: list[SkeletonSection] = field(default_factory=list)
