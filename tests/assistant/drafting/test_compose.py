from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.drafting.composer import clean_model_text, compose_draft, note_lines
from assistant.drafting.models import EXTRACTIVE_BANNER, DraftRequest, SourcePassage
from assistant.drafting.revise import keep_citations, revise_draft

UNIT = "示例市机关事务管理局"
NOTES = "- 集体研究“三重一大”事项18次\n- 法律顾问审查合同42份\n"
REG = SourcePassage(0, "第十条 重大决策应当经合法性审查。", "示例机关事务管理办法", "第十条")


class RecordingFakeModel(FakeListChatModel):
    """Queued replies, and the prompts it was sent."""

    prompts: list[str] = []

    def _call(self, messages, stop=None, run_manager=None, **kwargs):
        self.prompts.append(str(messages[-1].content))
        return super()._call(messages, stop, run_manager, **kwargs)


def _request(section="decision"):
    return DraftRequest(section=section, year=2025, unit=UNIT, notes=NOTES)


def test_note_lines_strip_bullets_and_numbering():
    assert note_lines("- 甲事项；\n2. 乙事项\n（三）丙事项\n\n") == ["甲事项", "乙事项", "丙事项"]


def test_extractive_draft_has_banner_points_and_last_year(report_blocks):
    draft = compose_draft(_request(), report_blocks, [REG], None)
    assert draft.extractive
    assert draft.banner == EXTRACTIVE_BANNER
    lines = draft.text.splitlines()
    assert lines[1:3] == ["一是集体研究“三重一大”事项18次。", "二是法律顾问审查合同42份。"]
    assert "全年集体研究重大事项15次" in lines[3]
    assert lines[3].endswith("[1]")
    assert lines[4] == "相关依据：《示例机关事务管理办法》 第十条[2]"
    assert draft.unverified == []  # last year's figures are quoted as reference, not claimed


def test_model_draft_is_prompted_short_and_checked(report_blocks):
    reply = ("**依法科学民主决策**\n一是严格执行决策制度，集体研究“三重一大”事项18次[1]。"
             "二是审查合同42份，清理规范性文件15件，联合示例市司法局开展培训[2]。")
    model = FakeListChatModel(responses=[reply])
    draft = compose_draft(_request(), report_blocks, [REG], model)
    assert draft.text.startswith("一是严格执行决策制度")  # the title line was dropped
    assert "【待核实：15】件" in draft.text
    assert "【待核实：示例市司法局】" in draft.text
    reasons = {i.text: i.reason for i in draft.unverified}
    assert "上年" in reasons["15"]
    assert (draft.n_figures, draft.n_figures_traceable) == (3, 2)


def test_prompt_carries_notes_last_year_and_regulation(report_blocks):
    model = RecordingFakeModel(responses=["一是集体研究事项18次[1]。"])
    compose_draft(_request(), report_blocks, [REG], model)
    prompt = model.prompts[0]
    assert "- 法律顾问审查合同42份" in prompt
    assert "重大决策均经法律顾问合法性审查" in prompt  # last year's condensed section
    assert "15次" not in prompt  # without its figures
    assert "[2] 《示例机关事务管理办法》 第十条" in prompt
    assert "不超过400字" in prompt
    assert "$" not in prompt


def test_clean_model_text_cuts_overlong_output_at_sentence_end():
    text = "一是" + "加强制度建设。" * 100
    cleaned = clean_model_text(text, 100)
    assert len(cleaned) <= 130
    assert cleaned.endswith("。")


def test_revise_with_model_restores_dropped_citation(report_blocks):
    model = FakeListChatModel(responses=["一是集体研究“三重一大”事项18次[1]。"])
    draft = compose_draft(_request(), report_blocks, [REG], model)
    draft.text = "一是集体研究“三重一大”事项18次[1]。二是重大决策经合法性审查[2]。"
    shorter = FakeListChatModel(responses=["集体研究“三重一大”事项18次，决策经合法性审查。"])
    revised = revise_draft(draft, "shorten", shorter)
    assert "[1]" in revised.text
    assert "[2]" in revised.text
    assert revised.text != draft.text
    assert revised.unverified == []


def test_revise_flags_new_figures(report_blocks):
    draft = compose_draft(_request(), report_blocks, [REG], FakeListChatModel(responses=["一是研究事项18次[1]。"]))
    expanded = FakeListChatModel(responses=["一是研究事项18次，覆盖处室9个[1]。"])
    revised = revise_draft(draft, "expand", expanded)
    assert "【待核实：9】" in revised.text


def test_revise_without_model_shortens_and_keeps_citations(report_blocks):
    draft = compose_draft(_request(), report_blocks, [REG], None)
    draft.text = "一是严格执行制度。研究事项18次。审查合同42份[2]。其他说明。"
    revised = revise_draft(draft, "shorten", None)
    assert revised.text == "一是严格执行制度。审查合同42份[2]。"
    unchanged = revise_draft(draft, "expand", None)
    assert unchanged.text == draft.text
    assert "无法扩写" in unchanged.banner


def test_keep_citations_attaches_to_most_similar_sentence():
    original = "集体研究事项18次[1]。审查合同42份[2]。"
    assert keep_citations(original, "审查合同42份。研究事项18次[1]。") == "审查合同42份[2]。研究事项18次[1]。"


def test_connectors_become_genre_points():
    from assistant.drafting.composer import to_points

    text = "本年度成效显著。首先，组织培训6次。其次，检查61家。此外，整改17个。"
    assert to_points(text) == "本年度成效显著。一是组织培训6次。二是检查61家。三是整改17个。"
    assert to_points("一是甲。此外，乙。") == "一是甲。此外，乙。"


def test_clean_model_text_drops_repeated_points_and_echoed_notes():
    raw = "- 要点一\n一是强化监督。全年未发生诉讼案件。\n二是强化监督。全年未发生诉讼案件。\n[1] 《上年报告》：……"
    assert clean_model_text(raw, 400) == "一是强化监督。全年未发生诉讼案件。"


def test_model_copying_last_year_falls_back_to_extractive(report_blocks):
    copied = "一是推进依法科学民主决策。二是严格执行“三重一大”事项议事规则。"
    draft = compose_draft(_request(), report_blocks, [REG], FakeListChatModel(responses=[copied]))
    assert draft.extractive
    assert "照抄上年" in draft.banner
    assert draft.text.splitlines()[1] == "一是集体研究“三重一大”事项18次。"


def test_no_notes_means_no_model_call(report_blocks):
    model = RecordingFakeModel(responses=["一是全面加强法治建设，取得显著成效。"])
    model.prompts.clear()
    draft = compose_draft(DraftRequest("plan", 2025, UNIT, "  \n"), report_blocks, [], model)
    assert model.prompts == []
    assert draft.extractive
