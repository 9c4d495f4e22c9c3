"""Measurable targets: parsing 不少于/控制在/左右 and comparing with figures found."""

import pytest

from assistant.commitments.targets import extract_targets, find_figures, matching_figure, target_met


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
