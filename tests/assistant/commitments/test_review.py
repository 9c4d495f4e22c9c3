"""Roles of the review part: reported work, admitted problems, lessons; the plan part is skipped."""

from pathlib import Path

from assistant.commitments.review import is_negative, review_sentences
from index.loaders.text import load_text
from index.structure import parse_structure

REPORT = """示例市2025年工作报告
一、2024年工作回顾
一年来，我们主要做了以下工作。
全年新建公务用车充电桩25个，集中办公区充电设施实现全覆盖。
我们的主要体会是：
必须坚持依法行政，严格规范公正文明执法。
我们也清醒地看到，工作中还存在不少问题。
一是节能目标没有完成，人均综合能耗降幅未达到年度目标。
二、2025年工作安排
新建公务用车充电桩不少于30个。
"""


def _blocks(tmp_path: Path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    return parse_structure(load_text(path))


def test_roles_follow_the_review_passages(tmp_path):
    sentences = review_sentences(_blocks(tmp_path), doc_id="d1", source="report.txt")
    roles = {s.text: s.role for s in sentences}
    assert roles["全年新建公务用车充电桩25个，集中办公区充电设施实现全覆盖。"] == "report"
    assert roles["必须坚持依法行政，严格规范公正文明执法。"] == "lesson"
    assert roles["一是节能目标没有完成，人均综合能耗降幅未达到年度目标。"] == "problem"
    assert all(s.doc_id == "d1" and s.source == "report.txt" for s in sentences)


def test_plan_part_is_not_evidence(tmp_path):
    texts = [s.text for s in review_sentences(_blocks(tmp_path))]
    assert "一年来，我们主要做了以下工作。" in texts  # the title (…工作报告) opens no plan part
    assert "新建公务用车充电桩不少于30个。" not in texts
    assert not any("工作安排" in t for t in texts)


def test_negative_statements():
    assert is_negative("全国没有实现年初确定的单位国内生产总值能耗降低4%左右的目标。")
    assert is_negative("《公务用车使用管理实施细则》未能按计划年内出台。")
    assert not is_negative("全年新建公务用车充电桩25个。")
