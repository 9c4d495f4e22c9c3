"""HTML and chat messages for the 问答 tab: sources with the quoted sentences highlighted."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from assistant.answering import Answer, AnswerEvent, Filters, Source
from assistant.answering.formatting import QUOTE_HEADING, SUMMARY_HEADING
from assistant.answering.text import split_sentences
from index.models import DOC_TYPE_LABELS, DocumentMeta
from index.versions import parse_date, to_date

NO_SOURCES = '<p class="pda-muted">提问后，这里显示回答所依据的原文段落。</p>'
FLAG_TITLE = "⚠ 以下内容未能在引用原文中核实："
SUMMARY_PENDING = "⏳ 模型正在根据上述资料归纳……"


def highlight_passage(text: str, quote: str) -> str:
    """The passage, HTML-escaped, with the sentences used in the answer wrapped in <mark>."""
    quoted = set(split_sentences(quote))
    parts = []
    for sentence in split_sentences(text):
        escaped = html.escape(sentence)
        parts.append(f"<mark>{escaped}</mark>" if sentence in quoted else escaped)
    return "".join(parts)


def source_card(source: Source) -> str:
    """One numbered source: title, article/section, page, then the passage."""
    where = " · ".join(p for p in (source.article or "", source.section) if p)
    page = f" · 第{source.page}页" if source.page else ""
    return (
        f'<div class="pda-source"><div class="pda-source-head"><b>[{source.n}]</b> '
        f"《{html.escape(source.title)}》{html.escape(source.version)}"
        f"<span class=\"pda-muted\"> {html.escape(where)}{page}"
        f"</span></div><div class=\"pda-passage\">{highlight_passage(source.text, source.quote)}"
        "</div></div>"
    )


def sources_html(sources: Sequence[Source], heading: str = "引用来源") -> str:
    """All sources of one answer as cards."""
    if not sources:
        return NO_SOURCES
    cards = "".join(source_card(s) for s in sources)
    return f'<div class="pda-sources"><h4>{html.escape(heading)}</h4>{cards}</div>'


def labelled(quote: str, summary: str) -> str:
    """One chat bubble: the 资料原文 block, then the 模型归纳 block below it."""
    return f"**{QUOTE_HEADING}**\n\n{quote}\n\n**{SUMMARY_HEADING}**\n\n{summary}"


@dataclass
class StreamingAnswer:
    """The chat bubble of one answer as its events arrive: quote first, summary after."""

    summary_follows: bool
    quote: str = ""
    tokens: str = ""
    final: str = ""

    def add(self, event: AnswerEvent) -> None:
        """Take a quote or token event."""
        if event.kind == "quote":
            self.quote = event.text
        elif event.kind == "token":
            self.tokens += event.text

    def finish(self, answer: Answer | None) -> None:
        """The checked answer replaces the streamed text (the quote stays as it was)."""
        self.final = answer_markdown(answer) if answer is not None else self.markdown()

    def markdown(self) -> str:
        """What the bubble shows now."""
        if self.final:
            return self.final
        if not self.quote:
            return self.tokens
        if not self.summary_follows:
            return self.quote
        return labelled(self.quote, self.tokens or SUMMARY_PENDING)


def answer_markdown(answer: Answer) -> str:
    """The final chat message: checked text (quote, then summary or note), then any flags."""
    text = answer.text
    if answer.quote and (answer.summary or answer.note):
        text = labelled(answer.quote, answer.summary or answer.note)
    flags = [f for f in answer.flags if f.kind != "unsupported"]
    if flags:
        items = "\n".join(f"- {f.value}：{f.message}" if f.value else f"- {f.message}" for f in flags)
        text += f"\n\n{FLAG_TITLE}\n{items}"
    return text


def doc_choices(docs: Sequence[DocumentMeta]) -> list[tuple[str, str]]:
    """Dropdown choices (label, doc_id) for the document filter."""
    return [(d.title or d.filename, d.doc_id) for d in docs]


def year_choices(docs: Sequence[DocumentMeta]) -> list[int]:
    """Years present in the library, newest first."""
    return sorted({d.year for d in docs if d.year}, reverse=True)


def type_choices() -> list[tuple[str, str]]:
    """Dropdown choices (Chinese label, doc_type)."""
    return [(label, key) for key, label in DOC_TYPE_LABELS.items()]


def make_filters(doc_ids: Sequence[str] | None, doc_types: Sequence[str] | None,
                 years: Sequence[int | str] | None, as_of: str | None = None) -> Filters:
    """Filters from the dropdown values (empty selections mean no limit).

    Raises ValueError with a message for the user when the version date is malformed.
    """
    return Filters(
        doc_ids=list(doc_ids) or None if doc_ids else None,
        doc_types=list(doc_types) or None if doc_types else None,
        years=[int(y) for y in years] or None if years else None,
        as_of=_as_of(as_of or ""),
    )


def _as_of(text: str) -> date | None:
    if not text.strip():
        return None
    parsed = to_date(parse_date(text))
    if parsed is None:
        raise ValueError(f"法规版本日期格式不对：{text.strip()}（应为 yyyy-mm-dd，例如 2020-12-31）")
    return parsed
