"""LangChain retriever over the library's hybrid search, for use in chains."""

from __future__ import annotations

from datetime import date
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever


class HybridRetriever(BaseRetriever):
    """BM25 + FAISS fused by reciprocal rank, with document / type / year filters; regulations
    in the version in force on `as_of` (default: today, or a date the query names)."""

    library: Any  # index.library.Library (Any: pydantic cannot validate the class)
    k: int = 5
    doc_ids: list[str] | None = None
    doc_types: list[str] | None = None
    years: list[int] | None = None
    as_of: date | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return self.library.search(
            query, k=self.k, doc_ids=self.doc_ids, doc_types=self.doc_types, years=self.years,
            as_of=self.as_of,
        )
