"""Data types of an answer: numbered sources, flags raised by the checks, stream events."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

AnswerMode = Literal["llm", "extractive"]
AnswerStyle = Literal["quote_and_summary", "quote_only", "summary_only"]
# What became of the model's summary: none asked, shown, withheld by the checks, or given up.
SummaryStatus = Literal["none", "shown", "withheld", "gave_up"]
FlagKind = Literal["citation", "figure", "name", "date", "unsupported", "unsupported_claim"]
# Shown with every passage read from a scan: OCR may have misread characters.
OCR_MARK = "识别文字，请以原件为准"


@dataclass(frozen=True)
class Filters:
    """Limits on retrieval, as the CLI and the UI collect them."""

    doc_ids: list[str] | None = None
    doc_types: list[str] | None = None
    years: list[int] | None = None
    as_of: date | None = None  # versions of regulations in force on this date (None: today)

    def as_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for `Library.search`."""
        kwargs = {"doc_ids": self.doc_ids, "doc_types": self.doc_types, "years": self.years}
        # Only when set: a plain search function (tests, other callers) need not know dates.
        return {**kwargs, "as_of": self.as_of} if self.as_of else kwargs


@dataclass
class Source:
    """A passage given to the model (or quoted), numbered as cited in the answer text."""

    n: int
    doc_id: str
    chunk_id: str
    title: str
    section: str = ""
    article: str | None = None
    page: int | None = None
    quote: str = ""  # the sentences selected for the prompt / shown to the user
    text: str = ""  # the whole passage, used to verify figures
    relevance: float = 0.0
    version: str = ""  # the regulation's version, e.g. （2024年修正）
    # The same article as other versions word it: ({"version", "title", "text"}, …)
    other_versions: tuple[dict[str, str], ...] = ()
    ocr: bool = False  # the passage was read from a scan by OCR and may hold misread characters

    @property
    def label(self) -> str:
        """Human-readable location: 《title》（version）article / section, page (OCR marked)."""
        where = self.article or self.section
        page = f"，第{self.page}页" if self.page else ""
        mark = f"（{OCR_MARK}）" if self.ocr else ""
        if self.version:
            return f"《{self.title}》{self.version}{where}{page}{mark}"
        return f"《{self.title}》" + (f" {where}" if where else "") + page + mark


@dataclass(frozen=True)
class Flag:
    """A claim in the answer that the checks could not trace to the cited passages."""

    kind: FlagKind
    value: str
    message: str


@dataclass
class Answer:
    """The checked answer: text with [n] markers, numbered sources, verdicts and flags."""

    question: str
    text: str
    sources: list[Source] = field(default_factory=list)
    supported: bool = False
    refused: bool = False
    flags: list[Flag] = field(default_factory=list)
    mode: AnswerMode = "llm"
    standalone_question: str = ""
    raw_text: str = ""  # what the model wrote, before the checks
    quote: str = ""  # the checked quote of the passages (资料原文), "" for a refusal
    summary: str = ""  # the model's checked summary (模型归纳), "" unless shown
    summary_status: SummaryStatus = "none"
    note: str = ""  # one line said in place of a withheld summary

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (for --json and the benchmark)."""
        return asdict(self)


@dataclass(frozen=True)
class AnswerEvent:
    """One step of a streamed answer, in this order.

    sources (the numbered passages), quote (the whole cited quote, at once), token (deltas of the
    model's text: the summary, or a refusal), final (the checked Answer).
    """

    kind: Literal["sources", "quote", "token", "final"]
    text: str = ""
    sources: tuple[Source, ...] = ()
    answer: Answer | None = None
