"""Keyword index: bm25s over jieba tokens, saved as JSON/npy (no pickle)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

import bm25s
import numpy as np

logging.getLogger("bm25s").setLevel(logging.WARNING)

# Lower than the usual 1.5 / 0.75: chunks vary from a line to 600 characters and jieba's search
# mode repeats sub-words, so term counts saturate early and long passages are not penalised
# much. Chosen on the dev half of the retrieval questions (docs/benchmarks.md). Baked into
# the saved index: a change takes effect when the index is next built (any ingest, removal or
# rebuild).
K1 = 0.4
B = 0.4


class BM25Index:
    """BM25 over pre-tokenised chunks; row i of the corpus is chunk id i."""

    def __init__(self, retriever: bm25s.BM25 | None = None, n_docs: int = 0) -> None:
        self._bm25 = retriever
        self._n_docs = n_docs

    @classmethod
    def build(cls, corpus_tokens: Sequence[list[str]]) -> BM25Index:
        if not corpus_tokens:
            return cls()
        retriever = bm25s.BM25(k1=K1, b=B)
        # An empty chunk still needs a row so ids stay aligned with the chunk list.
        retriever.index([toks or ["\u2205"] for toks in corpus_tokens], show_progress=False)
        return cls(retriever, len(corpus_tokens))

    def search(
        self, query_tokens: list[str], k: int, allowed_ids: Iterable[int] | None = None
    ) -> list[tuple[int, float]]:
        """Return (row id, BM25 score) pairs with a positive score, best first."""
        if self._bm25 is None or k <= 0:
            return []
        known = [t for t in query_tokens if t in self._bm25.vocab_dict]
        if not known:
            return []
        mask = None
        if allowed_ids is not None:
            mask = np.zeros(self._n_docs, dtype=np.float32)
            mask[np.fromiter(allowed_ids, dtype=np.int64)] = 1.0
            if not mask.any():
                return []
        ids, scores = self._bm25.retrieve(
            [known], k=min(k, self._n_docs), show_progress=False, weight_mask=mask, n_threads=1
        )
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if s > 0]

    def save(self, directory: Path) -> None:
        if self._bm25 is not None:
            self._bm25.save(str(directory), allow_pickle=False, show_progress=False)

    @classmethod
    def load(cls, directory: Path, n_docs: int) -> BM25Index:
        if not (directory / "params.index.json").exists():
            return cls()
        return cls(bm25s.BM25.load(str(directory), allow_pickle=False), n_docs)
