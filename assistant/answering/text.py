"""Small text helpers: query terms (jieba), sentence splitting, width normalisation."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

# Question words and function words that say nothing about which passage answers.
_STOP_TEXT = (
    "什么 哪些 哪个 哪里 如何 怎么 怎样 多少 几 是否 有无 有何 何 为何 为什么 吗 呢 吧 啊 的 了 和 与 及 或 "
    "在 对 对于 关于 是 有 要 会 能 可以 应当 应 需要 请问 请 一下 给予 进行 相关 方面 主要 具体 内容 "
    "规定 要求 情况 问题 工作 这 那 其 该 它 他们 我们 哪 谁 时候 提出 包括 采取 举措 措施"
)
_STOP_TERMS = frozenset(_STOP_TEXT.split())
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|\n+")
_QUOTE_CHARS = "“”\"'‘’「」"


# Full-width digits, letters, % and . to half-width; Chinese punctuation is kept as is and the
# length is unchanged, so positions found in the normalised text are valid in the original.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}
_WIDTH |= {cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)}
_WIDTH |= {cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)}
_WIDTH |= {0xFF05: ord("%"), 0xFF0E: ord("."), 0x3000: ord(" ")}


def normalize(text: str) -> str:
    """Full-width digits/letters to half-width, so ２０２４ matches 2024 (same length)."""
    return text.translate(_WIDTH)


@lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" chatter is noise in a CLI
    return jieba


@lru_cache(maxsize=512)
def query_terms(text: str) -> tuple[str, ...]:
    """Distinct content terms of a question (jieba precise mode), longest first."""
    words = _jieba().lcut(normalize(text).lower())
    terms = {w.strip() for w in words}
    terms = {t for t in terms if t and t not in _STOP_TERMS and not _is_noise(t)}
    return tuple(sorted(terms, key=lambda t: (-len(t), t)))


def _is_noise(term: str) -> bool:
    if all(not ch.isalnum() for ch in term):
        return True
    # A lone CJK character is too ambiguous to count as evidence of relevance.
    return len(term) == 1 and not term.isdigit()


def term_weight(term: str) -> float:
    """Longer terms are more specific, so they count more."""
    return min(len(term), 4)


def coverage(terms: tuple[str, ...], text: str) -> float:
    """Weighted share (0..1) of the terms that occur in the text."""
    if not terms:
        return 0.0
    haystack = normalize(text).lower()
    total = sum(term_weight(t) for t in terms)
    return sum(term_weight(t) for t in terms if t in haystack) / total


def split_sentences(text: str) -> list[str]:
    """Split at 。！？； and line breaks, keeping the punctuation with its sentence."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]


def strip_quotes(text: str) -> str:
    """Remove surrounding quote marks from a quoted name."""
    return text.strip(_QUOTE_CHARS + " ")
