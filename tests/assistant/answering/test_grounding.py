"""Grounding checks: markers, figures and names must trace to the cited passages."""

from assistant.answering.grounding import (
    check_answer,
    normalize_markers,
    says_not_found,
    says_nothing,
)
from assistant.answering.models import Source
from assistant.answering.numbers import cn_to_int, figure_values

S1 = Source(n=1, doc_id="car", chunk_id="car:12", title="示例市公务用车管理办法", article="第十二条",
            text="第十二条 单次维修费用超过5000元的，应当报机关事务管理局审批。维修完成后5个工作日内登记台账。")
S2 = Source(n=2, doc_id="rep", chunk_id="rep:1", title="示例局2024年工作报告",
            text="2024年公共机构人均综合能耗同比下降3.2%，组织集中学法4次。")


def test_valid_citations_are_kept_and_supported():
    result = check_answer("单次维修费用超过5000元须报批[1]。人均能耗下降3.2%[2]。", [S1, S2])
    assert result.supported
    assert result.cited == {1, 2}
    assert result.flags == []
    assert result.text == "单次维修费用超过5000元须报批[1]。人均能耗下降3.2%[2]。"


def test_marker_to_a_missing_passage_is_removed_and_flagged():
    result = check_answer("须报机关事务管理局审批[1][5]。", [S1, S2])
    assert "[5]" not in result.text
    assert "[1]" in result.text
    assert [(f.kind, f.value) for f in result.flags] == [("citation", "[5]")]


def test_answer_without_valid_citation_is_unsupported():
    assert not check_answer("须报机关事务管理局审批。", [S1]).supported
    assert not check_answer("须报审批[3]。", [S1]).supported


def test_invented_figure_is_wrapped_and_listed():
    result = check_answer("单次维修费用超过8000元的须报批[1]。", [S1, S2])
    assert "【待核实：8000】" in result.text
    assert [(f.kind, f.value) for f in result.flags] == [("figure", "8000")]


def test_figure_must_come_from_the_cited_passage_not_another():
    result = check_answer("人均能耗下降3.2%[1]。", [S1, S2])
    assert [f.value for f in result.flags if f.kind == "figure"] == ["3.2"]
    assert not result.supported


def test_full_width_digits_and_chinese_numerals_match_the_source():
    result = check_answer("依据第12条，超过５０００元须审批，五个工作日内登记[1]。", [S1])
    assert result.flags == []


def test_invented_title_and_quoted_name_are_flagged():
    result = check_answer("依据《示例市车辆报废办法》和“绿色车队计划”执行[1]。", [S1])
    names = {f.value for f in result.flags if f.kind == "name"}
    assert names == {"《示例市车辆报废办法》", "“绿色车队计划”"}
    assert "【待核实：《示例市车辆报废办法》】" in result.text


def test_known_title_is_not_flagged():
    assert check_answer("《示例市公务用车管理办法》第十二条规定须审批[1]。", [S1]).flags == []


def test_marker_variants_are_normalised():
    assert normalize_markers("审批【1】，登记[1,2]，能耗（资料2）") == "审批[1]，登记[1][2]，能耗[2]"


def test_uncited_sentence_is_checked_against_the_cited_sources():
    result = check_answer("维修费用超过5000元须审批。共有12家定点单位[1]。", [S1])
    assert [f.value for f in result.flags if f.kind == "figure"] == ["12"]
    assert [f.kind for f in result.flags][0] == "unsupported_claim"


def test_list_numbering_and_years_in_sources_are_not_flagged():
    result = check_answer("1. 2024年能耗下降3.2%[2]\n2. 组织集中学法4次[2]", [S1, S2])
    assert result.flags == []


def test_refusal_phrases_are_recognised():
    assert says_not_found("资料库中未找到依据。")
    assert not says_not_found("须报审批[1]。")


def test_numeral_helpers():
    assert cn_to_int("一百零五") == 105
    assert cn_to_int("二〇二四") == 2024
    assert figure_values("百分之五十，第三十三条，1,200人") == {"50", "第33条", "1200"}


def test_numbering_of_a_quoted_list_item_is_not_a_figure():
    source = Source(n=1, doc_id="n", chunk_id="n:3", title="示例通知", section="二、措施",
                    text="6.对于暂停举办的展会项目给予场租补贴。")
    result = check_answer("据《示例通知》：“6.对于暂停举办的展会项目给予场租补贴。”[1]", [source])
    assert result.flags == []
    # A decimal after a quote is still a figure and still checked.
    assert figure_values("“6.5%的企业”") == {"6.5"}


def test_a_reply_of_markers_and_labels_says_nothing():
    assert says_nothing("资料编号：[1][2]")
    assert says_nothing("答案：【1】")
    assert not says_nothing("须报机关事务管理局审批[1]。")
