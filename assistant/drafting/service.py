"""DraftService: the drafting use cases over a Library and an optional chat model."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel

from assistant.drafting.composer import compose_draft, note_lines
from assistant.drafting.docx_export import export_docx
from assistant.drafting.models import Draft, DraftRequest, Skeleton, SourcePassage
from assistant.drafting.render import render_html, render_markdown
from assistant.drafting.revise import revise_draft
from assistant.drafting.sections import section_type
from assistant.drafting.skeleton import build_skeleton
from index.models import DocumentMeta, StructuredBlock


class LibraryLike(Protocol):
    """The part of index.library.Library the drafting service uses."""

    def search(self, query: str, *, k: int = 5, doc_ids: Any = None, doc_types: Any = None,
               years: Any = None) -> list[Document]: ...

    def documents(self) -> list[DocumentMeta]: ...

    def blocks_of(self, doc_id: str) -> list[StructuredBlock]: ...


class DraftService:
    """Section drafts, report skeletons, revisions and exports for the CLI and the UI."""

    def __init__(self, library: LibraryLike | None, chat_model: BaseChatModel | None, *,
                 n_regulations: int = 2) -> None:
        self.library = library
        self.chat_model = chat_model
        self.n_regulations = n_regulations

    def draft_section(self, request: DraftRequest,
                      last_year_blocks: Sequence[StructuredBlock] | None = None) -> Draft:
        """Draft one section from the notes, last year's report and regulation passages."""
        started, title = time.perf_counter(), ""
        if last_year_blocks is None:
            meta = self.last_year_report(request.year, request.unit, request.last_year_doc_id)
            last_year_blocks = self._blocks(meta)
            title = meta.title if meta else ""
        draft = compose_draft(request, last_year_blocks, self.regulations(request),
                              self.chat_model, last_year_title=title)
        draft.elapsed_s = time.perf_counter() - started  # retrieval included
        return draft

    def skeleton(self, year: int, unit: str = "", doc_id: str | None = None) -> Skeleton | None:
        """This year's outline from last year's report; None when no such report is found."""
        meta = self.last_year_report(year, unit, doc_id)
        if meta is None:
            return None
        return build_skeleton(self._blocks(meta), year, unit, meta.title)

    def revise(self, draft: Draft, operation: str, instruction: str = "") -> Draft:
        """Shorten / expand / formalise / rewrite a draft, keeping its [n] citations."""
        return revise_draft(draft, operation, self.chat_model, instruction)

    def last_year_report(self, year: int, unit: str = "", doc_id: str | None = None
                         ) -> DocumentMeta | None:
        """The report of year - 1 (or the document chosen), preferring the same unit."""
        if self.library is None:
            return None
        docs = self.library.documents()
        if doc_id:
            return next((d for d in docs if doc_id in (d.doc_id, d.filename)), None)
        reports = [d for d in docs if d.year == year - 1 and
                   (d.doc_type == "report" or "报告" in d.title)]
        return max(reports, key=lambda d: _unit_overlap(d, unit), default=None)

    def regulations(self, request: DraftRequest) -> list[SourcePassage]:
        """The regulation passages most relevant to the section and the notes."""
        if self.library is None or self.n_regulations <= 0:
            return []
        query = " ".join([section_type(request.section).label, *note_lines(request.notes)[:3]])
        docs = self.library.search(query[:200], k=self.n_regulations, doc_types=["regulation"])
        return [_passage(i, doc) for i, doc in enumerate(docs, 1)]

    @staticmethod
    def to_markdown(drafts: Draft | Sequence[Draft], title: str = "") -> str:
        """Markdown with unverified items in <mark>."""
        return render_markdown(drafts, title)

    @staticmethod
    def to_html(drafts: Draft | Sequence[Draft], title: str = "") -> str:
        """HTML fragment with unverified items in <mark>."""
        return render_html(drafts, title)

    @staticmethod
    def export_docx(drafts: Draft | Sequence[Draft], path: str | Path, title: str = "") -> Path:
        """Write a GB/T 9704-styled .docx."""
        return export_docx(drafts, path, title)

    def _blocks(self, meta: DocumentMeta | None) -> list[StructuredBlock]:
        return self.library.blocks_of(meta.doc_id) if meta and self.library else []


def _unit_overlap(meta: DocumentMeta, unit: str) -> int:
    return len(set(unit) & set(meta.issuer + meta.title + meta.filename))


def _passage(n: int, doc: Document) -> SourcePassage:
    meta = doc.metadata
    section = meta.get("article") or meta.get("section") or ""
    return SourcePassage(n, doc.page_content, meta.get("title", ""), section,
                         meta.get("doc_id", ""), "regulation")
