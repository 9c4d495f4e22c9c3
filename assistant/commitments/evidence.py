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
    return tuple(terms)


def coverage(terms: tuple[str, ...], sentence: str) -> float:
    """Share of the terms found in the sentence, weighted by term length (longer = more telling)."""
    total = sum(len(t) for t in terms)
    if not total:
        return 0.0
    return sum(len(t) for t in terms if t in sentence) / total


class EvidenceFinder:
    """Retrieve passages for a commitment and rank their sentences by key-term coverage."""

    def __init__(self, search: SearchFn, *, k: int = 5, max_evidence: int = 3) -> None:
        self.search = search
        self.k = k
        self.max_evidence = max_evidence

    def find(self, commitment: Commitment) -> list[Evidence]:
        """Best evidence sentences for one commitment, best first."""
        terms = key_terms(commitment.text)
        seen: set[str] = set()
        found: list[Evidence] = []
        for doc in self.search(commitment.text, self.k):
            for sentence in split_sentences(doc.page_content):
                if sentence in seen:
                    continue
                seen.add(sentence)
                found.append(_evidence(sentence, coverage(terms, sentence), doc))
        found.sort(key=lambda e: e.score, reverse=True)
        return found[: self.max_evidence]


def _evidence(sentence: str, score: float, doc: Document) -> Evidence:
    meta = doc.metadata
    return Evidence(
        text=sentence, score=round(score, 3), doc_id=str(meta.get("doc_id", "")),
        source=str(meta.get("source", "")), section=str(meta.get("section", "")),
        page=meta.get("page"),
    )
