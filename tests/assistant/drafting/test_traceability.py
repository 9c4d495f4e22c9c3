import pytest

from assistant.drafting.traceability import check_draft

NOTES = "全年集体研究“三重一大”事项18次\n法律顾问审查合同42份"


def test_figures_from_notes_are_traceable_and_invented_ones_marked():
    text = "全年集体研究重大事项18次，审查合同42份，清理文件27件。"
    report = check_draft(text, NOTES, [])
    assert report.text == "全年集体研究重大事项18次，审查合同42份，清理文件【待核实：27】件。"
    assert [i.text for i in report.unverified] == ["27"]
    assert (report.n_figures, report.n_figures_traceable) == (3, 2)


def test_chinese_numerals_match_arabic_notes():
    report = check_draft("集体研究重大事项十八次。", NOTES, [])
    assert report.unverified == []
    assert report.n_figures == 1


def test_last_year_only_figure_gets_its_own_reason():
    report = check_draft("集体研究重大事项15次。", NOTES, [], last_year="全年集体研究重大事项15次。")
    assert report.unverified[0].text == "15"
    assert "上年" in report.unverified[0].reason


def test_titles_and_units_checked_against_sources():
    text = "贯彻《机关事务管理条例》和《示例市公务用车办法》，联合示例市财政局开展检查。"
    report = check_draft(text, NOTES, ["《机关事务管理条例》第十条 …"])
    flagged = {(i.kind, i.text) for i in report.unverified}
    assert flagged == {("title", "《示例市公务用车办法》"), ("entity", "示例市财政局")}


def test_citations_genre_phrases_and_context_are_not_flagged():
    text = "2025年，示例市机关事务管理局坚决做到“两个维护”，严格执行“三重一大”[2]。"
    report = check_draft(text, "", [], context=["示例市机关事务管理局", "2025年"])
    assert report.unverified == []
    assert report.text == text


def test_check_is_idempotent_on_marked_text():
    once = check_draft("清理文件27件。", NOTES, []).text
    assert check_draft(once, NOTES, []).text == once


@pytest.mark.parametrize(("text", "marked"), [
    ("落实局党组理论学习中心组学法制度", None),
    ("以人民为中心", None),
    ("报送省机关事务管理局", "省机关事务管理局"),
    ("配合区住建局做好创建", "区住建局"),
    ("建成公务用车管理中心", "公务用车管理中心"),
])
def test_unit_name_boundaries(text, marked):
    items = check_draft(text, "", []).unverified
    assert [i.text for i in items] == ([marked] if marked else [])
