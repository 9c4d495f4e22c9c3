"""Answers without a model: quote the complete units that answer the question, each with [n].

A unit is what a reader needs to act on: the whole article with its 款 and 项, a lead-in with
the list it introduces, a paragraph, a sub-heading with its body, a table row with its header
row. The best-matching sentence decides which unit is quoted; a unit longer than UNIT_CHARS is
trimmed to the sentences around that match and the trim is marked （节选）.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant.answering.models import Source
from assistant.answering.passages import article_number
from assistant.answering.text import normalize, query_terms, term_weight
from assistant.answering.units import (
    Unit,
    asks_for_enumeration,
    clean_lines,
    is_numbered,
    source_units,
    table_header,
)

BlocksOf = Callable[[str], list]  # Library.blocks_of: doc_id -> list[StructuredBlock]
MAX_UNITS = 2
UNIT_CHARS = 600  # a longer unit is trimmed around the best sentence
TRIM_MARK = "……（节选）"
_KEEP_SHARE = 0.7  # a second unit must match at least this share of what the best one matches
UNIT_WEIGHT = 0.4  # share of a unit's score from all its sentences (the rest: its best two)
FOLLOW_CHARS = 250  # a paragraph shorter than this is quoted with the ones after it, up to this
_SHORT = 16  # a sentence this short is usually a fragment: it is scored with its successor


@dataclass(frozen=True)
class _Match:
    unit: Unit
    sentence: int  # index of the best sentence within the unit
    score: float


def extractive_answer(
    question: str, sources: Sequence[Source], *, blocks_of: BlocksOf | None = None
) -> str:
    """A lead-in naming the document, then the quoted units, each followed by its [n]."""
    asked = article_number(question)
    for source in sources:
        if asked is not None and article_number(source.article) == asked:
            units = source_units(source, clean_lines(source.text), question, blocks_of)
            if units:
                return _quote_line(units[0], _trimmed(units[0], 0, ()), None)
    terms = query_terms(question)
    lines, previous = [], None
    for match in _pick(terms, question, sources, blocks_of):
        unit = _with_following(match.unit)
        quote = _trimmed(unit, match.sentence, terms)
        lines.append(_quote_line(match.unit, quote, previous))
        previous = match.unit.source
    return "\n".join(lines)


def _quote_line(unit: Unit, quote: str, previous: Source | None) -> str:
    source = unit.source
    if previous is not None and previous.n == source.n:
        return f"“{quote}”[{source.n}]"
    lead = "根据" if previous is None else "另据"
    return f"{lead}{_where(source)}：“{quote}”[{source.n}]"


def _where(source: Source) -> str:
    where = source.article or source.section.rpartition(" > ")[2]
    return f"《{source.title}》{source.version}" + where


# --- choosing units ----------------------------------------------------------------------------

def _pick(terms: tuple[str, ...], question: str, sources: Sequence[Source],
          blocks_of: BlocksOf | None) -> list[_Match]:
    matches = [m for source in sources for m in _matches(terms, question, source, blocks_of)]
    if not matches:
        return []
    # Of units holding the same best sentence, a list question wants the largest, others the least.
    size = -1 if asks_for_enumeration(question) else 1
    ranked = sorted(matches, key=lambda m: (-m.score, m.unit.source.n, size * len(m.unit.text)))
    best = ranked[0].score
    picked: list[_Match] = []
    for match in ranked:
        if match.score < best * _KEEP_SHARE or len(picked) == MAX_UNITS:
            break
        if not any(_overlaps(match.unit, p.unit) for p in picked):
            picked.append(match)
    return sorted(picked, key=lambda m: (m.unit.source.n, m.unit.start))


def _overlaps(a: Unit, b: Unit) -> bool:
    if a.source.n != b.source.n:
        return a.text in b.text or b.text in a.text
    return a.start <= b.end and b.start <= a.end


def _matches(terms: tuple[str, ...], question: str, source: Source,
             blocks_of: BlocksOf | None) -> list[_Match]:
    lines = clean_lines(source.text or source.quote)
    weights = _weights(terms, source)
    out = []
    for unit in source_units(source, lines, question, blocks_of):
        if unit.kind == "table_row" and blocks_of is not None:
            unit = unit.with_header(table_header(unit, blocks_of))
        sentence, score = _best_sentence(weights, unit)
        if unit.kind == "lead_in" and unit.line_of(sentence) > 0:
            continue  # the match is in an item: that item (or, for a list question, the list)
        if score > 0:
            score = (1 - UNIT_WEIGHT) * score + UNIT_WEIGHT * _coverage(weights, unit.text)
            out.append(_Match(unit, sentence, score))
    return out


def _weights(terms: tuple[str, ...], source: Source) -> dict[str, float]:
    # Down-weighting the title's terms (a preamble repeats the title) was tried: no gain on dev.
    return {t: term_weight(t) for t in terms}


def _coverage(weights: dict[str, float], text: str) -> float:
    total = sum(weights.values())
    if not total:
        return 0.0
    haystack = normalize(text).lower()
    return sum(w for t, w in weights.items() if t in haystack) / total


def _best_sentence(weights: dict[str, float], unit: Unit) -> tuple[int, float]:
    sentences = unit.sentences
    best, best_score = 0, 0.0
    for i, sentence in enumerate(sentences):
        text = sentence
        if len(text) < _SHORT and i + 1 < len(sentences):
            text += sentences[i + 1]
        if i + 1 < len(sentences):  # a sentence and the next: the subject, then what is decided
            text += sentences[i + 1]
        score = _coverage(weights, unit.context + text)
        if score > best_score:
            best, best_score = i, score
    return best, best_score


def _with_following(unit: Unit) -> Unit:
    """A short paragraph (or item) with the lines after it, up to FOLLOW_CHARS.

    Policy texts often state the subject in one paragraph and what is decided in the next
    ("…通知如下。" / "当日，…"), so a short quote alone misses what was asked.
    """
    if unit.kind not in ("paragraph", "item") or len(unit.text) >= FOLLOW_CHARS:
        return unit
    lines = clean_lines(unit.source.text or unit.source.quote)
    end = unit.end
    size = len(unit.text)
    while end + 1 < len(lines) and size < FOLLOW_CHARS:
        if unit.kind == "item" and is_numbered(lines[end + 1]):
            break  # the next item is not part of this one
        end += 1
        size += len(lines[end])
    return replace(unit, lines=tuple(lines[unit.start:end + 1]))


# --- trimming ----------------------------------------------------------------------------------

def _trimmed(unit: Unit, around: int, terms: tuple[str, ...], limit: int = UNIT_CHARS) -> str:
    """The unit's text, or the sentences around `around` within limit, the cut marked."""
    text = _without_label(unit.text, unit.source.article if unit.kind == "article" else None)
    if len(text) <= limit:
        return text
    sentences = unit.sentences
    first = last = around
    size = len(sentences[around])
    if size > limit:  # one run without a full stop (a table, a list of names): cut it
        return _clip(sentences[around], terms, limit)
    while True:
        grown = False
        for j in (last + 1, first - 1):
            if 0 <= j < len(sentences) and size + len(sentences[j]) <= limit:
                size += len(sentences[j])
                first, last = min(first, j), max(last, j)
                grown = True
        if not grown:
            break
    kept = unit.join(first, last)
    return ("……" if first > 0 else "") + kept + (TRIM_MARK if last < len(sentences) - 1 else "（节选）")


def _without_label(quote: str, article: str | None) -> str:
    # The lead-in already names the article: "根据《X》第二十条：“第二十条 …”" reads twice.
    if article and quote.startswith(article):
        return quote[len(article):].lstrip(" 　:：")
    return quote


def _clip(text: str, terms: tuple[str, ...], limit: int) -> str:
    """A window of a run without full stops, starting just before the first term found."""
    hits = [text.find(t) for t in terms if t in text]
    start = max(min(hits, default=0) - 20, 0)
    end = start + limit
    return ("……" if start else "") + text[start:end] + (TRIM_MARK if end < len(text) else "（节选）")
