"""FAISS inner-product index over normalised vectors; ids are chunk row numbers."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import cast

import faiss
import numpy as np


class VectorIndex:
    """Exact cosine search (IndexFlatIP in an IDMap) with optional id filters."""

    def __init__(self, index: faiss.Index | None = None, dim: int | None = None) -> None:
        if index is None and dim is not None:
            index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        self._index = index

    @classmethod
    def build(cls, ids: np.ndarray, vectors: np.ndarray) -> VectorIndex:
        """Build from int64 ids and float32 vectors (rows normalised)."""
        if len(ids) == 0:
            return cls()
        vectors = _normalised(vectors)
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(vectors.shape[1]))
        index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))
        return cls(index)

    @property
    def size(self) -> int:
        return 0 if self._index is None else int(self._index.ntotal)

    def ids(self) -> set[int]:
        """All ids held (used to tell which chunks still wait for embeddings)."""
        if self._index is None:
            return set()
        # Always an IDMap: built here as IndexIDMap2, and read_index returns the concrete
        # (downcast) class although its stub says faiss.Index.
        id_map = cast(faiss.IndexIDMap, self._index).id_map
        return set(faiss.vector_to_array(id_map).tolist())

    def search(
        self, query: np.ndarray, k: int, allowed_ids: Iterable[int] | None = None
    ) -> list[tuple[int, float]]:
        """Return (id, cosine) pairs, best first, restricted to allowed_ids when given."""
        if self._index is None or self.size == 0 or k <= 0:
            return []
        q = _normalised(np.asarray(query, dtype=np.float32).reshape(1, -1))
        params = None
        if allowed_ids is not None:
            allowed = np.fromiter(allowed_ids, dtype=np.int64)
            if allowed.size == 0:
                return []
            # faiss wraps SearchParameters.__init__ to accept field kwargs (and keep the
            # selector alive); the stub only declares the bare SWIG constructor.
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed))  # type: ignore[call-arg]
        scores, ids = self._index.search(q, min(k, self.size), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def save(self, path: Path) -> None:
        if self._index is not None:
            faiss.write_index(self._index, str(path))

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        if not path.exists():
            return cls()
        return cls(faiss.read_index(str(path)))


def _normalised(vectors: np.ndarray) -> np.ndarray:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms
