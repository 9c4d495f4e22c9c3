"""Data passed along the ingest pipeline: file -> ParsedFile -> StructuredBlock -> Chunk.

Plain dataclasses (and one pydantic model for what is persisted) so every stage is easy to test.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

DocType = Literal["regulation", "report", "plan", "other"]

DOC_TYPE_LABELS: dict[str, str] = {
    "regulation": "法规制度",
    "report": "报告",
    "plan": "计划",
    "other": "其他",
}


class LoadError(Exception):
    """A file could not be turned into text; the message is shown to the user as is."""


@dataclass
class Block:
    """One paragraph-like unit of text as a loader found it."""

    text: str
    page: int | None = None  # 1-based page for PDFs, None elsewhere
    style: str | None = None  # e.g. "heading1".."heading9" (DOCX/Markdown), "table", "title"


@dataclass
class ParsedFile:
    """What a loader returns: ordered blocks plus metadata fields found in a header table."""

    path: Path
    kind: str  # "pdf" | "docx" | "txt" | "md"
    blocks: list[Block]
    header_fields: dict[str, str] = field(default_factory=dict)  # e.g. {"发布单位": "区政府办公室"}
    encoding: str | None = None  # detected encoding for text files
    warnings: list[str] = field(default_factory=list)
    ocr_pages: list[int] = field(default_factory=list)  # pages whose text came from OCR

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


BlockKind = Literal["heading", "article", "point", "paragraph", "table"]


@dataclass
class StructuredBlock:
    """A block placed in the document's 公文 structure."""

    text: str
    kind: BlockKind
    heading_path: tuple[str, ...] = ()  # headings above this block, outermost first
    article: str | None = None  # "第十二条" when inside an article of a regulation
    page: int | None = None


@dataclass
class Chunk:
    """A retrievable passage with everything needed to cite it."""

    doc_id: str
    ordinal: int  # position within the document
    text: str
    heading_path: tuple[str, ...] = ()
    article: str | None = None
    page: int | None = None
    page_end: int | None = None

    @property
    def chunk_id(self) -> str:
        return f"{self.doc_id}:{self.ordinal}"

    @property
    def content_hash(self) -> str:
        """Key of the embedding cache: the same text is never embedded twice."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def section(self) -> str:
        return " > ".join(self.heading_path)


class DocumentMeta(BaseModel):
    """Per-document metadata, detected at ingest and correctable by the user."""

    doc_id: str
    filename: str
    sha256: str = Field(description="Content hash of the source file, for change detection.")
    kind: str = Field(description="pdf / docx / txt / md")
    title: str = ""
    issuer: str = Field("", description="发文/发布单位")
    year: int | None = Field(None, description="Year the document covers (报告年度) or was issued.")
    publish_date: str = Field("", description="发布日期, ISO yyyy-mm-dd when known.")
    doc_number: str = Field("", description="文号, e.g. 国务院令第621号")
    doc_type: DocType = "other"
    n_chars: int = 0
    n_chunks: int = 0
    pages: int | None = None
    ingested_at: str = ""
    processing: str = Field(
        "", description="Rules that built the chunks (index.processing.processing_signature)."
    )
    user_edited: list[str] = Field(default_factory=list, description="Fields the user corrected.")
    warnings: list[str] = Field(default_factory=list)
    ocr_pages: list[int] = Field(
        default_factory=list, description="Pages read by OCR (scans): their text may contain errors."
    )
    # Version facts of a regulation (index/versions.py); ISO dates, "" when unknown.
    adopted: str = Field(default="", description="通过/批准 date of the original text.")
    revisions: list[str] = Field(
        default_factory=list, description='Each 修正/修订, oldest first: "2024-09-13 修正".'
    )
    promulgated: str = Field(default="", description="公布/发布 date.")
    effective: str = Field(default="", description="施行 date as the text states it.")
    repeals: list[str] = Field(default_factory=list, description="Titles it says it repeals.")
    repealed: str = Field(default="", description="Date the user says this document was repealed.")
    version_group: str = Field(
        default="", description='Version group key when the title misleads; "-" keeps it out of groups.'
    )
    version_source: str = Field(
        default="", description="Where the version dates come from: history / document / user."
    )
    version_note: str = Field(default="", description="Why the dates may be unreliable, for the user.")
