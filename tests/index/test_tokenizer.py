"""BM25 tokenizer: jieba words, article references, numbers, stop words."""

from __future__ import annotations

import bm25s
import numpy as np

from index.tokenizer import STOP_WORDS, tokenize


def test_drops_punctuation_stop_words_and_lowercases() -> None:
    tokens = tokenize("什么是公务用车的 PPP 管理办法？")
    assert "公务用车" in tokens
    assert "ppp" in tokens
    assert "管理" in tokens
    assert not {"什么", "是", "的", "？", " "} & set(tokens)
    assert "规定" not in STOP_WORDS
    assert "管理" not in STOP_WORDS


def test_question_frame_words_are_dropped_topic_words_kept() -> None:
    tokens = tokenize("广东省在物资供应方面采取了哪些主要措施？具体内容和情况如何？")
    assert {"广东省", "物资", "供应", "措施"} <= set(tokens)
    assert not {"方面", "采取", "主要", "具体", "内容", "情况"} & set(tokens)


def test_numbers_and_percentages_are_whole_tokens() -> None:
    tokens = tokenize("2024年补助比例为50%，最高12.5万元")
    assert {"2024", "50%", "12.5"} <= set(tokens)


def test_article_references_are_one_token_in_both_spellings() -> None:
    assert "第十二条" in tokenize("依照本条例第十二条的规定")
    assert "第十二条" in tokenize("第12条")
    assert "第一百零五条" in tokenize("第一百零五条 附则")


def test_article_query_finds_the_article_with_bm25() -> None:
    corpus = [
        "第十一条 示例单位应当建立公务用车台账。",
        "第十二条 示例单位应当定期公开公务用车运行费用。",
        "第二十一条 本办法自发布之日起施行。",
    ]
    retriever = bm25s.BM25()
    retriever.index([tokenize(t) for t in corpus], show_progress=False)
    scores = retriever.get_scores(tokenize("第十二条"))
    assert int(np.argmax(scores)) == 1
    assert scores[0] == 0
    assert scores[2] == 0
