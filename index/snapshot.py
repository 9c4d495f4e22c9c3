"""An immutable, self-consistent state of the library, and how it is written and read.

Every change writes a complete new snapshot directory and then atomically switches the
`CURRENT` pointer to it (os.replace). A crash or a failed ingest therefore leaves the previous
snapshot in force; readers never see half a change. Nothing here uses pickle.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from index.models import Chunk, DocumentMeta, StructuredBlock
from index.stores.bm25_index import BM25Index
from index.stores.vector_index import VectorIndex

FORMAT_VERSION = 1
KEEP_SNAPSHOTS = 2


@dataclass
class LibraryState:
    """Documents, their chunks and blocks, and the two indexes over the chunks."""

    embedding_model_id: str
    documents: dict[str, DocumentMeta] = field(default_factory=dict)
    chunks: list[Chunk] = field(default_factory=list)
    tokens: list[list[str]] = field(default_factory=list)  # BM25 tokens, aligned with chunks
    index_hashes: list[str] = field(default_factory=list)  # embedding cache keys, aligned
    blocks: dict[str, list[StructuredBlock]] = field(default_factory=dict)
    vectors: VectorIndex = field(default_factory=VectorIndex)
    bm25: BM25Index = field(default_factory=BM25Index)
    name: str = ""
    _doc_freq: Counter[str] | None = None

    @property
    def pending_vectors(self) -> int:
        """Chunks searchable by keywords only, still waiting for their embeddings."""
        return len(self.chunks) - self.vectors.size

    def doc_freq(self) -> Counter[str]:
        """How many chunks contain each token (for IDF-weighted relevance)."""
        if self._doc_freq is None:
            self._doc_freq = Counter(t for toks in self.tokens for t in set(toks))
        return self._doc_freq


def current_name(root: Path) -> str | None:
    """Name of the snapshot in force, or None for an empty library."""
    pointer = root / "CURRENT"
    if not pointer.exists():
        return None
    return pointer.read_text(encoding="utf-8").strip() or None


def write_snapshot(root: Path, state: LibraryState) -> str:
    """Write `state` as a new snapshot and make it current; return its name."""
    root.mkdir(parents=True, exist_ok=True)
    name = _next_name(root)
    tmp = root / f".{name}.tmp"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    _write_json(tmp / "manifest.json", _manifest(state))
    _write_jsonl(tmp / "chunks.jsonl", _chunk_rows(state))
    _write_jsonl(tmp / "blocks.jsonl", _block_rows(state))
    state.vectors.save(tmp / "vectors.faiss")
    (tmp / "bm25").mkdir()
    state.bm25.save(tmp / "bm25")
    _fsync_dir(tmp)
    os.replace(tmp, root / name)
    _atomic_write_text(root / "CURRENT", name)
    state.name = name
    _prune(root, keep=name)
    return name


def read_snapshot(root: Path, name: str) -> LibraryState:
    """Load a snapshot written by write_snapshot."""
    path = root / name
    manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT_VERSION:
        raise ValueError(f"索引格式版本不符（{manifest.get('format')}），请重建索引")
    state = LibraryState(embedding_model_id=manifest["embedding_model_id"], name=name)
    for meta in manifest["documents"]:
        doc = DocumentMeta.model_validate(meta)
        state.documents[doc.doc_id] = doc
    for row in _read_jsonl(path / "chunks.jsonl"):
        state.chunks.append(_chunk_from_row(row))
        state.tokens.append(row["tokens"])
        state.index_hashes.append(row["index_hash"])
    for row in _read_jsonl(path / "blocks.jsonl"):
        block = StructuredBlock(
            text=row["text"], kind=row["kind"], heading_path=tuple(row["heading_path"]),
            article=row["article"], page=row["page"],
        )
        state.blocks.setdefault(row["doc_id"], []).append(block)
    state.vectors = VectorIndex.load(path / "vectors.faiss")
    state.bm25 = BM25Index.load(path / "bm25", len(state.chunks))
    return state


def _manifest(state: LibraryState) -> dict:
    return {
        "format": FORMAT_VERSION,
        "embedding_model_id": state.embedding_model_id,
        "documents": [doc.model_dump(mode="json") for doc in state.documents.values()],
    }


def _chunk_rows(state: LibraryState):
    for chunk, toks, key in zip(state.chunks, state.tokens, state.index_hashes, strict=True):
        yield {
            "doc_id": chunk.doc_id, "ordinal": chunk.ordinal, "text": chunk.text,
            "heading_path": list(chunk.heading_path), "article": chunk.article,
            "page": chunk.page, "page_end": chunk.page_end, "tokens": toks, "index_hash": key,
        }


def _chunk_from_row(row: dict) -> Chunk:
    return Chunk(
        doc_id=row["doc_id"], ordinal=row["ordinal"], text=row["text"],
        heading_path=tuple(row["heading_path"]), article=row["article"],
        page=row["page"], page_end=row["page_end"],
    )


def _block_rows(state: LibraryState):
    for doc_id, blocks in state.blocks.items():
        for b in blocks:
            yield {
                "doc_id": doc_id, "text": b.text, "kind": b.kind,
                "heading_path": list(b.heading_path), "article": b.article, "page": b.page,
            }


def _next_name(root: Path) -> str:
    numbers = [int(p.name[5:]) for p in root.glob("snap-*") if p.name[5:].isdigit()]
    return f"snap-{max(numbers, default=0) + 1:06d}"


def _prune(root: Path, keep: str) -> None:
    """Drop old snapshots, keeping a couple so a reader mid-load is not pulled from under."""
    names = sorted(p.name for p in root.glob("snap-*") if p.is_dir())
    for old in names[:-KEEP_SNAPSHOTS]:
        if old != keep:
            shutil.rmtree(root / old, ignore_errors=True)
    for stale in root.glob(".snap-*.tmp"):
        shutil.rmtree(stale, ignore_errors=True)


def _write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def _write_jsonl(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False))
            fh.write("\n")


def _read_jsonl(path: Path):
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _fsync_dir(path: Path) -> None:
    for child in path.rglob("*"):
        if child.is_file():
            with child.open("rb") as fh:
                os.fsync(fh.fileno())
