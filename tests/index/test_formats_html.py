"""Saved government web pages: the article without the page furniture, title/date/source as fields."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.loaders import load_file
from index.metadata import detect_metadata
from index.models import LoadError
from index.structure import parse_structure
from tests.fixtures.format_samples import PAGE_TITLE, info_page_html, write_gov_page, write_mhtml

MAX = 50 * 1024 * 1024
FURNITURE = ["首页", "机构设置", "当前位置", "分享到", "打印本页", "关闭窗口", "相关链接", "主办单位",
             "浏览次数", "字体", "ICP"]  # fmt: skip


def _assert_article_only(text: str) -> None:
    assert "办公区夏季空调温度设置不低于二十六摄氏度" in text
    assert "联系人：示例处张三" in text
    for word in FURNITURE:
        assert word not in text, word


@pytest.mark.parametrize("encoding", ["gb2312", "gbk", "utf-8"])
def test_article_only_and_charset(tmp_path: Path, encoding: str) -> None:
    parsed = load_file(write_gov_page(tmp_path / "通知.html", encoding=encoding), max_bytes=MAX)
    assert parsed.kind == "html"
    _assert_article_only(parsed.text)
    assert parsed.blocks[0].text == PAGE_TITLE
    assert parsed.blocks[0].style == "title"


def test_title_date_and_source_become_metadata(tmp_path: Path) -> None:
    parsed = load_file(write_gov_page(tmp_path / "page_1234.htm"), max_bytes=MAX)
    assert parsed.header_fields == {
        "标题": PAGE_TITLE, "发布日期": "2025-03-18", "发布单位": "示例市机关事务管理局",
    }  # fmt: skip
    meta = detect_metadata(parsed, parse_structure(parsed))
    assert meta["title"] == PAGE_TITLE
    assert meta["publish_date"] == "2025-03-18"
    assert meta["issuer"] == "示例市机关事务管理局"


def test_information_disclosure_table_gives_number_issuer_and_date(tmp_path: Path) -> None:
    path = tmp_path / "xxgk_1.html"
    path.write_text(info_page_html(), encoding="utf-8")
    parsed = load_file(path, max_bytes=MAX)
    assert parsed.header_fields["文号"] == "示机管〔2025〕3号"
    assert parsed.header_fields["索引号"] == "000000000/2025-00012"
    meta = detect_metadata(parsed, parse_structure(parsed))
    assert meta["doc_number"] == "示机管〔2025〕3号"
    assert meta["issuer"] == "示例市机关事务管理局"
    assert meta["publish_date"] == "2025-03-18"  # 发布日期, not 成文日期
    assert meta["title"] == PAGE_TITLE
    assert "索引号" not in parsed.text


SHORT_NOTICE = """<html><head><meta charset="utf-8"><title>关于印发示例办法的通知</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/zwgk">政务公开</a></div>
<div class="xxgk"><ul><li><b>索引号：</b>000000000/2025-00012</li><li><b>发布机构：</b>示例市机关事务管理局</li>
<li><b>文号：</b><span>示机管〔2025〕5号</span></li><li><b>发布日期：</b>2025-04-01</li></ul></div>
<div class="article"><h1>示例市机关事务管理局关于印发示例办法的通知</h1>
<div class="info">发布时间：2025-04-01　来源：示例市机关事务管理局　浏览次数：12</div>
<div class="content"><p>各单位：现将示例办法印发给你们，请遵照执行。本文件为虚构示例，仅用于测试。</p>
<p>第一条　为了规范管理，制定本办法。</p><p>第二条　本办法自印发之日起施行。</p></div></div></body></html>"""


def test_short_notice_with_a_list_of_disclosure_fields(tmp_path: Path) -> None:
    path = tmp_path / "notice.html"
    path.write_text(SHORT_NOTICE, encoding="utf-8")
    parsed = load_file(path, max_bytes=MAX)
    assert [b.text for b in parsed.blocks] == [
        "示例市机关事务管理局关于印发示例办法的通知",
        "各单位：现将示例办法印发给你们，请遵照执行。本文件为虚构示例，仅用于测试。",
        "第一条 为了规范管理，制定本办法。",
        "第二条 本办法自印发之日起施行。",
    ]  # a short article is still the article alone, without 首页 or the field list
    meta = detect_metadata(parsed, parse_structure(parsed))
    assert meta["doc_number"] == "示机管〔2025〕5号"
    assert meta["issuer"] == "示例市机关事务管理局"
    assert meta["publish_date"] == "2025-04-01"


def test_meta_tags_of_government_sites_are_used(tmp_path: Path) -> None:
    parsed = load_file(write_gov_page(tmp_path / "a.html", with_meta=True), max_bytes=MAX)
    assert parsed.header_fields["发布日期"] == "2025-03-18 10:00"
    assert detect_metadata(parsed, parse_structure(parsed))["publish_date"] == "2025-03-18"


def test_mhtml_web_archive(tmp_path: Path) -> None:
    parsed = load_file(write_mhtml(tmp_path / "通知.mhtml"), max_bytes=MAX)
    _assert_article_only(parsed.text)
    assert parsed.header_fields["标题"] == PAGE_TITLE


def test_enumerated_points_keep_their_structure(tmp_path: Path) -> None:
    parsed = load_file(write_gov_page(tmp_path / "通知.html"), max_bytes=MAX)
    point = next(b for b in parse_structure(parsed) if b.text.startswith("二、重点任务"))
    assert point.kind == "point"
    assert point.heading_path == (PAGE_TITLE, "二、重点任务")


def test_page_without_text_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "空页面.html"
    path.write_text("<html><head><title></title></head><body><script>var a=1;</script></body></html>")
    with pytest.raises(LoadError, match="空页面.html"):
        load_file(path, max_bytes=MAX)


def test_mhtml_without_html_part_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "存档.mht"
    path.write_text("MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhello\r\n")
    with pytest.raises(LoadError, match="存档.mht.*text/html"):
        load_file(path, max_bytes=MAX)
