"""Measurable targets: parsing 不少于/控制在/左右 and comparing with figures found."""

import pytest

from assistant.commitments.targets import (
    IndicatorFinding,
    extract_targets,
    find_figures,
    indicator_figure,
    indicator_finding,
    indicator_of,
    matching_figure,
    target_met,
)


def test_min_target_with_chinese_numeral():
    (target,) = extract_targets("年度学法不少于两次。")
    assert (target.value, target.unit, target.bound, target.text) == (2, "次", "min", "不少于两次")


def test_cap_and_approx_targets():
    targets = extract_targets("城镇新增就业900万人，城镇登记失业率控制在4.7%左右。")
    assert [(t.value, t.unit, t.bound) for t in targets] == [(900, "万人", "exact"), (4.7, "%", "max")]
    (growth,) = extract_targets("今年经济增长预期目标为7%左右。")
    assert growth.bound == "approx"
    assert target_met(growth, 9.5)
    assert not target_met(growth, 5.0)


def test_wording_numbers_and_years_are_not_targets():
    assert extract_targets("建立一个机制，于2025年完成第3批。") == []


@pytest.mark.parametrize(("found", "met"), [(5, True), (4, True), (3, False)])
def test_min_target_met(found, met):
    (target,) = extract_targets("集中学法不少于4次")
    assert target_met(target, found) is met


def test_matching_figure_prefers_same_context():
    (target,) = extract_targets("举办法治专题培训不少于2期")
    figure = matching_figure(target, "全年集中学法5次，举办全体干部法治专题培训2期，累计186人次。")
    assert figure is not None
    assert (figure.value, figure.unit) == (2, "期")
    assert [f.unit for f in find_figures("累计186人次，合同74份")] == ["人次", "份"]


def test_unrelated_figure_with_the_same_unit_is_not_paired():
    (bonds, _) = extract_targets("今年拟发行建设国债1100亿元，比上年减少300亿元。")
    assert matching_figure(bonds, "中央财政安排扶贫资金122亿元，农村贫困人口比上年减少290万。") is None


def test_headline_indicators_are_found_by_name():
    growth, jobs, cap = extract_targets("国内生产总值增长8%左右；城镇新增就业900万人，城镇登记失业率控制在4.6%。")
    assert [indicator_of(t) for t in (growth, jobs, cap)] == ["国内生产总值", "城镇新增就业", "城镇登记失业率"]
    review = ["全年国内生产总值达到18.23万亿元，比上年增长9.9%；居民消费价格总水平上涨1.8%。",
              "城镇新增就业人口970万人。"]
    assert indicator_finding(growth, review) == IndicatorFinding(review[0], "9.9%", True)
    assert indicator_finding(jobs, review).found == "970万人"
    assert indicator_finding(cap, review) is None  # not reported: not compared with another figure


def test_energy_intensity_is_not_gdp_and_an_explicit_miss_counts():
    (energy,) = extract_targets("单位国内生产总值能耗降低4%左右。")
    assert indicator_of(energy) == "单位国内生产总值能耗"
    review = ["2006年，单位国内生产总值能耗由上升转为下降1.23%。",
              "但是，全国没有实现年初确定的单位国内生产总值能耗降低4%左右的目标。"]
    finding = indicator_finding(energy, review)
    assert (finding.found, finding.met) == ("未实现", False)
    assert indicator_figure("国内生产总值", "%", review[0]) is None
    assert indicator_of(extract_targets("集中学法不少于4次")[0]) is None
    (ratio,) = extract_targets("财政赤字占国内生产总值比重在3%以内。")
    assert indicator_of(ratio) is None  # a share of GDP, not its growth
