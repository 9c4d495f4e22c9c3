"""Answers without a model: quote the 1–3 sentences that best cover the question, with [n]."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assistant.answering.models import Source
from assistant.answering.passages import article_number, leading_text, looks_like_instruction
from assistant.answering.text import coverage, query_terms, split_sentences

MAX_QUOTES = 3
ARTICLE_CHARS = 400
QUOTE_CHARS = 160  # one quoted sentence; longer runs are clipped around the question's terms
_SHORT = 16  # a sentence this short is usually a fragment: quote its successor too
_KEEP_SHARE = 0.6  # later quotes must cover at least this share of what the best one covers
# A lead-in ("…通知如下：") says little by itself: it is quoted with what it introduces, up to this.
LEAD_IN_CHARS = 320
_LEAD_IN_ENDS = ("：", ":")


@dataclass(frozen=True)
class _Candidate:
    source: Source
    index: int  # first sentence quoted
    text: str
    score: float
    sentences: tuple[str, ...] = ()  # all sentences of the source, to extend the quote
    end: int = -1  # last sentence quoted (index when -1)

    @property
    def last(self) -> int:
        return self.index if self.end < 0 else self.end


def extractive_answer(question: str, sources: Sequence[Source]) -> str:
    """A lead-in naming the document, then quoted sentences each followed by its [n]."""
    asked = article_number(question)
    for source in sources:
        if asked is not None and article_number(source.article) == asked:
            quote = _without_label(leading_text(source.text, ARTICLE_CHARS), source.article)
            if quote:
                return f"根据{_where(source)}：\n“{quote}”[{source.n}]"
    picked = _pick(question, sources)
    if not picked:
        return ""
    lines, previous = [], None
    for group in _merge_adjacent(picked):
        quote = f"“{group.text}”[{group.source.n}]"
        if previous is None or previous.source.n != group.source.n:
            lead = "根据" if previous is None else "另据"
            quote = f"{lead}{_where(group.source)}：{quote}"
        lines.append(quote)
        previous = group
    return "\n".join(lines)


def _merge_adjacent(picked: list[_Candidate]) -> list[_Candidate]:
    # Sentences of one passage at most one apart read better as one quote, the gap filled in.
    merged: list[_Candidate] = []
    for cand in picked:
        prev = merged[-1] if merged else None
        if prev and prev.source.n == cand.source.n and cand.index <= prev.last + 2:
            if cand.last <= prev.last:
                extra = ""
            elif cand.index > prev.last:  # the gap sentence, then the candidate's own text
                extra = "".join(prev.sentences[prev.last + 1 : cand.index]) + cand.text
            else:  # overlapping: only the sentences the quote does not hold yet
                extra = "".join(prev.sentences[prev.last + 1 : cand.last + 1])
            merged[-1] = _Candidate(prev.source, prev.index, prev.text + extra, prev.score,
                                    prev.sentences, max(prev.last, cand.last))
        else:
            merged.append(cand)
    return merged


def _with_what_it_introduces(cand: _Candidate) -> _Candidate:
    """A quote ending in a colon, extended by the sentences it introduces (within LEAD_IN_CHARS)."""
    text, last = cand.text, cand.last
    while text.endswith(_LEAD_IN_ENDS) or (last > cand.last and len(text) < LEAD_IN_CHARS // 2):
        if last + 1 >= len(cand.sentences):
            break
        following = cand.sentences[last + 1]
        if len(text) + len(following) > LEAD_IN_CHARS:
            break
        text, last = text + following, last + 1
    if last == cand.last:
        return cand
    return _Candidate(cand.source, cand.index, text, cand.score, cand.sentences, last)


def _without_label(quote: str, article: str | None) -> str:
    # The lead-in already names the article: "根据《X》第二十条：“第二十条 …”" reads twice.
    if article and quote.startswith(article):
        return quote[len(article):].lstrip(" 　:：")
    return quote


def _where(source: Source) -> str:
    where = source.article or source.section.rpartition(" > ")[2]
    return f"《{source.title}》" + where


def _pick(question: str, sources: Sequence[Source]) -> list[_Candidate]:
    candidates = _candidates(question, sources)
    if not candidates:
        return []
    best = max(c.score for c in candidates)
    ranked = sorted(candidates, key=lambda c: (-c.score, c.source.n, c.index))
    picked = [c for c in ranked if c.score >= best * _KEEP_SHARE][:MAX_QUOTES]
    return sorted((_with_what_it_introduces(c) for c in picked), key=lambda c: (c.source.n, c.index))


def _candidates(question: str, sources: Sequence[Source]) -> list[_Candidate]:
    terms = query_terms(question)
    out = []
    for source in sources:
        sentences = tuple(s for s in split_sentences(source.text or source.quote)
                          if not looks_like_instruction(s))
        for i, sentence in enumerate(sentences):
            text, end = sentence, i
            if len(text) < _SHORT and i + 1 < len(sentences):
                text, end = text + sentences[i + 1], i + 1
            score = coverage(terms, text)
            if score > 0:
                out.append(_Candidate(source, i, _clip(text, terms), score, sentences, end))
    return out


def _clip(text: str, terms: tuple[str, ...], limit: int = QUOTE_CHARS) -> str:
    """Tables and lists have no 。; quote a window starting just before the first term found."""
    if len(text) <= limit:
        return text
    hits = [text.find(t) for t in terms if t in text]
    start = max(min(hits, default=0) - 20, 0)
    return ("…" if start else "") + text[start:start + limit] + "…"
