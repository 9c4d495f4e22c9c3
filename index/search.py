"""Hybrid search over a LibraryState: BM25 and FAISS rankings fused by reciprocal rank.

A question that names an article (《机关事务管理条例》第十二条, 第三十三条的内容是什么) returns
that article first. Every hit carries a `relevance` in 0..1 (IDF-weighted share of the query's
terms found in the passage) so callers can tell "nothing relevant" from a weak best match.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
from langchain_core.documents import Document

from index.models import Chunk, DocumentMeta
from index.snapshot import LibraryState
from index.structure import parse_article_number
from index.tokenizer import tokenize
from index.version_groups import article_wordings, excluded_in
from index.versions import normalise_title, version_label

_ARTICLE_IN_QUERY = re.compile(r"第\s*([一二三四五六七八九十百千零〇两\d]+)\s*条")
_BOOK_TITLE = re.compile(r"《([^》]+)》")
# "…条例第十二条", "…管理办法第3条": a document named right before the article.
_NAMED_RULE = re.compile(r"[\u4e00-\u9fa5]{2,}(?:条例|办法|规定|细则|规则|法)\s*第")
# Parts of official titles that users leave out when they name a document.
_TITLE_NOISE = re.compile(r"^中华人民共和国|[（(][^）)]*[）)]$|\s")


@dataclass(frozen=True)
class SearchFilters:
    """Rows of the chunk list that may be returned; None means all."""

    allowed_rows: frozenset[int] | None = None

    @classmethod
    def create(
        cls,
        state: LibraryState,
        *,
        doc_ids: Iterable[str] | None = None,
        doc_types: Iterable[str] | None = None,
        years: Iterable[int] | None = None,
        exclude_docs: Iterable[str] = (),
    ) -> SearchFilters:
        docs = _matching_docs(state, doc_ids, doc_types, years)
        excluded = set(exclude_docs)
        if excluded:
            # Versions not in force on the date asked about (index/version_groups.py).
            docs = (set(state.documents) if docs is None else docs) - excluded
        if docs is None:
            return cls()
        rows = frozenset(i for i, c in enumerate(state.chunks) if c.doc_id in docs)
        return cls(rows)


def hybrid_search(
    state: LibraryState,
    query: str,
    *,
    embed_query: Callable[[str], np.ndarray],
    filters: SearchFilters,
    k: int,
    fetch_k: int,
    rrf_k: int = 60,
    bm25_weight: float = 1.0,
    vector_weight: float = 1.0,
) -> list[Document]:
    """Best `k` passages for `query` as LangChain Documents."""
    if not state.chunks or not query.strip():
        return []
    allowed = filters.allowed_rows
    q_tokens = tokenize(query)
    keyword = state.bm25.search(q_tokens, fetch_k, allowed)
    vector: list[tuple[int, float]] = []
    if state.vectors.size:
        vector = state.vectors.search(embed_query(query), fetch_k, allowed)
    fused = _rrf([(keyword, bm25_weight), (vector, vector_weight)], rrf_k)
    articles = article_rows(state, query, allowed)
    article_set = set(articles)
    order = articles + [row for row in fused if row not in article_set]
    cosine = dict(vector)
    weights = _idf_weights(state, q_tokens)
    hits = []
    for rank, row in enumerate(order[:k], start=1):
        score = 1.0 if row in article_set else fused.get(row, 0.0)
        relevance = 1.0 if row in article_set else _coverage(weights, state.tokens[row])
        hits.append(_document(state, row, rank, score, relevance, cosine.get(row)))
    for hit in hits:  # answering re-checks relevance sentence by sentence with the same weights
        hit.metadata["query_weights"] = {t: round(w, 4) for t, w in weights.items()}
        hit.metadata["n_passages"] = len(state.chunks)
    return hits


def article_rows(state: LibraryState, query: str, allowed: frozenset[int] | None) -> list[int]:
    """Rows of the article(s) the query names, in the documents it names (if any)."""
    numbers = {parse_article_number(f"第{m}条") for m in _ARTICLE_IN_QUERY.findall(query)}
    numbers.discard(None)
    if not numbers:
        return []
    named = _docs_named_in(state, query)
    if not named and _names_a_document(query):
        # "机关事务管理条例第十二条" when that regulation is not in the library: another
        # document's 第十二条 is not the answer, so no article gets promoted.
        return []
    rows = []
    for i, chunk in enumerate(state.chunks):
        if allowed is not None and i not in allowed:
            continue
        in_named = not named or chunk.doc_id in named
        if in_named and chunk.article and parse_article_number(chunk.article) in numbers:
            rows.append(i)
    if not named:
        # No document named: prefer regulations, then keep document order.
        rows.sort(key=lambda i: state.documents[state.chunks[i].doc_id].doc_type != "regulation")
    return rows


def _docs_named_in(state: LibraryState, query: str) -> set[str]:
    """Documents the query names, each name resolved to its most specific title.

    《社会保险法》 names 社会保险法, never 保险法 (whose title it contains); 《预算法》 names 预算法,
    not 预算法实施条例. All versions of the named title are returned; the search filters keep
    the one in force.
    """
    titles: dict[str, set[str]] = {}
    for doc in state.documents.values():
        key = normalise_title(doc.title)
        if key:
            titles.setdefault(key, set()).add(doc.doc_id)
    found: set[str] = set()
    for name in _BOOK_TITLE.findall(query):
        found |= titles.get(_best_title(normalise_title(name), titles), set())
    bare = _BOOK_TITLE.sub("。", _clean_title(query))
    for key in _titles_in_text(bare, titles):
        found |= titles[key]
    return found


def _best_title(name: str, titles: dict[str, set[str]]) -> str:
    """The library title a 《name》 means: the same title, else the shortest one containing it."""
    if not name or name in titles:
        return name
    containing = [t for t in titles if name in t]
    return min(containing, key=len) if containing else ""


def _titles_in_text(text: str, titles: dict[str, set[str]]) -> list[str]:
    """Titles written without 《》, longest first; a found title is masked so that a title it
    contains (保险法 in 社会保险法) is not found again, nor one followed by 实施条例."""
    found = []
    for title in sorted(titles, key=len, reverse=True):
        pattern = re.compile(re.escape(title) + r"(?!实施|施行)")
        if len(title) >= 2 and pattern.search(text):
            found.append(title)
            text = pattern.sub("。", text)
    return found


def _names_a_document(query: str) -> bool:
    return bool(_BOOK_TITLE.search(query) or _NAMED_RULE.search(query))


def _clean_title(text: str) -> str:
    return _TITLE_NOISE.sub("", text)


def _matching_docs(
    state: LibraryState,
    doc_ids: Iterable[str] | None,
    doc_types: Iterable[str] | None,
    years: Iterable[int] | None,
) -> set[str] | None:
    if doc_ids is None and doc_types is None and years is None:
        return None
    docs = list(state.documents.values())
    if doc_ids is not None:
        keys = set(doc_ids)
        docs = [d for d in docs if keys & {d.doc_id, d.filename, d.title}]
    if doc_types is not None:
        types = set(doc_types)
        docs = [d for d in docs if d.doc_type in types]
    if years is not None:
        wanted = {int(y) for y in years}
        docs = [d for d in docs if d.year in wanted]
    return {d.doc_id for d in docs}


def _other_wordings(state: LibraryState, doc: DocumentMeta, article: str | None) -> list[dict]:
    """The article as other versions of the regulation word it (only where it differs)."""
    if not article or doc.doc_type != "regulation":
        return []
    found = article_wordings(doc, article, state.documents, state.blocks)
    if not found:
        return []
    not_current = excluded_in(state.documents, date.today())
    return [
        {"doc_id": d.doc_id, "title": d.title, "version": version_label(d) or d.filename,
         "text": text, "current": d.doc_id not in not_current}
        for d, text in found
    ]


def _rrf(rankings: list[tuple[list[tuple[int, float]], float]], rrf_k: int) -> dict[int, float]:
    """Reciprocal rank fusion; returns row -> fused score in descending order."""
    scores: dict[int, float] = {}
    for ranking, weight in rankings:
        for rank, (row, _score) in enumerate(ranking, start=1):
            scores[row] = scores.get(row, 0.0) + weight / (rrf_k + rank)
    return dict(sorted(scores.items(), key=lambda item: item[1], reverse=True))


def _idf_weights(state: LibraryState, q_tokens: list[str]) -> dict[str, float]:
    df = state.doc_freq()
    n = max(len(state.chunks), 1)
    return {t: math.log(1 + (n - df.get(t, 0) + 0.5) / (df.get(t, 0) + 0.5)) for t in set(q_tokens)}


def _coverage(weights: dict[str, float], chunk_tokens: list[str]) -> float:
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    present = set(chunk_tokens)
    return sum(w for t, w in weights.items() if t in present) / total


def _document(
    state: LibraryState, row: int, rank: int, score: float, relevance: float, cosine: float | None
) -> Document:
    chunk: Chunk = state.chunks[row]
    doc: DocumentMeta = state.documents[chunk.doc_id]
    return Document(
        page_content=chunk.text,
        id=chunk.chunk_id,
        metadata={
            "chunk_id": chunk.chunk_id, "doc_id": chunk.doc_id, "title": doc.title,
            "source": doc.filename, "section": chunk.section,
            "heading_path": list(chunk.heading_path), "article": chunk.article,
            "page": chunk.page, "page_end": chunk.page_end, "doc_type": doc.doc_type,
            "year": doc.year, "score": round(score, 6), "rank": rank,
            "relevance": round(relevance, 4), "version": version_label(doc),
            "other_versions": _other_wordings(state, doc, chunk.article),
            "cosine": None if cosine is None else round(cosine, 4),
            "ocr": _read_by_ocr(doc, chunk),
        },
    )



def _read_by_ocr(doc: DocumentMeta, chunk: Chunk) -> bool:
    """True when the passage lies on a page the loader read by OCR (citations mark it)."""
    if not doc.ocr_pages or chunk.page is None:
        return False
    last = chunk.page_end or chunk.page
    return any(chunk.page <= p <= last for p in doc.ocr_pages)
