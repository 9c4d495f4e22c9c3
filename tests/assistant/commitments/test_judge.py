"""Rule judgement and robust parsing of model replies."""

import pytest

from assistant.commitments import DONE, MISSING, PARTLY, Commitment, Evidence, rule_verdict
from assistant.commitments.judge import parse_reply
from assistant.commitments.targets import extract_targets

PROMISE = "年内组织集中学法不少于4次。"


def _item(text=PROMISE):
    return Commitment(text=text, targets=extract_targets(text))


@pytest.mark.parametrize(("sentence", "status", "found"), [
    ("全年组织集中学法5次。", DONE, "5次"),
    ("全年组织集中学法3次。", PARTLY, "3次"),
])
def test_target_decides_between_done_and_partly(sentence, status, found):
    verdict = rule_verdict(_item(), [Evidence(sentence, score=0.9)])
    assert (verdict.status, verdict.found, verdict.promised) == (status, found, "不少于4次")
    assert verdict.reason.endswith("。")


def test_weak_or_no_evidence():
    assert rule_verdict(_item(), []).status == MISSING
    assert rule_verdict(_item(), [Evidence("开展普法宣传。", score=0.1)]).status == MISSING
    assert rule_verdict(_item("严格落实持证上岗。"), [Evidence("落实持证上岗。", score=0.4)]).status == PARTLY


@pytest.mark.parametrize(("reply", "expected"), [
    ('{"status": "已落实", "reason": "已完成。"}', ("已落实", "已完成。")),
    ('判断如下：\n```json\n{"status": "未体现", "reason": "无"}\n```', ("未体现", "无")),
    ("结论：部分落实，因为数量不足。", ("部分落实", "")),
    ('{"status": "完成"}', None),
    ("无法判断", None),
])
def test_parse_reply(reply, expected):
    assert parse_reply(reply) == expected


GROWTH = "今年经济增长预期目标为7%左右，既考虑了需要，也考虑了可能。"


def test_headline_figure_decides_even_when_worded_differently():
    figure = Evidence("2004年，国内生产总值达到13.65万亿元，比上年增长9.5%。", score=0.1)
    verdict = rule_verdict(_item(GROWTH), [Evidence("加快发展服务业。", score=0.2), figure])
    assert (verdict.status, verdict.found) == (DONE, "9.5%")
    assert figure in verdict.evidence  # the figure's sentence is quoted although its score is low
    missed = Evidence("全国没有实现年初确定的经济增长7%左右的目标。", score=0.1, role="problem")
    verdict = rule_verdict(_item(GROWTH), [missed])
    assert verdict.status == PARTLY
    assert "7%左右（实际未实现）" in verdict.reason


def test_measurable_promise_without_any_figure_is_not_done_on_wording():
    bonds = _item("今年拟发行建设国债1100亿元。")
    assert rule_verdict(bonds, [Evidence("投入国债资金用于生态建设。", score=0.4)]).status == MISSING
    verdict = rule_verdict(bonds, [Evidence("建设国债如期发行。", score=0.8)])
    assert verdict.status == PARTLY
    assert "可比的数字" in verdict.reason


def test_explicit_shortfall():
    item = _item("于6月底前出台《公务用车使用管理实施细则》。")
    done = Evidence("《公务用车使用管理实施细则》已形成征求意见稿。", score=0.6)
    late = Evidence("《公务用车使用管理实施细则》未能按计划年内出台。", score=0.7, role="problem")
    assert rule_verdict(item, [done, late]).status == PARTLY
    only_problem = rule_verdict(item, [late])
    assert only_problem.status == MISSING
    assert "问题仍然存在" in only_problem.reason


def test_table_marks_evidence_from_a_problem_passage():
    from assistant.commitments import Verdict
    from assistant.commitments.table import TABLE_HEADERS, verdict_row

    problem = Evidence("细则未能按计划年内出台。", score=0.7, role="problem")
    row = verdict_row(1, Verdict(_item(), PARTLY, "x", [problem]))
    assert row[TABLE_HEADERS.index("证据")] == "（问题部分）细则未能按计划年内出台。"
