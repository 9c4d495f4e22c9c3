"""Semantic similarity of a commitment and candidate sentences, with the library's embedding model.

A review often reports a promise in other words (依法加强用地管理 → 整顿和规范土地市场秩序), which
neither key terms nor shared phrases catch. The commitment is embedded as a query and each
candidate sentence as a passage (E5 convention); passage vectors are cached by text, so the few
hundred sentences of a review are embedded once, in batches, and reused by every later check.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

# Cosines of multilingual-e5 cluster high (0.82-0.97 for any two policy sentences), and each
# promise has its own baseline, so a sentence counts by how far it stands out from the material:
# its z-score among all candidates. At Z_FLOOR standard deviations it starts to count, at
# Z_FLOOR + Z_SPAN it counts as much as full key-term coverage (grid-searched on the three tuning
# pairs, see docs/benchmarks.md section 4).
Z_FLOOR = 2.0
Z_SPAN = 2.0
MIN_CANDIDATES = 20  # fewer sentences give no usable spread: no semantic score
MAX_CACHED = 20_000  # sentences; about 30 MB of vectors


class SentenceVectors:
    """Embeds sentences once (passages) and scores them against a commitment (query)."""

    def __init__(self, embeddings: Embeddings, *, z_floor: float = Z_FLOOR, z_span: float = Z_SPAN,
                 cache: Any = None) -> None:
        self.embeddings = embeddings
        # The library's embedding cache (index.stores.EmbeddingCache), when given, keeps sentence
        # and query vectors across restarts: checking the same material again embeds nothing.
        self.cache = cache
        self.z_floor = z_floor
        self.z_span = z_span
        self._vectors: dict[str, np.ndarray] = {}
        # The UI may run two checks at once: adding (and clearing) must not race a lookup.
        self._lock = threading.RLock()

    def add(self, sentences: Sequence[str]) -> None:
        """Embed the sentences not yet cached, in one batch call."""
        with self._lock:
            missing = [s for s in dict.fromkeys(sentences) if s not in self._vectors]
            if not missing:
                return
            if len(self._vectors) + len(missing) > MAX_CACHED:
                self._vectors.clear()
            stored = self._stored("passage", missing)
            todo = [s for s in missing if s not in stored]
            if todo:
                fresh = np.asarray(self.embeddings.embed_documents(todo), dtype=np.float32)
                self._store("passage", todo, fresh)
                stored.update(zip(todo, fresh, strict=True))
            vectors = _unit(np.stack([stored[s] for s in missing]))
            self._vectors.update(zip(missing, vectors, strict=True))

    def _stored(self, kind: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        if self.cache is None:
            return {}
        keys = {_key(kind, t): t for t in texts}
        return {keys[k]: v for k, v in self.cache.get_many(keys).items()}

    def _store(self, kind: str, texts: Sequence[str], vectors: np.ndarray) -> None:
        if self.cache is not None:
            self.cache.put_many([_key(kind, t) for t in texts], vectors)

    def query(self, text: str) -> np.ndarray:
        """The unit query vector of a commitment (cached like the sentences)."""
        stored = self._stored("query", [text])
        if text in stored:
            return _unit(stored[text][None, :])[0]
        vector = np.asarray(self.embeddings.embed_query(text), dtype=np.float32)
        self._store("query", [text], vector[None, :])
        return _unit(vector[None, :])[0]

    def cosines(self, commitment: str, sentences: Sequence[str]) -> list[float]:
        """Cosine similarity of the commitment with each sentence."""
        if not sentences:
            return []
        query = self.query(commitment)
        with self._lock:
            self.add(sentences)
            matrix = np.stack([self._vectors[s] for s in sentences])
        return [float(c) for c in matrix @ query]

    def scores(self, commitment: str, sentences: Sequence[str]) -> list[float]:
        """How far each sentence stands out in similarity among `sentences`, rescaled to 0..1."""
        if len(sentences) < MIN_CANDIDATES:
            return [0.0] * len(sentences)
        cos = np.asarray(self.cosines(commitment, sentences))
        z = (cos - cos.mean()) / max(float(cos.std()), 1e-6)
        return [float(x) for x in np.clip((z - self.z_floor) / self.z_span, 0.0, 1.0)]


def _key(kind: str, text: str) -> str:
    """Cache key of a sentence (passage) or commitment (query) vector, apart from chunk hashes."""
    return hashlib.sha256(f"commitments:{kind}\n{text}".encode()).hexdigest()


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)
