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
from assistant.commitments.export import STATUS_COLOURS, export_result
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


def test_llm_verdict_used_and_unparsable_reply_falls_back(sample_library):
    replies = ['{"status": "部分落实", "reason": "模块上线但留痕不完整。"}', "我不确定。"]
    model = FakeListChatModel(responses=replies)
    service = CommitmentService(sample_library, model)
    items = service.extract(PLAN_FILE)
    platform = next(i for i in items if i.text.startswith("七是推进数字法治政府建设"))
    staff = next(i for i in items if i.text.startswith("二是执法队伍建设有待加强"))
    finder = service.evidence_finder(service.target_ids(PLAN_FILE, REPORT_FILE, None)[0])
    first, second = judge_items([platform, staff], finder, model)
    assert (first.status, first.reason, first.judged_by) == (PARTLY, "模块上线但留痕不完整。", "llm")
    assert first.evidence
    assert "平台" in first.evidence[0].text  # quotes come from retrieval, not from the model
    assert second.judged_by == "rule"


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
