"""Article alignment and word marking on the real versions in ../shared/corpus/regulation_versions."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.comparison.articles import Article, articles_of
from assistant.comparison.table import build_table, counts
from assistant.comparison.wording import renumbered_only, word_diff
from index.loaders import load_file
from index.structure import parse_structure


def _articles(path: Path) -> list[Article]:
    return articles_of(parse_structure(load_file(path, max_bytes=10**8)))


@pytest.fixture(scope="module")
def versions_dir() -> Path:
    path = Path(__file__).resolve().parents[3] / ".." / "shared" / "corpus" / "regulation_versions" / "docs"
    if not path.is_dir():
        pytest.skip("shared corpus not available")
    return path


def _row(rows, old: str | None = None, new: str | None = None):
    for row in rows:
        if (old is None or row.old_label == old) and (new is None or row.new_label == new):
            return row
    raise AssertionError(f"no row {old} → {new}")


def test_articles_keep_all_their_paragraphs(versions_dir: Path) -> None:
    arts = _articles(versions_dir / "中华人民共和国统计法_a.md")
    assert [a.number for a in arts[:3]] == [1, 2, 3]
    second = arts[1]
    assert second.label == "第二条"
    assert second.chapter == "第一章 总则"
    assert "\n" in second.body
    assert not second.body.startswith("第二条")


def test_inserted_article_does_not_pair_renumbered_ones_by_number(versions_dir: Path) -> None:
    old = _articles(versions_dir / "中华人民共和国统计法_a.md")  # 2009
    new = _articles(versions_dir / "中华人民共和国统计法_b.md")  # 2024
    rows = build_table(old, new)
    assert _row(rows, new="第六条").kind == "新增"
    moved = _row(rows, old="第六条")
    assert moved.new_label == "第七条"
    assert moved.kind == "修改"
    assert "条文序号由第六条调整为第七条" in moved.note
    fines = _row(rows, old="第四十一条")
    assert fines.new_label == "第四十四条"
    inserted = "".join(s.text for s in fines.new_segments if s.changed)
    assert "十万元" in inserted
    assert "五十万元" in inserted
    assert counts(rows) == {"修改": 20, "新增": 3, "删除": 0, "未变": 30}


def test_rewritten_and_split_articles_are_changes_not_additions(versions_dir: Path) -> None:
    old = _articles(versions_dir / "中华人民共和国立法法_a.md")  # 2015
    new = _articles(versions_dir / "中华人民共和国立法法_b.md")  # 2023
    rows = build_table(old, new)
    assert _row(rows, old="第三条").new_label == "第三条"  # rewritten in place
    split = _row(rows, new="第八十条")
    assert split.kind == "修改"
    assert split.old_label == "第七十二条"
    assert "单列" in split.note
    assert _row(rows, new="第七十九条").kind == "新增"
    assert len(rows) >= len(new)


def test_changed_words_are_marked_on_both_sides() -> None:
    old, new = word_diff("可以并处五万元以下的罚款。", "可以并处十万元以下的罚款。")
    assert [s.text for s in old if s.changed] == ["五万元"]
    assert [s.text for s in new if s.changed] == ["十万元"]
    assert "".join(s.text for s in new) == "可以并处十万元以下的罚款。"


def test_references_to_renumbered_articles_alone_are_not_a_change() -> None:
    mapping = {"第十二条": "第十四条"}
    assert renumbered_only("依照本法第十二条的规定办理。", "依照本法第十四条的规定办理。", mapping)
    assert not renumbered_only("依照本法第十二条的规定办理。", "依照本法第十四条的规定从严办理。", mapping)
