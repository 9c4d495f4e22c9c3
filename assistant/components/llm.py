"""Chat model factory: one LangChain `BaseChatModel` (or None) per `settings.llm.mode`."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from urllib.parse import urlparse

from langchain_core.language_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from pydantic import SecretStr

from assistant.components.local_model import ensure_model, get_bundled_model
from assistant.settings import LLMSettings

LLAMA_CPP_MISSING = (
    "本地模型需要 llama-cpp-python。请运行 make setup-llm，或 pip install -e .[llm]"
    "（需从源码编译，约 10 分钟）；也可将 llm.mode 设为 extractive 先使用抽取式回答。"
)
FAKE_ANSWER = (
    "【示例回答，未调用大模型】根据检索到的资料，相关规定见所引条文[1]。"
    "以上内容仅用于界面演示和测试。"
)


class ChatModelSetupError(RuntimeError):
    """The chat model cannot be built; the message (Chinese) says what to do."""


def make_chat_model(cfg: LLMSettings, data_dir: Path) -> BaseChatModel | None:
    """Build the chat model chosen by `cfg.mode`; None means extractive answers only.

    Args:
        cfg: the `llm` section of the settings.
        data_dir: the data directory; bundled models are assembled under `<data_dir>/models`.

    Raises:
        ChatModelSetupError: a required package, model file or setting is missing.
    """
    if cfg.mode == "extractive":
        return None
    if cfg.mode == "fake":
        return make_fake_chat_model()
    if cfg.mode == "openai":
        return _make_openai(cfg)
    if cfg.mode == "llamacpp":
        return _make_llamacpp(cfg, Path(data_dir))
    raise ChatModelSetupError(f"未知的大模型模式：{cfg.mode}")


def make_fake_chat_model(responses: list[str] | None = None) -> BaseChatModel:
    """A model that streams fixed replies in turn (UI demos and tests)."""
    return FakeListChatModel(responses=responses or [FAKE_ANSWER])


def describe_chat_model(cfg: LLMSettings) -> str:
    """A short Chinese description of the configured model for the UI."""
    if cfg.mode == "llamacpp":
        name = cfg.gguf_path.name if cfg.gguf_path else get_bundled_model(cfg.local_model).label
        return f"本地模型 {name}（llama.cpp，CPU）"
    if cfg.mode == "openai":
        host = urlparse(cfg.openai_base_url).netloc or cfg.openai_base_url
        return f"远程模型 {cfg.openai_model}（OpenAI 兼容接口 {host}）"
    if cfg.mode == "fake":
        return "演示模型（固定回答，仅用于测试）"
    return "抽取式（未启用大模型）"


def local_model_file(cfg: LLMSettings, data_dir: Path) -> Path:
    """The GGUF to load: `cfg.gguf_path`, or the bundled model (assembled on first use)."""
    if cfg.gguf_path is not None:
        if not Path(cfg.gguf_path).is_file():
            raise ChatModelSetupError(f"找不到模型文件：{cfg.gguf_path}")
        return Path(cfg.gguf_path)
    try:
        return ensure_model(data_dir, cfg.local_model)
    except RuntimeError as exc:
        raise ChatModelSetupError(str(exc)) from exc


def _make_llamacpp(cfg: LLMSettings, data_dir: Path) -> BaseChatModel:
    # Checked here, not at the first question, so a missing build shows up at start.
    if importlib.util.find_spec("llama_cpp") is None:
        raise ChatModelSetupError(LLAMA_CPP_MISSING)
    from assistant.components.llama_chat import LlamaCppChatModel

    path = local_model_file(cfg, data_dir)
    return LlamaCppChatModel(
        model_path=str(path),
        n_ctx=cfg.n_ctx,
        n_threads=cfg.n_threads,
        max_tokens=cfg.max_tokens,
        temperature=cfg.temperature,
        label=describe_chat_model(cfg),
    )


def _make_openai(cfg: LLMSettings) -> BaseChatModel:
    if not cfg.openai_base_url or not cfg.openai_model:
        raise ChatModelSetupError("大模型模式 openai 需要设置 llm.openai_base_url 和 llm.openai_model")
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        base_url=cfg.openai_base_url,
        # Local servers (vLLM, Ollama) accept any key, but the client insists on one.
        api_key=SecretStr(cfg.openai_api_key or "not-needed"),
        model=cfg.openai_model,
        temperature=cfg.temperature,
        # ChatOpenAI renames max_tokens to max_completion_tokens, which older vLLM, Ollama and
        # llama.cpp servers ignore; every OpenAI-compatible server understands max_tokens.
        extra_body={"max_tokens": cfg.max_tokens},
        timeout=cfg.request_timeout_s,
        max_retries=1,
    )
