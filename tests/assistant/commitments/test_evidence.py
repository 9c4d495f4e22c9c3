"""Evidence scoring and finding: shared phrases, one measure per ；-part, the whole review scanned."""

from langchain_core.documents import Document

from assistant.commitments import Commitment
from assistant.commitments.evidence import (
    EvidenceFinder,
    evidence_score,
    sentence_score,
    shared_phrase,
)
from assistant.commitments.extract import evidence_sentences
from assistant.commitments.review import ReviewSentence
from assistant.commitments.targets import extract_targets


def test_shared_phrase_ignores_punctuation_and_figures():
    assert shared_phrase("坚持区别对待、有保有压的原则", "有保有压，继续坚持区别对待") == 6  # 坚持区别对待
    assert shared_phrase("审查率100%", "合法性审查率100%") == 3  # 审查率, not the figure
    assert evidence_score("要更好地贯彻区别对待、有保有压的原则", "坚持区别对待、有保有压的原则") >= 0.5


def test_terms_count_together_within_one_part():
    promise = "加强财政监管，控制行政经费增长。"
    scattered = "加强财政、税收对经济运行的调节；加强房地产市场调控和监管。"
    together = "加强财政监管，行政经费增长得到控制。"
    assert sentence_score(promise, scattered) < sentence_score(promise, together)


def test_short_enumerated_lead_joins_the_next_sentence():
    assert evidence_sentences("七是推进数字法治政府建设。平台于6月上线。其他。") == [
        "七是推进数字法治政府建设。平台于6月上线。", "其他。"]


def test_pool_sentences_are_found_without_retrieval_and_lessons_are_skipped():
    pool = [
        ReviewSentence("必须坚持新建公务用车充电桩。", "lesson", 3),
        ReviewSentence("全年新建公务用车充电桩25个。", "report", 1, ("一、回顾",), None, "d", "r.txt"),
        ReviewSentence("充电桩建设进度偏慢。", "problem", 5),
    ]
    finder = EvidenceFinder(lambda query, k: [], pool=pool)
    found = finder.find(Commitment("新建公务用车充电桩不少于20个。", targets=extract_targets("新建公务用车充电桩不少于20个。")))
    assert found[0].text == "全年新建公务用车充电桩25个。"
    assert (found[0].source, found[0].section, found[0].role) == ("r.txt", "一、回顾", "report")
    assert "必须坚持新建公务用车充电桩。" not in [e.text for e in found]
    assert any(e.role == "problem" for e in found)


def test_retrieved_sentences_take_their_role_from_the_pool():
    pool = [ReviewSentence("集中学法计划没有完成。", "problem", 2)]
    hits = [Document("集中学法计划没有完成。", metadata={"source": "r.pdf", "doc_id": "d"})]
    (evidence,) = EvidenceFinder(lambda query, k: hits, pool=pool).find(Commitment("年内集中学法。"))
    assert (evidence.role, evidence.source) == ("problem", "r.pdf")


def test_headline_figure_sentence_is_quoted_even_when_worded_differently():
    promise = "今年经济增长预期目标为7%左右，既考虑了需要，也考虑了可能。"
    pool = [ReviewSentence(t, "report", i) for i, t in enumerate([
        "既要积极进取，又要考虑需要和可能。", "加快发展服务业。", "节能工作取得进展。",
        "全年新增就业980万人。", "2004年，国内生产总值达到13.65万亿元，比上年增长9.5%。"])]
    found = EvidenceFinder(lambda q, k: [], pool=pool).find(Commitment(promise, targets=extract_targets(promise)))
    assert "2004年，国内生产总值达到13.65万亿元，比上年增长9.5%。" in [e.text for e in found]
