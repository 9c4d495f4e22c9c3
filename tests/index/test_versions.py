"""Version facts, titles, groups and status: pure functions on fictional 示例 texts."""

from __future__ import annotations

from datetime import date

import pytest

from index.models import DocumentMeta
from index.version_groups import (
    excluded_doc_ids,
    group_key,
    in_force,
    other_versions,
    status_of,
    statuses,
    version_groups,
)
from index.versions import (
    facts_of,
    normalise_title,
    parse_version_facts,
    question_date,
    version_label,
    with_facts,
)

NEW = """# 示例市公共机构节能管理办法
（本文件为虚构示例）
2015年3月2日 示例市人民政府令第12号公布
2019年6月10日 《示例市人民政府关于修改部分规章的决定》第一次修正
2023年11月20日 示例市人民政府第45次常务会议修订
## 第一章 总则
第一条 为了推动公共机构节能，制定本办法。
第三十条 本办法自2024年1月1日起施行。2010年5月1日发布的《示例市节能管理暂行办法》同时废止。
"""

OLD = """# 示例市公共机构节能管理办法
2015年3月2日 示例市人民政府令第12号公布
2019年6月10日 《示例市人民政府关于修改部分规章的决定》修正
第一条 为了推动节能，制定本办法。
第三十条 本办法自2015年5月1日起施行。
"""


def _doc(doc_id: str, text: str, title: str = "示例市公共机构节能管理办法", **meta) -> DocumentMeta:
    doc = DocumentMeta(doc_id=doc_id, filename=f"{doc_id}.md", sha256="", kind="md",
                       title=title, doc_type=meta.pop("doc_type", "regulation"), **meta)
    return with_facts(doc, parse_version_facts(text, doc))


def test_history_lines_and_final_article_give_every_date() -> None:
    facts = parse_version_facts(NEW, None)
    assert facts.promulgated == "2015-03-02"
    assert facts.amendments == [("2019-06-10", "修正"), ("2023-11-20", "修订")]
    assert facts.effective == "2024-01-01"
    assert facts.repeals == ["示例市节能管理暂行办法"]
    assert facts.version_date == "2023-11-20"
    assert facts.in_force_from == "2024-01-01"  # stated 施行 after the revision
    assert facts.source_of_dates == "history"


def test_one_line_history_is_split_at_each_date() -> None:
    text = ("# 示例法\n（2000年1月8日示例代表大会通过 根据2010年2月2日《关于修改〈示例法〉的决定》修正"
            " 2020年3月3日示例代表大会常务委员会修订）\n第一条 示例。\n第九条 本法自2000年7月1日起施行。")
    facts = parse_version_facts(text, None)
    assert facts.adopted == "2000-01-08"
    assert facts.amendments == [("2010-02-02", "修正"), ("2020-03-03", "修订")]
    # The original 施行 date stays in the last article; this version is in force from its date.
    assert facts.in_force_from == "2020-03-03"


def test_no_history_falls_back_to_the_documents_own_date_and_says_so() -> None:
    facts = parse_version_facts("# 示例规定\n第一条 示例。", {"publish_date": "2021-05-06"})
    assert facts.source_of_dates == "document"
    assert facts.promulgated == "2021-05-06"
    assert "未找到修订历史" in facts.note
    assert "2021-05-06" in facts.note
    undated = parse_version_facts("# 示例规定\n第一条 示例。", None)
    assert "无法判断版本先后" in undated.note


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("中华人民共和国统计法（2024年修正）", "统计法"),
        ("《统计法》", "统计法"),
        ("中华人民共和国 统计法", "统计法"),
        ("统计法_a", "统计法"),
        ("优化营商环境条例(2019-10-22)", "优化营商环境条例"),
        ("信访工作条例", "信访工作条例"),
    ],
)
def test_normalise_title(title: str, key: str) -> None:
    assert normalise_title(title) == key


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("2020年时《统计法》第七条怎么规定", date(2020, 12, 31)),
        ("截至2016年底，《立法法》第四条是怎么规定的", date(2016, 12, 31)),
        ("2019年6月1日的时候道路运输条例第十二条", date(2019, 6, 1)),
        ("在2018年，《预算法》第三条", date(2018, 12, 31)),
        ("《统计法》第七条怎么规定", None),
        ("2024年政府工作报告提出了哪些目标", None),
        ("2009年版本的统计法第七条", None),  # a version's year, not a date in force
    ],
)
def test_question_date(question: str, expected: date | None) -> None:
    assert question_date(question) == expected


def test_versions_group_and_the_one_in_force_depends_on_the_date() -> None:
    old, new = _doc("old", OLD), _doc("new", NEW)
    group = version_groups([new, old])["示例市公共机构节能管理办法"]
    assert [d.doc_id for d in group] == ["old", "new"]
    assert in_force(group, date(2026, 1, 1)).doc_id == "new"
    # Revised in November 2023, but in force only from 2024-01-01.
    assert in_force(group, date(2023, 12, 1)).doc_id == "old"
    assert version_label(new) == "（2023年修订）"
    assert version_label(old) == "（2019年修正）"
    assert excluded_doc_ids([old, new], date(2026, 1, 1)) == {"old"}
    # Before every version: the first one to take effect is searched, not the newest.
    assert excluded_doc_ids([old, new], date(2000, 1, 1)) == {"new"}
    assert other_versions(new, [old, new]) == [old]


def test_status_labels() -> None:
    old, new = _doc("old", OLD), _doc("new", NEW)
    today = date(2026, 12, 5)
    assert status_of(new, [old, new], today).label == "现行有效"
    superseded = status_of(old, [old, new], today)
    assert superseded.kind == "superseded"
    assert superseded.label == "已被修订（现行版本：示例市公共机构节能管理办法（2023年修订））"
    assert status_of(new, [old, new], date(2023, 12, 1)).label == "尚未施行（2024-01-01起施行）"
    repealed = _doc("tmp", "# 示例市节能管理暂行办法\n2010年5月1日 发布\n第一条 示例。",
                    title="示例市节能管理暂行办法")
    assert status_of(repealed, [old, new, repealed], today).label == "已废止"
    assert status_of(repealed, [old, new, repealed], date(2020, 1, 1)).label == "现行有效"


def test_two_versions_with_the_same_dates_are_flagged_and_only_one_is_searched() -> None:
    a, b = _doc("a", NEW), _doc("b", NEW, ingested_at="2026-12-01T00:00:00")
    result = statuses([a, b], date(2026, 12, 5))
    assert result["a"].kind == "duplicate"
    assert "b.md" in result["a"].label
    assert result["b"].label == "现行有效"
    assert excluded_doc_ids([a, b], date(2026, 12, 5)) == {"a"}


def test_a_notice_about_a_regulation_never_joins_its_group() -> None:
    notice = _doc("n", NEW, title="关于贯彻实施《示例市公共机构节能管理办法》的通知")
    decision = _doc("d", NEW, title="示例市人民政府关于修改部分规章的决定")
    report = _doc("r", NEW, doc_type="report")
    assert group_key(notice) == group_key(decision) == group_key(report) == ""
    assert excluded_doc_ids([notice, _doc("new", NEW), _doc("old", OLD)], date(2026, 1, 1)) == {"old"}
    assert status_of(notice, [notice], date(2026, 1, 1)).label == ""


def test_user_corrected_dates_win_and_can_split_a_group() -> None:
    old, new = _doc("old", OLD), _doc("new", NEW)
    corrected = old.model_copy(update={"revisions": ["2025-06-01 修订"], "version_source": "user",
                                       "effective": "", "user_edited": ["revisions"]})
    assert facts_of(corrected).version_date == "2025-06-01"
    assert in_force(version_groups([corrected, new])["示例市公共机构节能管理办法"],
                    date(2026, 1, 1)).doc_id == "old"
    split = old.model_copy(update={"version_group": "-"})
    assert group_key(split) == ""
    assert excluded_doc_ids([split, new], date(2026, 1, 1)) == set()
