"""One file in, one processed document out: load → 公文 structure → chunks → metadata."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from index.chunker import chunk_document
from index.loaders.ocr import OcrOptions
from index.loaders.sandbox import ParseLimits, ProgressCallback, parse_file
from index.metadata import detect_metadata
from index.models import Chunk, DocumentMeta, StructuredBlock
from index.places import document_places
from index.structure import parse_structure
from index.tokenizer import tokenize


@dataclass
class ProcessedDocument:
    meta: DocumentMeta
    blocks: list[StructuredBlock]
    chunks: list[Chunk]
    tokens: list[list[str]]  # BM25 tokens of each chunk's index text
    index_texts: list[str]  # what is embedded: title, section and text


@dataclass(frozen=True)
class ChunkingOptions:
    max_chars: int = 500
    min_chars: int = 200
    overlap_chars: int = 60


# Bump when parsing, structure, chunking, title detection or tokenising rules change. Documents
# processed under other rules are then reported as outdated until they are re-processed
# (`rebuild`, or ingesting the file again); unchanged chunks keep their cached embeddings.
PIPELINE_VERSION = 3  # 3: the document's place names (本市 → 天津市 天津) are keyword-indexed


def processing_signature(options: ChunkingOptions) -> str:
    """What built a document's chunks: the rules version and the chunk sizes."""
    return f"v{PIPELINE_VERSION}:{options.max_chars}/{options.min_chars}/{options.overlap_chars}"


def doc_id_for(filename: str) -> str:
    """Stable id from the file name, so a new version of a file replaces the old one."""
    return "d" + hashlib.sha1(filename.encode("utf-8")).hexdigest()[:10]


def process_file(
    path: Path, *, filename: str, sha256: str, max_bytes: int, options: ChunkingOptions,
    limits: ParseLimits | None = None, on_progress: ProgressCallback | None = None,
    ocr: OcrOptions | None = None,
) -> ProcessedDocument:
    """Parse and chunk one file; raises index.models.LoadError with a user-facing message.

    With `limits`, the file is parsed in a child process that is killed when it runs out of
    time or memory (see index/loaders/sandbox.py); `on_progress` receives a loader's page steps.
    """
    parsed = parse_file(
        path, max_bytes=max_bytes, limits=limits, on_progress=on_progress, filename=filename, ocr=ocr
    )
    blocks = parse_structure(parsed)
    doc_id = doc_id_for(filename)
    chunks = chunk_document(
        blocks, doc_id, max_chars=options.max_chars, min_chars=options.min_chars,
        overlap_chars=options.overlap_chars,
    )
    detected = detect_metadata(parsed, blocks)
    pages = [b.page for b in parsed.blocks if b.page]
    meta = DocumentMeta(
        doc_id=doc_id, filename=filename, sha256=sha256, kind=parsed.kind,
        title=detected.get("title") or Path(filename).stem,
        issuer=detected.get("issuer") or "", year=detected.get("year"),
        publish_date=detected.get("publish_date") or "",
        doc_number=detected.get("doc_number") or "",
        doc_type=detected.get("doc_type") or "other",
        n_chars=sum(len(b.text) for b in parsed.blocks), n_chunks=len(chunks),
        pages=max(pages) if pages else None, warnings=list(parsed.warnings), ocr_pages=list(parsed.ocr_pages),
        processing=processing_signature(options),
    )
    index_texts = [index_text(meta.title, chunk) for chunk in chunks]
    # Keywords only: the embedded text stays the same, so cached vectors are reused.
    places = tokenize(" ".join(places_of(meta, blocks)))
    tokens = [tokenize(t) + places for t in index_texts]
    return ProcessedDocument(meta, blocks, chunks, tokens, index_texts)


def places_of(meta: DocumentMeta, blocks: list[StructuredBlock]) -> list[str]:
    """Names of the place a document calls 本市/本省, from its issuer, title and text."""
    lead = "\n".join(b.text for b in blocks[:4])
    return document_places(meta.title, meta.issuer, lead, "\n".join(b.text for b in blocks))


def index_text(title: str, chunk: Chunk) -> str:
    """Text that is embedded and keyword-indexed: the title and section give context."""
    head = " ".join(part for part in (title, chunk.section) if part)
    return f"{head}\n{chunk.text}" if head else chunk.text
