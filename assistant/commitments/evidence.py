"""Find evidence for a commitment in the target material: retrieve passages, then pick sentences.

Candidates are the sentences of the retrieved passages plus, when the caller passes the
material's review part (`pool`), every sentence of it: a report reviews the year in a few hundred
sentences, so none is left to retrieval luck. A sentence scores the highest of three measures:
the share of the commitment's key terms it contains (rarer terms weigh more), the longest
phrase it shares with the commitment (a reused phrase such as 区别对待、有保有压 is strong
evidence even where the rest is worded differently), and, when an embedding model is given, how
far its meaning stands out among the candidates (semantic.SentenceVectors: a review that reports
the work in other words, 依法加强用地管理 → 完善国土资源管理体制).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import jieba
from langchain_core.documents import Document

from assistant.commitments.extract import evidence_sentences
from assistant.commitments.models import Commitment, Evidence
from assistant.commitments.review import ReviewSentence
from assistant.commitments.semantic import SentenceVectors
from assistant.commitments.targets import indicator_evidence

SearchFn = Callable[[str, int], list[Document]]
Weight = Callable[[str], float]

# Words every plan and report uses: they say nothing about which promise a sentence keeps.
_GENERIC_WORDS = (
    "进一步 加强 推进 持续 继续 深化 完善 健全 建立 实施 落实 提高 扩大 严格 坚持 开展 组织 做好 "
    "抓好 抓紧 着力 强化 促进 支持 鼓励 引导 积极 努力 力争 切实 认真 全面 大力 不断 逐步 加快 "
    "确保 保证 要 将 把 和 与 及 等 的 了 在 对 为 以 是 中 上 下 今年 明年 去年 年度 全年 工作 "
    "各项 各级 有关 相关 方面 重点 主要 重要 问题 情况 进行 实现 作为 不少 少于 不低于 低于 "
    "一是 二是 三是 四是 五是 六是 我们 我局 要求 按照 通过 同时 一批 一步 有效 机制 制度 体系 "
    "建设 发展 水平 能力"
)
GENERIC = frozenset(_GENERIC_WORDS.split())
# What a plan promises and what a report says it did are often worded differently.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "经济增长": ("国内生产总值", "经济增长", "GDP"),
    "价格总水平": ("居民消费价格", "价格总水平", "物价"),
    "物价": ("居民消费价格", "价格总水平", "物价"),
    "新增就业": ("新增就业", "就业"),
    "失业率": ("失业率", "登记失业"),
    "财政收入": ("财政收入",),
    "学法": ("学法", "学习"),
}
_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z]+")  # wording only: figures are compared elsewhere
# A shared phrase of this many characters counts as much as full key-term coverage.
PHRASE_FULL = 12
LONGEST_PHRASE = 24


@lru_cache(maxsize=4096)
def key_terms(text: str) -> tuple[str, ...]:
    """Content words of a text (jieba), without generic policy vocabulary, numbers or single characters."""
    terms = []
    for token in jieba.lcut(text):
        token = token.strip()
        if len(token) < 2 or token in GENERIC or not _KEEP.search(token) or token in terms:
            continue
        terms.append(token)
    # jieba splits 经济增长 into 经济/增长: domain phrases with report-side wordings are added whole.
    terms.extend(phrase for phrase in SYNONYMS if phrase in text and phrase not in terms)
    return tuple(terms)


def _contains(sentence: str, term: str) -> bool:
    return any(a in sentence for a in SYNONYMS.get(term, (term,)))


def coverage(terms: tuple[str, ...], sentence: str, weight: Weight = len) -> float:
    """Share of the terms found in the sentence, each weighted (default: by length)."""
    total = sum(weight(t) for t in terms)
    if not total:
        return 0.0
    return sum(weight(t) for t in terms if _contains(sentence, t)) / total


def lead_clause(text: str) -> str:
    """The promise itself: a long sentence's first clause (the rest often explains why)."""
    return re.split(r"[，,；;：:]", text, maxsplit=1)[0]


def sentence_score(commitment: str, sentence: str, weight: Weight = len) -> float:
    """Key-term coverage of the whole commitment, or of its lead clause when that is higher.

    Terms count only together in one part of the sentence (parts end at ；): a review lists
    one measure per part, and terms scattered over several measures do not report one promise.
    """
    parts = [p for p in re.split(r"[；;]", sentence) if p] or [sentence]
    whole = max(coverage(key_terms(commitment), p, weight) for p in parts)
    lead = lead_clause(commitment)
    if len(lead) == len(commitment) or len(key_terms(lead)) < 2:
        return whole
    return max(whole, 0.9 * max(coverage(key_terms(lead), p, weight) for p in parts))


@lru_cache(maxsize=65536)
def _grams(text: str, k: int) -> frozenset[str]:
    return frozenset(run[i : i + k] for run in _RUN.findall(text) for i in range(len(run) - k + 1))


def shared_phrase(a: str, b: str) -> int:
    """Length of the longest run of words (no punctuation or figures inside) both texts contain."""
    length = 0
    for k in range(2, LONGEST_PHRASE + 1):
        if _grams(a, k).isdisjoint(_grams(b, k)):
            break
        length = k
    return length


def rarity_weight(sentences: Sequence[str]) -> Weight:
    """Term weight = length x inverse sentence frequency in the material (common words weigh less)."""
    n = len(sentences)
    cache: dict[str, float] = {}

    def weight(term: str) -> float:
        if term not in cache:
            df = sum(1 for s in sentences if _contains(s, term))
            cache[term] = len(term) * (math.log((n + 1) / (df + 1)) + 1)
        return cache[term]

    return weight


def evidence_score(commitment: str, sentence: str, weight: Weight = len) -> float:
    """The higher of key-term coverage and the shared-phrase measure, in 0..1."""
    phrase = min(1.0, shared_phrase(commitment, sentence) / PHRASE_FULL)
    return max(sentence_score(commitment, sentence, weight), phrase)


class EvidenceFinder:
    """Retrieve passages for a commitment and rank their sentences (and the review's) by score."""

    def __init__(self, search: SearchFn, *, pool: Sequence[ReviewSentence] = (), k: int = 8,
                 max_evidence: int = 3, semantic: SentenceVectors | None = None) -> None:
        self.search = search
        self.semantic = semantic
        self.pool = [s for s in pool if s.role != "lesson"]
        self.roles = {s.text: s.role for s in pool}
        self.k = k
        self.max_evidence = max_evidence
        self.weight: Weight = rarity_weight([s.text for s in self.pool]) if self.pool else len
        if semantic is not None:
            semantic.add([s.text for s in self.pool])  # the whole review in batches, once

    def find(self, commitment: Commitment) -> list[Evidence]:
        """Best evidence sentences for one commitment, best first, then any figure sentences."""
        candidates: dict[str, Evidence] = {}
        for doc in self.search(commitment.text, self.k):
            for sentence in evidence_sentences(doc.page_content):
                role = self.roles.get(sentence, "report")
                if sentence not in candidates and role != "lesson":
                    candidates[sentence] = _evidence(sentence, role, doc.metadata)
        for s in self.pool:
            candidates.setdefault(s.text, _pool_evidence(s))
        texts = list(candidates)
        # A measurable promise is decided by its figures: a sentence of similar meaning without
        # them is no evidence (a bond amount is not reported by some other investment sentence).
        meaning = [0.0] * len(texts)
        if self.semantic is not None and not commitment.targets:
            meaning = self.semantic.scores(commitment.text, texts)
        for text, similar in zip(texts, meaning, strict=True):
            found_here = candidates[text]
            found_here.lexical = round(evidence_score(commitment.text, text, self.weight), 3)
            found_here.semantic = round(similar, 3)
            found_here.score = max(found_here.lexical, found_here.semantic)
        ranked = sorted(candidates.values(), key=lambda e: e.score, reverse=True)
        found = ranked[: self.max_evidence]
        if found:
            # How far the best stands out from the next candidate is part of the confidence.
            found[0].runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        # Figures of a measurable target (GDP 增长, 新增就业…) sit in summary sentences whose other
        # words differ: the sentence reporting the same indicator is quoted too.
        for target in commitment.targets:
            figure_sentence = indicator_evidence(target, [e.text for e in ranked])
            extra = next((e for e in ranked if e.text == figure_sentence), None)
            if extra is not None and extra not in found:
                found.append(extra)
        return found


def _evidence(sentence: str, role: str, meta: dict) -> Evidence:
    return Evidence(
        text=sentence, score=0.0, doc_id=str(meta.get("doc_id", "")),
        source=str(meta.get("source", "")), section=str(meta.get("section", "")),
        page=meta.get("page"), role=role,
    )


def _pool_evidence(s: ReviewSentence) -> Evidence:
    return Evidence(text=s.text, score=0.0, doc_id=s.doc_id, source=s.source,
                    section=" > ".join(s.heading_path), page=s.page, role=s.role)
