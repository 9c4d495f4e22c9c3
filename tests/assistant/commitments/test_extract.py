"""Plan and 不足 extraction on the fictional pair (DOCX via the library) and a national report."""

from pathlib import Path

from assistant.commitments.extract import extract_items, is_promise, split_sentences
from index.models import Block, ParsedFile
from index.structure import parse_structure

from .conftest import PLAN_FILE


def _blocks_of_text(path: Path):
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return parse_structure(ParsedFile(path, "txt", [Block(line) for line in lines]))


def test_sample_plan_gives_twelve_commitments_and_four_shortcomings(sample_library):
    doc = sample_library.get_document(PLAN_FILE)
    items = extract_items(sample_library.blocks_of(doc.doc_id))
    commitments = [i for i in items if i.kind == "commitment"]
    shortcomings = [i for i in items if i.kind == "shortcoming"]
    assert len(commitments) == 12
    assert len(shortcomings) == 4
    first = commitments[0]
    assert first.text.startswith("一是持续深化学法用法")
    assert "下一年度工作计划" in first.location
    assert [t.text for t in first.targets] == ["不少于4次", "不少于2期"]
    assert "主要原因" not in shortcomings[0].text  # the cause is no part of what must be fixed


def test_national_report_plan_section_at_scale(corpus_dir):
    path = next((corpus_dir / "national_reports_1997_2012").glob("2004_*.txt"))
    items = extract_items(_blocks_of_text(path), shortcomings=False)
    texts = [i.text for i in items]
    assert len(items) > 100  # dozens of tasks in 二、2004年主要任务 and 三、加强政府自身建设
    growth = next(i for i in items if "经济增长预期目标为7%左右" in i.text)
    assert growth.targets[0].bound == "approx"
    assert any("1100亿元" in t for t in texts)
    # nothing from the review part (一、一年来工作回顾)
    assert all("一年来工作回顾" not in " ".join(i.heading_path) for i in items)


def test_promise_words_ignore_zhuyao_and_zhongyao():
    assert not is_promise("这是一个重要的主要问题。")
    assert is_promise("要严格落实执法人员持证上岗。")
    assert split_sentences("一要完善政策。二要严格准入。") == ["一要完善政策。", "二要严格准入。"]
