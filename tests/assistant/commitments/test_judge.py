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
