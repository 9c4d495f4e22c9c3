"""Decisions kept per plan + target content, CSV import, and the carry-over for drafting."""

import csv
import json

import pytest

from assistant.commitments.carryover import NOT_CHECKED, carried_items, carryover_markdown
from assistant.commitments.decisions import (
    DecisionFileError,
    DecisionStore,
    content_key,
    item_key,
    read_decisions_csv,
)
from assistant.commitments.export import export_csv
from assistant.commitments.models import (
    DONE,
    HIGH,
    LOW,
    MISSING,
    PARTLY,
    PENDING,
    CheckResult,
    Commitment,
    Decision,
    Verdict,
)


def _result(plan="p" * 8, target="t" * 8) -> CheckResult:
    items = [Commitment("一是完成办公用房维修改造3处。"), Commitment("二是推进公务用车绿色转型。"),
             Commitment("执法队伍建设有待加强。", kind="shortcoming")]
    verdicts = [Verdict(items[0], DONE, "实际3处。", confidence=HIGH),
                Verdict(items[1], PARTLY, "仅部分相关。", confidence=LOW),
                Verdict(items[2], MISSING, "未找到。", confidence=LOW)]
    return CheckResult("2024年报告", "2025年报告", verdicts, plan_key=content_key([plan]),
                       target_key=content_key([target]))


def test_decisions_survive_a_new_store_and_follow_the_content(tmp_path):
    result = _result()
    DecisionStore(tmp_path).save(result.plan_key, result.target_key,
                                 [(result.verdicts[1].commitment, Decision(DONE, "见第3页", "张三", "2026-12-05 08:00"))])
    again = _result()  # the same check run again (a restart: a new store over the same folder)
    assert DecisionStore(tmp_path).apply(again) == 1
    assert again.verdicts[1].decision == Decision(DONE, "见第3页", "张三", "2026-12-05 08:00")
    assert [v.shown_status for v in again.verdicts] == [DONE, DONE, PENDING]
    assert again.counts() == {DONE: 2, PARTLY: 0, MISSING: 0, PENDING: 1}
    changed = _result(target="changed")  # the target document changed: nothing carries over
    assert DecisionStore(tmp_path).apply(changed) == 0
    assert not list((tmp_path / "decisions").glob(".decisions-*"))  # no temporary file left


def test_withdrawn_decision_reopens_the_item(tmp_path):
    result, store = _result(), DecisionStore(tmp_path)
    item = result.verdicts[2].commitment
    store.save(result.plan_key, result.target_key, [(item, Decision(PARTLY))])
    store.save(result.plan_key, result.target_key, [(item, None)])
    assert store.apply(result) == 0
    stored = json.loads(next((tmp_path / "decisions").glob("*.json")).read_text(encoding="utf-8"))
    assert stored["items"] == {}


def test_item_key_ignores_whitespace_but_not_kind():
    assert item_key(Commitment("推进 公务用车\n改革。")) == item_key(Commitment("推进公务用车改革。"))
    assert item_key(Commitment("推进公务用车改革。")) != item_key(Commitment("推进公务用车改革。", kind="shortcoming"))


def test_reviewed_csv_round_trip(tmp_path):
    result = _result()
    path = export_csv(result, tmp_path / "核对.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["状态"] for r in rows] == [DONE, PENDING, PENDING]
    assert [r["倾向"] for r in rows] == [DONE, PARTLY, MISSING]
    assert [r["置信度"] for r in rows] == ["高", "低", "低"]
    rows[1]["人工判断"], rows[1]["备注"] = DONE, "报告第二部分"
    rows[2]["人工判断"] = PARTLY
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([*rows, {**rows[0], "事项": "本次没有的事项。", "人工判断": DONE}])
    found, unknown = read_decisions_csv(path, _result(), by="李四")
    assert [(i, d.status, d.note, d.by) for i, d in found] == [(1, DONE, "报告第二部分", "李四"),
                                                               (2, PARTLY, "", "李四")]
    assert all(d.at for _, d in found)
    assert unknown == ["本次没有的事项。"]


def test_bad_decisions_file_is_named_in_chinese(tmp_path):
    wrong = tmp_path / "other.csv"
    wrong.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DecisionFileError, match="other.csv.*人工判断"):
        read_decisions_csv(wrong, _result())
    with pytest.raises(DecisionFileError, match="找不到"):
        read_decisions_csv(tmp_path / "missing.csv", _result())


def test_carryover_shows_decided_confident_and_unconfirmed_status(tmp_path):
    result, store = _result(), DecisionStore(tmp_path)
    store.record_check(result)
    store.save(result.plan_key, result.target_key, [(result.verdicts[1].commitment, Decision(PARTLY, by="张三"))])
    record = store.latest_for_plan(result.plan_key)
    items = [v.commitment for v in result.verdicts] + [Commitment("三是新增的承诺。")]
    carried = carried_items(items, record)
    assert [(c.status, c.detail) for c in carried] == [
        (DONE, "核对结果"), (PARTLY, "人工确认：张三"), (NOT_CHECKED, "")]  # 不足 items are left out
    assert store.latest_for_plan("nothing") == {}
    from assistant.commitments.carryover import Carryover

    text = carryover_markdown(Carryover("2024年报告", carried, "2025年报告", "2026-12-05 08:00"))
    assert "【部分落实，人工确认：张三】二是推进公务用车绿色转型。" in text
    assert "对照“2025年报告”" in text
