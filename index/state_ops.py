"""Pure functions that derive a new LibraryState from an old one (add, drop, attach vectors).

Kept apart from Library so the write path reads as: derive a state, then commit it.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

import numpy as np

from index.models import DocumentMeta
from index.processing import ProcessedDocument, index_text
from index.snapshot import LibraryState
from index.stores.bm25_index import BM25Index
from index.stores.vector_index import VectorIndex


def missing_texts(state: LibraryState, have: dict[str, np.ndarray]) -> dict[str, str]:
    """Index texts (by hash) that have no cached embedding yet, each once."""
    missing: dict[str, str] = {}
    for chunk, key in zip(state.chunks, state.index_hashes, strict=True):
        if key not in have and key not in missing:
            title = state.documents[chunk.doc_id].title
            missing[key] = index_text(title, chunk)
    return missing


def with_documents(
    state: LibraryState, processed: list[ProcessedDocument], user_edits: dict[str, DocumentMeta]
) -> LibraryState:
    """State with `processed` added (replacing same-id documents), indexes rebuilt."""
    replaced = {p.meta.doc_id for p in processed}
    base = without_documents(state, replaced, rebuild=False)
    documents = dict(base.documents)
    blocks = dict(base.blocks)
    chunks, tokens, hashes = list(base.chunks), list(base.tokens), list(base.index_hashes)
    for doc in processed:
        meta = apply_user_edits(doc.meta, user_edits.get(doc.meta.doc_id))
        documents[meta.doc_id] = meta
        blocks[meta.doc_id] = doc.blocks
        chunks.extend(doc.chunks)
        tokens.extend(doc.tokens)
        hashes.extend(_hash(t) for t in doc.index_texts)
    new = LibraryState(state.embedding_model_id, documents, chunks, tokens, hashes, blocks)
    new.bm25 = BM25Index.build(tokens)
    return new


def without_documents(
    state: LibraryState, doc_ids: set[str], rebuild: bool = True
) -> LibraryState:
    keep = [i for i, c in enumerate(state.chunks) if c.doc_id not in doc_ids]
    new = LibraryState(
        state.embedding_model_id,
        {k: v for k, v in state.documents.items() if k not in doc_ids},
        [state.chunks[i] for i in keep],
        [state.tokens[i] for i in keep],
        [state.index_hashes[i] for i in keep],
        {k: v for k, v in state.blocks.items() if k not in doc_ids},
    )
    if rebuild:
        new.bm25 = BM25Index.build(new.tokens)
    return new


def with_vectors(state: LibraryState, have: dict[str, np.ndarray]) -> LibraryState:
    rows = [i for i, key in enumerate(state.index_hashes) if key in have]
    if not rows:
        return replace(state, vectors=VectorIndex())
    vectors = np.stack([have[state.index_hashes[i]] for i in rows])
    return replace(state, vectors=VectorIndex.build(np.asarray(rows), vectors))


def apply_user_edits(meta: DocumentMeta, edited: DocumentMeta | None) -> DocumentMeta:
    if edited is None:
        return meta
    fields = {name: getattr(edited, name) for name in edited.user_edited}
    return meta.model_copy(update={**fields, "user_edited": list(edited.user_edited)})


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
