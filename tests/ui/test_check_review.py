"""The review panel's HTML: the promise, the lean, evidence with matching words marked; carry-over."""

from __future__ import annotations

from assistant.commitments import CheckResult, Commitment, Decision, Evidence, Verdict
from assistant.commitments.carryover import CarriedItem, Carryover
from assistant.ui.check_render import carryover_html, highlight, result_html, review_html


def _pending() -> Verdict:
    item = Commitment("推进公务用车<绿色>转型，新增新能源汽车比例不低于60%。", heading_path=("四、下一年度工作计划",))
    evidence = [Evidence("公务用车绿色转型稳步推进，新增新能源汽车12辆。", 0.55, source="2025年报告.pdf",
                         section="一、主要举措", page=2),
                Evidence("部分区县充电设施建设滞后。", 0.4, role="problem", source="2025年报告.pdf")]
    return Verdict(item, "部分落实", "未报告可比数字。", evidence[:1], candidates=evidence, confidence="低")


def test_pending_item_shows_lean_evidence_marks_and_location() -> None:
    html = review_html(3, _pending())
    assert "第3项" in html
    assert "四、下一年度工作计划" in html
    assert "&lt;绿色&gt;" in html  # the promise is escaped
    assert "工具倾向：<b>部分落实</b>（置信度低）" in html
    assert "<mark>公务用车</mark>" in html
    assert "2025年报告.pdf，一、主要举措，第2页" in html
    assert "（问题部分）部分区县" in html  # all candidates are laid out, the admitted problem marked


def test_decided_item_says_who_and_when() -> None:
    verdict = _pending()
    verdict.decision = Decision("已落实", "见附表", "张三", "2026-12-05 08:00")
    html = review_html(1, verdict)
    assert "人工判断：<b>已落实</b>（张三，2026-12-05 08:00，备注：见附表）" in html
    table = result_html(CheckResult("2024年报告", "2025年报告", [verdict, _pending()]))
    assert 'class="pda-status pda-done">已落实' in table
    assert 'class="pda-status pda-pending">待确认' in table
    assert "待确认1项" in table


def test_highlight_marks_overlapping_words_once() -> None:
    marked = highlight("新能源汽车推广", "新能源汽车比例和汽车推广")
    assert marked.count("<mark>") >= 1
    assert marked.replace("<mark>", "").replace("</mark>", "") == "新能源汽车推广"


def test_carryover_table_colours_statuses() -> None:
    carry = Carryover("2024年报告", [CarriedItem("一是学法。", "第1段", "已落实", "核对结果"),
                                     CarriedItem("二是普法。", "第2段", "未核对")], "2025年报告", "2026-12-05 08:00")
    html = carryover_html(carry)
    assert 'class="pda-status pda-done">已落实' in html
    assert "未核对" in html
    assert "对照“2025年报告”" in html
