"""Confidence of rule verdicts: what makes a verdict stand (高) and what puts it to the user."""

from assistant.commitments.confidence import ConfidenceBar, assess, margin, raise_one
from assistant.commitments.judge import rule_verdict
from assistant.commitments.models import (
    DONE,
    HIGH,
    LOW,
    MEDIUM,
    MISSING,
    PARTLY,
    Commitment,
    Evidence,
)
from assistant.commitments.targets import extract_targets

BAR = ConfidenceBar(sure_done=0.8, sure_margin=0.15, sure_lexical=0.6, sure_absent=0.2)


def _item(text: str) -> Commitment:
    return Commitment(text, targets=extract_targets(text))


def _ev(text: str, score: float, *, lexical: float | None = None, runner_up: float | None = None,
        role: str = "report") -> Evidence:
    return Evidence(text, score, lexical=score if lexical is None else lexical,
                    semantic=0.0 if lexical is None else score, runner_up=runner_up, role=role)


def test_headline_figure_compared_is_sure():
    item = _item("国内生产总值增长8%左右。")
    verdict = rule_verdict(item, [_ev("国内生产总值增长9.9%。", 0.5, runner_up=0.45)])
    assert (verdict.status, verdict.basis) == (DONE, "figures_met")
    assert assess(verdict, BAR) == HIGH


def test_clear_sentence_standing_out_is_sure_a_close_runner_up_is_not():
    item = _item("推进公务用车制度改革。")
    clear = rule_verdict(item, [_ev("公务用车制度改革全面完成。", 0.9, runner_up=0.5)])
    close = rule_verdict(item, [_ev("公务用车制度改革全面完成。", 0.9, runner_up=0.85)])
    assert clear.status == close.status == DONE
    assert assess(clear, BAR) == HIGH
    assert margin(close) < BAR.sure_margin
    assert assess(close, BAR) == MEDIUM


def test_a_match_on_meaning_alone_goes_to_review():
    item = _item("完善国土资源管理体制。")
    verdict = rule_verdict(item, [_ev("依法加强用地管理。", 0.95, lexical=0.2, runner_up=0.3)])
    assert verdict.status == DONE
    assert assess(verdict, BAR) == MEDIUM


def test_nothing_near_is_a_sure_miss_a_middling_sentence_is_not():
    item = _item("建立公共机构能耗监测平台。")
    nothing = rule_verdict(item, [_ev("召开全市机关事务工作会议。", 0.1, runner_up=0.05)])
    middling = rule_verdict(item, [_ev("公共机构节能宣传周活动。", 0.3, runner_up=0.1)])
    assert nothing.status == middling.status == MISSING
    assert assess(nothing, BAR) == HIGH
    assert assess(middling, BAR) != HIGH


def test_unreported_figure_and_weak_evidence_are_low():
    item = _item("新能源汽车比例不低于60%。")
    verdict = rule_verdict(item, [_ev("新能源汽车推广工作稳步推进。", 0.6, runner_up=0.2)])
    assert (verdict.status, verdict.basis) == (PARTLY, "figures_unreported")
    assert assess(verdict, BAR) == LOW


def test_raise_one_stops_at_high():
    assert [raise_one(c) for c in (LOW, MEDIUM, HIGH)] == [MEDIUM, HIGH, HIGH]
