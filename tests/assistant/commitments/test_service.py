"""The check end to end: real library, rule judgement, a fake chat model, exports."""

import csv

import docx
import openpyxl
import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.commitments import (
    DONE,
    MISSING,
    PARTLY,
    CheckError,
    CommitmentService,
    judge_items,
    table_rows,
)
from assistant.commitments.decisions import DecisionStore
from assistant.commitments.export import STATUS_COLOURS, export_result
from assistant.commitments.model_judge import BATCH_SIZE
from assistant.commitments.models import HIGH, PENDING, Decision
from assistant.commitments.table import TABLE_HEADERS, summary_line

from .conftest import PLAN_FILE, REPORT_FILE, SAMPLES


@pytest.fixture(scope="module")
def rule_result(sample_library):
    return CommitmentService(sample_library).check(PLAN_FILE, against=REPORT_FILE)


def _verdict(result, prefix):
    return next(v for v in result.verdicts if v.commitment.text.startswith(prefix))


def test_rule_check_statuses_and_figures(rule_result):
    learning = _verdict(rule_result, "一是持续深化学法用法")
    assert learning.status == DONE
    assert "5次" in learning.found
    assert _verdict(rule_result, "四是落实公平竞争审查制度").status == MISSING
    assert _verdict(rule_result, "九是推动公务用车绿色转型").status == PARTLY
    assert len(rule_result.verdicts) == 16


def test_summary_says_how_the_items_were_judged(rule_result):
    assert summary_line(rule_result).startswith("共16项：")
    assert summary_line(rule_result).endswith("（按规则判断）")


def test_evidence_is_quoted_from_the_target_report(sample_library, rule_result):
    report_text = "".join(c.text for c in sample_library.chunks_of(
        sample_library.get_document(REPORT_FILE).doc_id)).replace("\n", "")
    quoted = [e for v in rule_result.verdicts for e in v.evidence]
    assert quoted
    assert all(e.text.replace("\n", "") in report_text for e in quoted)
    assert all(e.source == REPORT_FILE for e in quoted)


def test_only_uncertain_items_go_to_the_model_and_an_unparsable_reply_keeps_the_rule(sample_library):
    model = RecordingChatModel(responses=["我不确定。"], prompts=[])
    result = CommitmentService(sample_library, model).check(PLAN_FILE, against=REPORT_FILE)
    assert all(v.judged_by == "rule" for v in result.verdicts)  # nothing parsable came back
    sent = "\n".join(model.prompts)
    sure = [v for v in result.verdicts if v.confidence == HIGH]
    unsure = [v for v in result.verdicts if v.confidence != HIGH and v.review_evidence]
    assert sure
    assert unsure
    assert not any(v.commitment.text in sent for v in sure)
    assert all(v.commitment.text in sent for v in unsure)
    assert len(model.prompts) == -(-len(unsure) // BATCH_SIZE)  # batches, not one call per item


def test_compared_figures_are_not_left_to_the_model(sample_library):
    model = FakeListChatModel(responses=['{"status": "未体现", "reason": "x"}'])
    service = CommitmentService(sample_library, model)
    learning = service.extract(PLAN_FILE)[0]
    finder = service.evidence_finder(service.target_ids(PLAN_FILE, REPORT_FILE, None)[0])
    (verdict,) = judge_items([learning], finder, model)
    assert (verdict.status, verdict.judged_by) == (DONE, "rule")
    assert "5次" in verdict.found


def test_unknown_document_and_missing_target_are_reported(sample_library):
    service = CommitmentService(sample_library)
    with pytest.raises(CheckError, match="没有文档"):
        service.check("不存在.docx", against=REPORT_FILE)
    with pytest.raises(CheckError, match="核对对象"):
        service.check(PLAN_FILE)


def test_exports(rule_result, tmp_path):
    rows = table_rows(rule_result)
    with export_result(rule_result, tmp_path / "r.csv").open(encoding="utf-8-sig") as f:
        assert list(csv.reader(f)) == [TABLE_HEADERS, *rows]
    ws = openpyxl.load_workbook(export_result(rule_result, tmp_path / "r.xlsx"))["承诺核对"]
    status = ws.cell(row=2, column=TABLE_HEADERS.index("状态") + 1)
    assert status.fill.start_color.rgb.endswith(STATUS_COLOURS[status.value])
    table = docx.Document(str(export_result(rule_result, tmp_path / "r.docx"))).tables[0]
    assert len(table.rows) == len(rows) + 1
    assert table.rows[1].cells[2].text == rows[0][2]
    with pytest.raises(ValueError, match="不支持"):
        export_result(rule_result, tmp_path / "r.pdf")


def test_admitted_shortfall_makes_an_item_partly_done(rule_result):
    rules = _verdict(rule_result, "二是健全机关事务制度体系")
    assert rules.status == PARTLY
    assert any(e.role == "problem" and "未能按计划" in e.text for e in rule_result.verdicts[1].evidence)


def test_evidence_never_comes_from_the_target_plan_part(sample_library, rule_result):
    service = CommitmentService(sample_library)
    pool = service.review_pool([sample_library.get_document(REPORT_FILE).doc_id])
    assert pool
    assert not any("下一年度工作计划" in " ".join(s.heading_path) for s in pool)
    report = SAMPLES / "text" / REPORT_FILE.replace(".pdf", ".txt")
    plan_part = report.read_text(encoding="utf-8").split("四、下一年度工作计划")[1]
    plan_lines = [line for line in plan_part.split() if line[1] == "是"]  # 一是…六是
    quoted = [e.text for v in rule_result.verdicts for e in v.evidence]
    assert quoted
    assert not any(line[:15] in q for q in quoted for line in plan_lines)


class RecordingChatModel(FakeListChatModel):
    """A fake chat model that keeps the prompts it was sent."""

    prompts: list = []

    def _call(self, messages, stop=None, run_manager=None, **kwargs):
        self.prompts.append(messages[-1].content)
        return super()._call(messages, stop, run_manager, **kwargs)


def test_model_is_told_which_evidence_admits_a_problem(sample_library):
    model = RecordingChatModel(responses=['{"status": "部分落实", "reason": "细则未出台。"}'], prompts=[])
    service = CommitmentService(sample_library, model)
    result = service.check(PLAN_FILE, against=REPORT_FILE)
    assert any("（摘自问题与不足部分）" in p for p in model.prompts)
    assert any(v.judged_by == "llm" for v in result.verdicts)


def test_decisions_kept_across_a_restart_and_shown_in_exports(sample_library, tmp_path):
    service = CommitmentService(sample_library)
    service.decisions = DecisionStore(tmp_path)  # the shared test library's folder stays clean
    result = service.check(PLAN_FILE, against=REPORT_FILE)
    assert result.plan_key
    assert result.target_key
    pending = [i for i, v in enumerate(result.verdicts) if v.final_status is None]
    index = pending[0] if pending else 0
    service.decide(result, [(index, Decision(PARTLY, "见报告第三部分", "张三", "2026-12-05 08:00"))])
    assert result.verdicts[index].shown_status == PARTLY
    restarted = CommitmentService(sample_library)  # a new process: nothing in memory
    restarted.decisions = DecisionStore(tmp_path)
    again = restarted.check(PLAN_FILE, against=REPORT_FILE)
    assert again.verdicts[index].decision == Decision(PARTLY, "见报告第三部分", "张三", "2026-12-05 08:00")
    row = dict(zip(TABLE_HEADERS, table_rows(again)[index], strict=True))
    assert (row["状态"], row["人工判断"], row["决定人"], row["决定时间"]) == (
        PARTLY, PARTLY, "张三", "2026-12-05 08:00")
    assert row["倾向"] in (DONE, PARTLY, MISSING)
    assert row["置信度"] in ("高", "中", "低")
    assert "人工确认1项" in summary_line(again)
    carried = restarted.carryover(PLAN_FILE)
    assert len(carried.items) == 12  # the plan's commitments, not its 不足 items
    if index < 12:
        assert carried.items[index].status == PARTLY


def test_pending_items_show_their_best_sentences(rule_result):
    pending = [v for v in rule_result.verdicts if v.final_status is None]
    counts = rule_result.counts()
    assert counts[PENDING] == len(pending)
    assert summary_line(rule_result).startswith(f"共16项：已落实{counts[DONE]}项")
    assert f"待确认{len(pending)}项" in summary_line(rule_result)
    for i, v in enumerate(rule_result.verdicts):
        row = dict(zip(TABLE_HEADERS, table_rows(rule_result)[i], strict=True))
        assert row["状态"] == (PENDING if v in pending else v.status)
        assert row["倾向"] == v.status
        if v in pending and len(v.review_evidence) > 1:
            assert len(row["证据"].split("\n")) == min(3, len(v.review_evidence))
