"""Plan and 不足 extraction on the fictional pair (DOCX via the library) and a national report."""

from pathlib import Path

from assistant.commitments.extract import (
    extract_items,
    is_promise,
    plan_pieces,
    split_sentences,
    target_clauses,
)
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


def test_each_listed_target_is_its_own_item():
    # A fictional target sentence in the wording of recent reports (one long sentence of ；-clauses).
    text = ("今年发展的主要预期目标是：国内生产总值增长5%左右；城镇新增就业1200万人左右，城镇调查失业率"
            "5.5%左右；居民消费价格涨幅3%左右；居民收入增长和经济增长同步；进出口促稳提质，国际收支基本"
            "平衡；粮食产量1.3万亿斤以上。")
    pieces = [p for p, listed in plan_pieces(text) if listed]
    assert pieces == ["国内生产总值增长5%左右", "城镇新增就业1200万人左右", "城镇调查失业率5.5%左右",
                      "居民消费价格涨幅3%左右", "居民收入增长和经济增长同步", "进出口促稳提质",
                      "国际收支基本平衡", "粮食产量1.3万亿斤以上"]
    # a frame stays with the target it frames; a task sentence is no list of targets
    assert target_clauses("主要目标是：在优化结构的基础上，国内生产总值增长8%左右；国际收支改善。") == [
        "在优化结构的基础上，国内生产总值增长8%左右", "国际收支改善"]
    assert target_clauses("要加快发展服务业，提高服务业比重。") is None


def test_tasks_with_a_figure_are_never_dropped():
    blocks = parse_structure(ParsedFile(Path("示例.txt"), "txt", [
        Block("二、今年主要任务", style="heading1"),
        Block("新建铁路营业里程2000公里以上。新能源汽车推广应用380万辆。去年超收收入500亿元。"),
    ]))
    texts = [i.text for i in extract_items(blocks, shortcomings=False)]
    assert "新建铁路营业里程2000公里以上。" in texts
    assert "新能源汽车推广应用380万辆。" in texts
    assert not any("去年超收" in t for t in texts)  # a figure about the past is background
    railway = extract_items(blocks, shortcomings=False)[0]
    assert [(t.value, t.unit, t.bound) for t in railway.targets] == [(2000.0, "公里", "min")]


def test_target_sentences_of_the_national_reports_split_into_items(corpus_dir):
    wanted = {"2005": ["国际收支保持基本平衡", "居民消费价格总水平涨幅控制在4%", "城镇登记失业率控制在4.6%"],
              "2009": ["城乡居民收入稳定增长", "居民消费价格总水平涨幅4%左右", "国际收支状况继续改善"],
              "2011": ["经济结构进一步优化", "居民消费价格总水平涨幅控制在4%左右", "国际收支状况继续改善"],
              "2012": ["居民消费价格涨幅控制在4％左右", "进出口总额增长10％左右", "国际收支状况继续改善"]}
    for year, clauses in wanted.items():
        path = next((corpus_dir / "national_reports_1997_2012").glob(f"{year}_*.txt"))
        items = {i.text: i for i in extract_items(_blocks_of_text(path), shortcomings=False)}
        for clause in clauses:
            assert clause in items, (year, clause)
            assert items[clause].listed
