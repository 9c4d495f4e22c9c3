"""Retrieved Documents → numbered Sources holding only the sentences that matter.

The local model reads ~40 tokens/s, so the prompt carries a few hundred characters: the
sentences of each passage that best overlap the question's terms, plus their neighbours.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from langchain_core.documents import Document

from assistant.answering.models import Source
from assistant.answering.numbers import cn_to_int
from assistant.answering.support import SupportScorer, question_weights
from assistant.answering.text import coverage, normalize, query_terms, split_sentences

_WORDS_ONLY = SupportScorer()
MAX_PASSAGES = 4
PASSAGE_BUDGET_CHARS = 560  # all excerpts together; headers add ~20 chars per passage
_GAP = "…"
_ARTICLE = re.compile(r"第([0-9]+|[零〇一二两三四五六七八九十百千]+)条")
# Sentences that talk to the assistant rather than state policy: never shown to the model.
_INSTRUCTION = re.compile(
    r"忽略(以上|之前|上述|前面|所有)|无视(以上|之前|上述)|ignore (all|previous|the above)"
    r"|你(现在)?是一个|扮演|system prompt|提示词",
    re.IGNORECASE,
)


def article_number(text: str | None) -> int | None:
    """The number of the first 第X条 in text (第十二条 → 12)."""
    match = _ARTICLE.search(normalize(text or ""))
    if not match:
        return None
    raw = match.group(1)
    return int(raw) if raw.isdigit() else cn_to_int(raw)


def relevance_of(doc: Document, question: str, scorer: SupportScorer | None = None) -> float:
    """Whether the passage speaks about the question's subject (0..1), not only shares its terms.

    The question's terms (weighted by the library's IDF when the search gives them) must meet
    in two neighbouring sentences of the passage or its title and section, and a specific
    term of the question (one the library hardly knows) must occur unless the scorer's embedder
    finds a sentence close to the question; an article the question names is relevant as such.
    """
    meta = doc.metadata
    found = meta.get("relevance")
    if found is not None and float(found) >= 1.0:
        return 1.0
    weights = meta.get("query_weights") or question_weights(question)
    context = f"{meta.get('title') or ''}\n{meta.get('section') or ''}"
    local = (scorer or _WORDS_ONLY).relevance(question, weights, doc.page_content, context,
                                              meta.get("n_passages"))
    # The search's figure counts terms anywhere in the chunk; meeting locally can only lower it.
    return local if found is None else min(float(found), local)


def looks_like_instruction(sentence: str) -> bool:
    """True for text addressed to the assistant (prompt injection), not policy content."""
    return bool(_INSTRUCTION.search(sentence))


def select_sentences(text: str, question: str, budget: int) -> str:
    """The best-covering sentences of text and their neighbours, in order, within budget chars."""
    sentences = [s for s in split_sentences(text) if not looks_like_instruction(s)]
    if not sentences:
        return ""
    terms = query_terms(question)
    scores = [coverage(terms, s) for s in sentences]
    best = max(range(len(sentences)), key=lambda i: (scores[i], -i))
    order = [best] + _neighbours(best, len(sentences))
    order += sorted((i for i in range(len(sentences)) if scores[i] > 0 and i not in order),
                    key=lambda i: -scores[i])
    return _fit(sentences, order, budget)


def _neighbours(i: int, n: int) -> list[int]:
    return [j for j in (i + 1, i - 1, i + 2) if 0 <= j < n]


def _fit(sentences: list[str], order: list[int], budget: int) -> str:
    chosen: list[int] = []
    used = 0
    for i in order:
        if used + len(sentences[i]) <= budget:
            chosen.append(i)
            used += len(sentences[i])
    if not chosen:  # even the best sentence is too long: cut it
        return sentences[order[0]][: max(budget - 1, 0)] + _GAP
    return _join_in_order(sentences, sorted(chosen))


def _join_in_order(sentences: list[str], chosen: list[int]) -> str:
    parts = [sentences[chosen[0]]]
    for prev, cur in zip(chosen, chosen[1:], strict=False):
        parts.append(("" if cur == prev + 1 else _GAP) + sentences[cur])
    return "".join(parts)


def leading_text(text: str, budget: int) -> str:
    """The start of a passage (an article asked for by number), cut at a sentence within budget."""
    kept = ""
    for sentence in (s for s in split_sentences(text) if not looks_like_instruction(s)):
        if len(kept) + len(sentence) > budget:
            return (kept or sentence[: budget - 1]) + _GAP
        kept += sentence
    return kept


def build_sources(
    docs: Sequence[Document],
    question: str,
    *,
    max_passages: int = MAX_PASSAGES,
    budget: int = PASSAGE_BUDGET_CHARS,
    scorer: SupportScorer | None = None,
) -> list[Source]:
    """Number the top passages [1..n] and give each a share of the character budget."""
    docs = list(docs)[:max_passages]
    asked_article = article_number(question)
    sources: list[Source] = []
    remaining = budget
    for i, doc in enumerate(docs):
        # The best passage may take 2/(n+1) of what is left; later ones inherit what it leaves.
        allowance = remaining * 2 // (len(docs) - i + 1) if i < len(docs) - 1 else remaining
        source = _source(len(sources) + 1, doc, question, allowance, asked_article, scorer)
        if source.quote:  # nothing left once injected instructions are dropped
            remaining -= len(source.quote)
            sources.append(source)
    return sources


def _source(
    n: int, doc: Document, question: str, budget: int, asked_article: int | None,
    scorer: SupportScorer | None = None,
) -> Source:
    meta = doc.metadata
    same_article = asked_article is not None and article_number(meta.get("article")) == asked_article
    quote = (leading_text(doc.page_content, budget) if same_article
             else select_sentences(doc.page_content, question, budget))
    title = str(meta.get("title") or meta.get("source") or "")
    return Source(
        n=n,
        doc_id=str(meta.get("doc_id", "")),
        chunk_id=str(meta.get("chunk_id", "")),
        title=title,
        section=section_without_title(str(meta.get("section") or ""), title),
        article=meta.get("article"),
        page=meta.get("page"),
        quote=quote,
        text=doc.page_content,
        relevance=relevance_of(doc, question, scorer),
        version=str(meta.get("version") or ""),
        other_versions=tuple(meta.get("other_versions") or ()),
        ocr=bool(meta.get("ocr")),
    )


def section_without_title(section: str, title: str) -> str:
    """The heading path without a first step that only repeats the document's title."""
    steps = section.split(" > ") if section else []
    if steps and _bare(steps[0]) == _bare(title):
        steps = steps[1:]
    return " > ".join(steps)


def _bare(text: str) -> str:
    return re.sub(r"[\s《》〈〉]", "", text)


def format_passages(sources: Sequence[Source]) -> str:
    """The passages block of the prompt: a header line per source, then its excerpt."""
    return "\n".join(f"{_header(s)}\n{_defang(s.quote)}" for s in sources)


def _header(source: Source) -> str:
    # Short on purpose: every character here costs prompt-reading time on a 2-core CPU.
    where = source.article or source.section.rpartition(" > ")[2]
    return f"[{source.n}]《{source.title[:30]}》{where[:20]}"


def _defang(text: str) -> str:
    # A document must not be able to close the data block and speak as the user.
    return text.replace("<<<", "«").replace(">>>", "»")
