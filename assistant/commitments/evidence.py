"""Find evidence for a commitment in the target material: retrieve passages, then pick sentences."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import jieba
from langchain_core.documents import Document

from assistant.commitments.extract import split_sentences
from assistant.commitments.models import Commitment, Evidence

SearchFn = Callable[[str, int], list[Document]]

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


def coverage(terms: tuple[str, ...], sentence: str) -> float:
    """Share of the terms found in the sentence, weighted by term length (longer = more telling)."""
    total = sum(len(t) for t in terms)
    if not total:
        return 0.0
    found = sum(len(t) for t in terms if any(a in sentence for a in SYNONYMS.get(t, (t,))))
    return found / total


def lead_clause(text: str) -> str:
    """The promise itself: a long sentence's first clause (the rest often explains why)."""
    return re.split(r"[，,；;：:]", text, maxsplit=1)[0]


def sentence_score(commitment: str, sentence: str) -> float:
    """Key-term coverage of the whole commitment, or of its lead clause when that is higher."""
    whole = coverage(key_terms(commitment), sentence)
    lead = lead_clause(commitment)
    if len(lead) == len(commitment) or len(key_terms(lead)) < 2:
        return whole
    return max(whole, 0.9 * coverage(key_terms(lead), sentence))


class EvidenceFinder:
    """Retrieve passages for a commitment and rank their sentences by key-term coverage."""

    def __init__(self, search: SearchFn, *, k: int = 8, max_evidence: int = 3) -> None:
        self.search = search
        self.k = k
        self.max_evidence = max_evidence

    def find(self, commitment: Commitment) -> list[Evidence]:
        """Best evidence sentences for one commitment, best first."""
        seen: set[str] = set()
        found: list[Evidence] = []
        for doc in self.search(commitment.text, self.k):
            for sentence in split_sentences(doc.page_content):
                if sentence in seen:
                    continue
                seen.add(sentence)
                found.append(_evidence(sentence, sentence_score(commitment.text, sentence), doc))
        found.sort(key=lambda e: e.score, reverse=True)
        return found[: self.max_evidence]


def _evidence(sentence: str, score: float, doc: Document) -> Evidence:
    meta = doc.metadata
    return Evidence(
        text=sentence, score=round(score, 3), doc_id=str(meta.get("doc_id", "")),
        source=str(meta.get("source", "")), section=str(meta.get("section", "")),
        page=meta.get("page"),
    )
