"""Per-file limits at the library: a zip bomb or a parse past its time is refused by name, the batch goes on."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from assistant.components.embeddings import embedding_model_id, make_embeddings
from assistant.settings import Settings
from index.library import Library
from tests.index.test_guard import GB, _docx_bomb


@pytest.fixture(scope="module")
def embedder():
    cfg = Settings().embedding
    return make_embeddings(cfg), embedding_model_id(cfg)


def test_library_refuses_the_bomb_and_keeps_the_rest_of_the_batch(tmp_path: Path, embedder) -> None:
    settings = Settings()
    folder = tmp_path / "docs"
    folder.mkdir()
    _docx_bomb(folder / "炸弹.docx", GB)
    (folder / "示例通知.txt").write_text("示例市机关事务管理局关于办公用房巡检的通知\n\n" * 20, encoding="utf-8")
    library = Library(tmp_path / "data", embedder[0], settings, model_id=embedder[1])
    started = time.perf_counter()
    report = library.ingest([folder])
    assert time.perf_counter() - started < 30
    by_name = {Path(r.path).name: r for r in report.results}
    assert by_name["炸弹.docx"].status == "rejected"
    assert "炸弹.docx" in by_name["炸弹.docx"].message
    assert "压缩炸弹" in by_name["炸弹.docx"].message
    assert by_name["示例通知.txt"].status == "ingested"
    assert [d.filename for d in library.documents()] == ["示例通知.txt"]


def test_library_stops_a_parse_past_its_time_limit(tmp_path: Path, embedder) -> None:
    settings = Settings()
    settings.ingest.parse_timeout_s = 0.05  # far below what 40 MB of text takes to decode and split
    big = tmp_path / "超长文件.txt"
    big.write_text("第一条 示例市办公用房管理。\n" * 500_000, encoding="utf-8")
    library = Library(tmp_path / "data", embedder[0], settings, model_id=embedder[1])
    result = library.ingest([big]).results[0]
    assert result.status == "rejected"
    assert "超长文件.txt" in result.message
    assert "解析超时" in result.message
    assert library.documents() == []
