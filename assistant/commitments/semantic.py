"""Semantic similarity of a commitment and candidate sentences, with the library's embedding model.

A review often reports a promise in other words (依法加强用地管理 → 整顿和规范土地市场秩序), which
neither key terms nor shared phrases catch. The commitment is embedded as a query and each
candidate sentence as a passage (E5 convention); passage vectors are cached by text, so the few
hundred sentences of a review are embedded once, in batches, and reused by every later check.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

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

    def __init__(self, embeddings: Embeddings, *, z_floor: float = Z_FLOOR, z_span: float = Z_SPAN) -> None:
        self.embeddings = embeddings
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
            vectors = _unit(np.asarray(self.embeddings.embed_documents(missing), dtype=np.float32))
            self._vectors.update(zip(missing, vectors, strict=True))

    def cosines(self, commitment: str, sentences: Sequence[str]) -> list[float]:
        """Cosine similarity of the commitment with each sentence."""
        if not sentences:
            return []
        query = _unit(np.asarray(self.embeddings.embed_query(commitment), dtype=np.float32)[None, :])[0]
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


def _unit(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)
