"""Tokens for BM25: jieba words, lower-cased, without punctuation and function words.

Article references (第十二条, also written 第12条) and numbers (2024, 50%) are kept whole, so a
query for "第十二条" or "50%" matches exactly. jieba's search mode (lcut_for_search) is used:
on the 327 NCPPolicies dev questions over 2,200 chunks it ties with plain lcut (doc hit@1
0.835 vs 0.832, answering chunk in top 5 0.844 vs 0.850), and it also indexes the sub-words of
long compounds (中华人民共和国 -> 中华, 华人, 人民, 共和, 共和国), which helps short queries.
"""

from __future__ import annotations

import logging
import re
from functools import cache

import jieba

from index.structure import cn_numeral_to_int, int_to_cn_numeral

_CN_NUM = "零〇一二三四五六七八九十百千两"
_PROTECTED = re.compile(
    rf"第[{_CN_NUM}]+[条章节编]|第\d{{1,4}}[条章节编]|\d+(?:\.\d+)?%|\d+(?:\.\d+)?"
)
_WORD_CHAR = re.compile(r"[0-9a-z\u3400-\u9fff]")
# Function words only: domain words such as 规定, 管理, 办法 must stay searchable.
_STOP_TEXT = (
    "的 地 得 了 着 过 和 与 及 以及 或 或者 是 在 对 等 其 之 而 并 也 都 就 即 则 被 把 将 从 向"
    " 于 以 为 由 这 那 这个 那个 这些 那些 此 该 各 个 有 没有 什么 哪些 哪个 如何 怎么 怎样"
    " 吗 呢 吧 啊 呀 么 请问 一下 可以 能否 是否 多少 有何 何 哪"
    # Words that frame a question (……方面有哪些…… / ……的主要内容是什么) rather than name its
    # topic; measured on the dev half of the retrieval questions (docs/benchmarks.md).
    " 方面 内容 主要 情况 采取 提出 具体"
)
STOP_WORDS = frozenset(_STOP_TEXT.split())


@cache
def _jieba() -> jieba.Tokenizer:
    """A private, initialised jieba tokenizer (quiet, loaded once)."""
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def tokenize(text: str) -> list[str]:
    """BM25 tokens of a text or query."""
    tokens: list[str] = []
    pos = 0
    for m in _PROTECTED.finditer(text):
        tokens.extend(_words(text[pos : m.start()]))
        tokens.append(_normalise_protected(m.group(0)))
        pos = m.end()
    tokens.extend(_words(text[pos:]))
    return tokens


def _words(text: str) -> list[str]:
    """jieba search-mode words without punctuation, whitespace and stop words."""
    if not text.strip():
        return []
    words = (w.strip().lower() for w in _jieba().lcut_for_search(text))
    return [w for w in words if w and _WORD_CHAR.search(w) and w not in STOP_WORDS]


def _normalise_protected(token: str) -> str:
    """'第12条' -> '第十二条' so both spellings of an article reference meet."""
    m = re.fullmatch(r"第(\d{1,4})([条章节编])", token)
    if m:
        return f"第{int_to_cn_numeral(int(m.group(1)))}{m.group(2)}"
    m = re.fullmatch(rf"第([{_CN_NUM}]+)([条章节编])", token)
    if m:
        return f"第{int_to_cn_numeral(cn_numeral_to_int(m.group(1)))}{m.group(2)}"
    return token
