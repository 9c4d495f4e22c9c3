from assistant.drafting.condense import key_sentences
from assistant.drafting.sections import SECTION_TYPES, find_section, section_type, top_level_groups
from assistant.drafting.skeleton import build_skeleton, shift_years


def test_top_level_groups_follow_the_outline(report_blocks):
    heads = [head for head, _ in top_level_groups(report_blocks) if head]
    assert heads[0] == "一、本年度推进法治政府建设的主要举措和成效"
    assert heads[-1] == "四、下一年度工作计划"


def test_sub_topic_matches_its_point(report_blocks):
    blocks = find_section(report_blocks, SECTION_TYPES["enforcement"])
    assert len(blocks) == 1
    assert blocks[0].text.startswith("二是严格规范公正文明执法")


def test_top_level_sections_match_by_heading(report_blocks):
    leader = find_section(report_blocks, SECTION_TYPES["leader"])
    plan = find_section(report_blocks, SECTION_TYPES["plan"])
    assert "专题学法4次" in leader[0].text
    assert plan[0].text.startswith("一是健全制度体系")


def test_free_topic_and_label_lookup():
    assert section_type("存在的不足和原因").key == "shortcomings"
    free = section_type("公务用车 管理")
    assert free.key == "free"
    assert free.keywords == ("公务用车", "管理")


def test_key_sentences_keep_title_substance_and_figures():
    text = "一是推进决策。严格执行议事规则，全年研究15次。重大决策均经审查。另有说明。"
    condensed = key_sentences([text], 300)
    assert condensed == "一是推进决策。严格执行议事规则，全年研究15次。"


def test_skeleton_moves_to_next_year_with_subheadings(report_blocks):
    title = "示例市机关事务管理局2024年法治政府建设情况报告"
    skeleton = build_skeleton(report_blocks, 2025, "示例市机关事务管理局", title)
    assert skeleton.title == "示例市机关事务管理局2025年法治政府建设情况报告"
    first = skeleton.sections[0]
    assert first.subheadings == ["推进依法科学民主决策", "严格规范公正文明执法", "打造数字法治政府"]
    assert "15次" in first.last_year_summary
    assert len(skeleton.sections) == 4


def test_shift_years_moves_both_years_once():
    assert shift_years("2024年总结和2025年计划", 2024) == "2025年总结和2026年计划"


def test_real_seed_report_sections_found(seeds_dir):
    from index.loaders import load_file
    from index.structure import parse_structure

    path = next(seeds_dir.glob("南通市*2024*.txt"))
    blocks = parse_structure(load_file(path, max_bytes=10_000_000))
    for key in ("measures", "decision", "enforcement", "oversight", "digital", "leader",
                "shortcomings", "plan"):
        assert find_section(blocks, SECTION_TYPES[key]), key
    skeleton = build_skeleton(blocks, 2025, "南通市机关事务管理局", path.stem)
    assert [s.heading[:2] for s in skeleton.sections] == ["一、", "二、", "三、", "四、"]
