"""Keyword index: bm25s over jieba tokens with the library's k1/b."""

from __future__ import annotations

from index.stores.bm25_index import BM25Index


def test_passage_with_every_query_word_beats_one_repeating_a_word() -> None:
    corpus = [
        ["防护服", "防护服", "防护服", "防护服", "采购"],
        ["防护服", "口罩", *(f"其他{i}" for i in range(10))],
        *(["填充", "口罩"] for _ in range(3)),
        ["防护服", "填充"],
    ]
    hits = BM25Index.build(corpus).search(["防护服", "口罩"], k=3)
    assert hits[0][0] == 1


def test_search_respects_allowed_rows() -> None:
    index = BM25Index.build([["口罩"], ["口罩", "消毒"], ["消毒"]])
    assert {row for row, _ in index.search(["口罩"], k=3, allowed_ids=[1, 2])} == {1}
