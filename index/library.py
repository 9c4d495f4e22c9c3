"""The document library: ingest, replace, remove, correct metadata, search.

Writers are serialised (a thread lock plus an fcntl lock on the data directory, so two
processes cannot interleave); readers work on the current immutable snapshot and keep
answering while an ingest runs.
"""

from __future__ import annotations

import fcntl
import logging
import shutil
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Literal

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from index.hashing import file_sha256
from index.loaders import SUPPORTED_SUFFIXES
from index.loaders.ocr import OcrOptions
from index.loaders.sandbox import ParseLimits
from index.models import Chunk, DocumentMeta, LoadError, StructuredBlock
from index.pending import BackgroundCompletion, pending_notice
from index.processing import (
    ChunkingOptions,
    ProcessedDocument,
    doc_id_for,
    process_file,
    processing_signature,
)
from index.search import SearchFilters, hybrid_search
from index.snapshot import LibraryState, current_name, read_snapshot, write_snapshot
from index.state_ops import missing_texts, with_documents, with_vectors, without_documents
from index.stores.embedding_cache import EmbeddingCache
from index.stores.vector_index import VectorIndex
from index.version_groups import add_version_notes, excluded_in
from index.versions import VERSION_FIELDS, parse_version_facts, question_date, with_facts

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int, str], None]  # (stage, done, total, detail)
FileStatus = Literal["ingested", "replaced", "unchanged", "rejected"]
EDITABLE_FIELDS = (
    "title", "issuer", "year", "publish_date", "doc_number", "doc_type", *VERSION_FIELDS
)


@dataclass
class FileResult:
    path: str
    status: FileStatus
    message: str = ""
    doc_id: str = ""
    n_chunks: int = 0


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # parse / embed / index
    n_chars: int = 0
    embedded_chunks: int = 0

    def count(self, status: FileStatus) -> int:
        return sum(1 for r in self.results if r.status == status)


class Library:
    """A persistent library of documents in `data_dir`."""

    def __init__(
        self,
        data_dir: Path,
        embeddings: Embeddings,
        settings: Any,
        *,
        model_id: str,
        ingest_embeddings: Embeddings | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.root = self.data_dir / "library"
        self.files_dir = self.data_dir / "files"
        self.embeddings = embeddings
        # A second handle for bulk embedding, so query embedding never queues behind a batch.
        self.ingest_embeddings = ingest_embeddings or embeddings
        self.model_id = model_id
        self.settings = settings
        self.cache = EmbeddingCache(self.data_dir / "embeddings.sqlite", model_id)
        self._state_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._state: LibraryState | None = None
        self._background = BackgroundCompletion(self.complete_pending)

    # ----- reading -------------------------------------------------------------------

    def snapshot(self) -> LibraryState:
        """The current state, reloaded when another writer has published a newer one."""
        name = current_name(self.root)
        with self._state_lock:
            if self._state is None or (name and self._state.name != name):
                self._state = self._load(name)
            return self._state

    def documents(self) -> list[DocumentMeta]:
        return sorted(self.snapshot().documents.values(), key=lambda d: d.filename)

    def get_document(self, key: str) -> DocumentMeta | None:
        """Find a document by id, file name, file stem or exact title."""
        docs = self.snapshot().documents
        if key in docs:
            return docs[key]
        for doc in docs.values():
            if key in (doc.filename, Path(doc.filename).stem, doc.title):
                return doc
        return None

    def chunks_of(self, doc_id: str) -> list[Chunk]:
        return [c for c in self.snapshot().chunks if c.doc_id == doc_id]

    def blocks_of(self, doc_id: str) -> list[StructuredBlock]:
        return list(self.snapshot().blocks.get(doc_id, []))

    def outdated_documents(self) -> list[DocumentMeta]:
        """Documents whose chunks were built by older rules or other chunk sizes."""
        current = self._signature()
        return [d for d in self.documents() if d.processing != current]

    def maintenance_notice(self) -> str:
        """What the user should do to bring the library up to date; empty when nothing."""
        return "\n\n".join(n for n in (self._outdated_notice(), self.pending_notice()) if n)

    def pending_notice(self) -> str:
        """Passages still without vectors (an interrupted ingest), and how they get finished."""
        state = self.snapshot()
        return pending_notice(state.pending_vectors, len(state.chunks), self._background.progress)

    def complete_pending_in_background(self) -> threading.Thread | None:
        """Finish unfinished embedding in a daemon thread (the app calls this when it starts)."""
        if not self.snapshot().pending_vectors:
            return None
        return self._background.start()

    def _outdated_notice(self) -> str:
        outdated = len(self.outdated_documents())
        if not outdated:
            return ""
        return (
            f"有 {outdated} 个文档是按旧版解析与分段规则建立索引的，检索效果可能不如新规则。"
            "请点击“重建索引”（或运行 `python -m assistant rebuild`）：已有的向量会复用，"
            "只有内容变动的段落需要重新向量化。"
        )

    def source_path(self, doc_id: str) -> Path | None:
        """Stored copy of the document's original file."""
        doc = self.snapshot().documents.get(doc_id)
        if doc is None:
            return None
        path = self._stored_file(doc.sha256, doc.filename)
        return path if path.exists() else None

    def search(
        self,
        query: str,
        *,
        k: int | None = None,
        doc_ids: Iterable[str] | None = None,
        doc_types: Iterable[str] | None = None,
        years: Iterable[int] | None = None,
        as_of: date | None = None,
    ) -> list[Document]:
        """Hybrid BM25 + vector search over the versions in force on `as_of`.

        `as_of` defaults to a date the query names ("2020年时…"), else today; documents picked
        by `doc_ids` are searched whatever their version.
        """
        state = self.snapshot()
        cfg = self.settings.retrieval
        on = as_of or question_date(query) or date.today()
        excluded = excluded_in(state.documents, on) if doc_ids is None else set()
        filters = SearchFilters.create(
            state, doc_ids=doc_ids, doc_types=doc_types, years=years, exclude_docs=excluded
        )
        return hybrid_search(
            state, query, embed_query=self._embed_query, filters=filters,
            k=k or cfg.k, fetch_k=cfg.fetch_k, rrf_k=cfg.rrf_k,
            bm25_weight=cfg.bm25_weight, vector_weight=cfg.vector_weight,
        )

    # ----- writing -------------------------------------------------------------------

    def ingest(self, paths: Iterable[Path | str], progress: Progress | None = None) -> IngestReport:
        """Add or replace files (folders are walked); unchanged files are skipped."""
        progress = progress or _no_progress
        report = IngestReport()
        with self._writing():
            state = self.snapshot()
            files = list(_expand(paths))
            started = time.perf_counter()
            processed = self._process_files(state, files, report, progress)
            report.seconds["parse"] = time.perf_counter() - started
            if processed:
                started = time.perf_counter()
                new = with_documents(state, processed, self._keep_user_edits(state))
                state = self._commit(self._cached_vectors(new))
                report.seconds["index"] = time.perf_counter() - started
                add_version_notes(report.results, state.documents)
            self._embed_pending(state, report, progress)
        return report

    def remove(self, doc_id: str) -> DocumentMeta:
        """Remove a document: it is never retrieved again, from FAISS or BM25."""
        with self._writing():
            state = self.snapshot()
            doc = state.documents.get(doc_id)
            if doc is None:
                raise KeyError(f"资料库中没有文档 {doc_id}")
            self._commit(self._cached_vectors(without_documents(state, {doc_id})))
            return doc

    def update_metadata(self, doc_id: str, **fields: Any) -> DocumentMeta:
        """Correct detected metadata; corrected fields survive re-ingest and rebuild."""
        unknown = set(fields) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValueError(f"不可修改的字段：{', '.join(sorted(unknown))}")
        with self._writing():
            state = self.snapshot()
            doc = state.documents.get(doc_id)
            if doc is None:
                raise KeyError(f"资料库中没有文档 {doc_id}")
            if set(fields) & set(VERSION_FIELDS):
                fields = {**fields, "version_source": "user", "version_note": ""}
            edited = sorted(set(doc.user_edited) | set(fields))
            updated = DocumentMeta.model_validate(
                {**doc.model_dump(), **fields, "user_edited": edited}
            )
            documents = {**state.documents, doc_id: updated}
            self._commit(replace(state, documents=documents, _doc_freq=None))
            return updated

    def rebuild(self, progress: Progress | None = None) -> IngestReport:
        """Re-parse every stored source file and rebuild both indexes from scratch."""
        progress = progress or _no_progress
        report = IngestReport()
        with self._writing():
            old = self.snapshot()
            processed: list[ProcessedDocument] = []
            for i, doc in enumerate(old.documents.values()):
                progress("parse", i, len(old.documents), doc.filename)
                stored = self._stored_file(doc.sha256, doc.filename)
                result = self._process_one(stored, doc.filename, doc.sha256, None, progress)
                result[0].path = doc.filename  # the stored copy's name means nothing to users
                report.results.append(result[0])
                if result[1] is not None:
                    processed.append(result[1])
            empty = LibraryState(embedding_model_id=self.model_id)
            new = with_documents(empty, processed, self._keep_user_edits(old))
            state = self._commit(self._cached_vectors(new))
            self._embed_pending(state, report, progress)
        return report

    def complete_pending(self, progress: Progress | None = None) -> IngestReport:
        """Embed chunks left without vectors (e.g. after an interrupted ingest)."""
        report = IngestReport()
        with self._writing():
            self._embed_pending(self.snapshot(), report, progress or _no_progress)
        return report

    # ----- internals -----------------------------------------------------------------

    def _load(self, name: str | None) -> LibraryState:
        if name is None:
            return LibraryState(embedding_model_id=self.model_id)
        state = read_snapshot(self.root, name)
        state = _with_version_facts(state)
        if state.embedding_model_id != self.model_id:
            # Another embedding model built these vectors: keep keywords, re-embed lazily.
            log.warning("embedding model changed (%s -> %s)", state.embedding_model_id, self.model_id)
            state = replace(state, embedding_model_id=self.model_id, vectors=VectorIndex())
        return state

    @contextmanager
    def _writing(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with self._write_lock, (self.root / "lock").open("w") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            try:
                self._state = None  # always start from what is on disk
                yield
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)

    def _commit(self, state: LibraryState) -> LibraryState:
        write_snapshot(self.root, state)
        self._prune_files(state)
        with self._state_lock:
            self._state = state
        return state

    def _process_files(
        self, state: LibraryState, files: list[Path], report: IngestReport, progress: Progress
    ) -> list[ProcessedDocument]:
        by_name = {d.filename: d for d in state.documents.values()}
        processed: list[ProcessedDocument] = []
        for i, path in enumerate(files):
            progress("parse", i, len(files), path.name)
            result, doc = self._process_one(path, path.name, None, by_name.get(path.name), progress)
            report.results.append(result)
            if doc is not None:
                processed.append(doc)
                report.n_chars += doc.meta.n_chars
        progress("parse", len(files), len(files), "")
        return processed

    def _process_one(
        self, path: Path, filename: str, sha: str | None, existing: DocumentMeta | None,
        progress: Progress | None = None,
    ) -> tuple[FileResult, ProcessedDocument | None]:
        report_pages = progress or _no_progress
        try:
            sha = sha or file_sha256(path)
            if existing and existing.sha256 == sha and existing.processing == self._signature():
                return FileResult(str(path), "unchanged", "内容未变化，已跳过", existing.doc_id), None
            doc = process_file(
                path, filename=filename, sha256=sha, max_bytes=self._max_bytes(),
                options=self._chunking(), limits=self._parse_limits(),
                on_progress=lambda done, total, detail: report_pages("pages", done, total, detail or filename),
                ocr=self._ocr_options(),
            )
            if not doc.chunks:
                raise LoadError(f"{filename}：未能提取到任何正文内容")
            doc.meta = with_facts(doc.meta, parse_version_facts(doc.blocks, doc.meta))
            self._store_file(path, sha, filename)
        except LoadError as exc:
            return FileResult(str(path), "rejected", str(exc)), None
        except Exception as exc:  # a parser bug must not stop the batch
            log.exception("failed to process %s", path)
            return FileResult(str(path), "rejected", f"{filename}：处理失败（{exc}）"), None
        status: FileStatus = "replaced" if existing is not None else "ingested"
        doc.meta.ingested_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        message = f"{len(doc.chunks)} 个段落"
        return FileResult(str(path), status, message, doc.meta.doc_id, len(doc.chunks)), doc

    def _embed_pending(self, state: LibraryState, report: IngestReport, progress: Progress) -> None:
        """Embed chunks without vectors in batches, publishing progress as snapshots."""
        cfg = self.settings.ingest
        have = self.cache.get_many(state.index_hashes)
        missing = missing_texts(state, have)
        if not missing and state.vectors.size == len(state.chunks):
            return
        started = time.perf_counter()
        keys = list(missing)
        since_commit = 0
        for start in range(0, len(keys), cfg.embed_batch_size):
            batch = keys[start : start + cfg.embed_batch_size]
            progress("embed", start, len(keys), "")
            vectors = _embed_passages(self.ingest_embeddings, [missing[k] for k in batch])
            self.cache.put_many(batch, vectors)
            have.update(zip(batch, vectors, strict=True))
            since_commit += len(batch)
            if since_commit >= cfg.commit_every_chunks and start + len(batch) < len(keys):
                state = self._commit(with_vectors(state, have))
                since_commit = 0
        progress("embed", len(keys), len(keys), "")
        report.embedded_chunks += len(keys)
        report.seconds["embed"] = report.seconds.get("embed", 0.0) + time.perf_counter() - started
        started = time.perf_counter()
        self._commit(with_vectors(state, have))
        report.seconds["index"] = report.seconds.get("index", 0.0) + time.perf_counter() - started

    def _cached_vectors(self, state: LibraryState) -> LibraryState:
        """Attach every vector the cache already holds, so only new text waits for embedding."""
        return with_vectors(state, self.cache.get_many(state.index_hashes))

    def _embed_query(self, query: str) -> np.ndarray:
        return np.asarray(self.embeddings.embed_query(query), dtype=np.float32)

    def _keep_user_edits(self, state: LibraryState) -> dict[str, DocumentMeta]:
        return {d.doc_id: d for d in state.documents.values() if d.user_edited}

    def _stored_file(self, sha: str, filename: str) -> Path:
        return self.files_dir / f"{sha}{Path(filename).suffix.lower()}"

    def _store_file(self, path: Path, sha: str, filename: str) -> None:
        """Keep a content-addressed copy, so rebuild needs no access to the original."""
        target = self._stored_file(sha, filename)
        if target.exists():
            return
        self.files_dir.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        shutil.copyfile(path, tmp)
        tmp.replace(target)

    def _prune_files(self, state: LibraryState) -> None:
        keep = {self._stored_file(d.sha256, d.filename).name for d in state.documents.values()}
        if self.files_dir.exists():
            for path in self.files_dir.iterdir():
                if path.name not in keep and not path.name.endswith(".tmp"):
                    path.unlink(missing_ok=True)

    def _parse_limits(self) -> ParseLimits | None:
        cfg = self.settings.ingest
        if not cfg.isolate_parsing:
            return None
        return ParseLimits(cfg.parse_timeout_s, cfg.parse_max_total_s, cfg.parse_max_memory_mb)

    def _ocr_options(self) -> OcrOptions:
        """Scans: results cached in the library (a re-ingest or rebuild never repeats OCR)."""
        cfg = self.settings.ingest
        return OcrOptions(self.root / "ocr_cache", cfg.max_ocr_pages, cfg.ocr_threads)

    def _max_bytes(self) -> int:
        return int(self.settings.ingest.max_file_mb * 1024 * 1024)

    def _signature(self) -> str:
        """The rules and chunk sizes this library now processes documents with."""
        return processing_signature(self._chunking())

    def _chunking(self) -> ChunkingOptions:
        cfg = self.settings.ingest
        return ChunkingOptions(cfg.chunk_max_chars, cfg.chunk_min_chars, cfg.chunk_overlap_chars)


def _with_version_facts(state: LibraryState) -> LibraryState:
    """Read version facts for documents ingested before they were recorded (no re-embedding)."""
    missing = [d for d in state.documents.values() if not d.version_source]
    if not missing:
        return state
    documents = dict(state.documents)
    for doc in missing:
        facts = parse_version_facts(state.blocks.get(doc.doc_id, []), doc)
        documents[doc.doc_id] = with_facts(doc, facts)
    return replace(state, documents=documents)


def _no_progress(stage: str, done: int, total: int, detail: str) -> None:
    return None


def _expand(paths: Iterable[Path | str]) -> Iterator[Path]:
    """Files as given, and supported files inside folders (sorted, hidden ones skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and child.suffix.lower() in SUPPORTED_SUFFIXES:
                    yield child
        else:
            yield path


def _embed_passages(embeddings: Embeddings, texts: list[str]) -> np.ndarray:
    fast = getattr(embeddings, "embed_documents_array", None)
    vectors = fast(texts) if fast else embeddings.embed_documents(texts)
    return np.asarray(vectors, dtype=np.float32)


__all__ = ["FileResult", "IngestReport", "Library", "doc_id_for"]
