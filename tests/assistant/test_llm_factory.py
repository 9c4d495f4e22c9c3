"""Chat model factory, the in-process llama.cpp wrapper, and the real local models (llm)."""

from __future__ import annotations

import importlib.util
import os
import threading
import time
from pathlib import Path

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from assistant.components.llama_chat import LlamaCppChatModel
from assistant.components.llm import (
    FAKE_ANSWER,
    ChatModelSetupError,
    describe_chat_model,
    make_chat_model,
)
from assistant.components.local_model import ModelSetupError, find_parts, get_bundled_model
from assistant.settings import LLMSettings


def test_extractive_mode_has_no_model(tmp_path):
    assert make_chat_model(LLMSettings(mode="extractive"), tmp_path) is None
    assert describe_chat_model(LLMSettings(mode="extractive")) == "抽取式（未启用大模型）"


def test_fake_mode_streams_a_fixed_cited_answer(tmp_path):
    model = make_chat_model(LLMSettings(mode="fake"), tmp_path)
    chunks = [c.content for c in model.stream([HumanMessage("公务用车怎么管？")])]
    assert len(chunks) > 1
    assert "".join(chunks) == FAKE_ANSWER
    assert "[1]" in FAKE_ANSWER
    assert model.invoke("再问一次").content == FAKE_ANSWER


def test_openai_mode_requires_endpoint_and_model(tmp_path):
    with pytest.raises(ChatModelSetupError, match="openai_base_url"):
        make_chat_model(LLMSettings(mode="openai", openai_model="qwen"), tmp_path)


def test_openai_mode_builds_client(tmp_path):
    cfg = LLMSettings(mode="openai", openai_base_url="http://10.0.0.5:8000/v1",
                      openai_model="Qwen2.5-7B-Instruct", request_timeout_s=42, max_tokens=300)
    model = make_chat_model(cfg, tmp_path)
    assert model.model_name == "Qwen2.5-7B-Instruct"
    assert model.openai_api_base == "http://10.0.0.5:8000/v1"
    assert model.request_timeout == 42
    assert model.extra_body == {"max_tokens": 300}
    assert describe_chat_model(cfg) == "远程模型 Qwen2.5-7B-Instruct（OpenAI 兼容接口 10.0.0.5:8000）"


def test_llamacpp_missing_package_says_what_to_install(tmp_path, monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "llama_cpp" else real_find_spec(name, *a))
    with pytest.raises(ChatModelSetupError) as info:
        make_chat_model(LLMSettings(mode="llamacpp"), tmp_path)
    assert "make setup-llm" in str(info.value)
    assert "pip install -e .[llm]" in str(info.value)


def test_llamacpp_missing_gguf_path(tmp_path):
    pytest.importorskip("llama_cpp")
    cfg = LLMSettings(mode="llamacpp", gguf_path=tmp_path / "none.gguf")
    with pytest.raises(ChatModelSetupError, match="none.gguf"):
        make_chat_model(cfg, tmp_path)


def test_llamacpp_with_own_gguf_is_lazy(tmp_path):
    pytest.importorskip("llama_cpp")
    gguf = tmp_path / "my-model.gguf"
    gguf.write_bytes(b"GGUF not really a model")
    cfg = LLMSettings(mode="llamacpp", gguf_path=gguf, n_threads=1, n_ctx=2048)
    model = make_chat_model(cfg, tmp_path)  # nothing is loaded until the first call
    assert isinstance(model, LlamaCppChatModel)
    assert (model.model_path, model.n_threads, model.n_ctx) == (str(gguf), 1, 2048)
    assert describe_chat_model(cfg) == "本地模型 my-model.gguf（llama.cpp，CPU）"


def test_describe_bundled_models():
    assert describe_chat_model(LLMSettings(mode="llamacpp")) == \
        "本地模型 Qwen2.5-Coder-1.5B（llama.cpp，CPU）"
    small = LLMSettings(mode="llamacpp", local_model="qwen2.5-coder-0.5b")
    assert "Qwen2.5-Coder-0.5B" in describe_chat_model(small)


class ScriptedLlama:
    """Stands in for llama_cpp.Llama: streams OpenAI-style deltas and records the calls."""

    def __init__(self, pieces: list[str]) -> None:
        self.pieces = pieces
        self.calls: list[dict] = []
        self.active = 0
        self.max_active = 0

    def create_chat_completion(self, **kwargs):
        self.calls.append(kwargs)
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        try:
            yield {"choices": [{"delta": {"role": "assistant"}, "finish_reason": None}]}
            for piece in self.pieces:
                time.sleep(0.01)
                yield {"choices": [{"delta": {"content": piece}, "finish_reason": None}]}
            yield {"choices": [{"delta": {}, "finish_reason": "stop"}]}
        finally:
            self.active -= 1


def _scripted_model(pieces: list[str]) -> tuple[LlamaCppChatModel, ScriptedLlama]:
    model = LlamaCppChatModel(model_path="unused.gguf", max_tokens=77, temperature=0.3)
    llama = ScriptedLlama(pieces)
    model._llama = llama
    return model, llama


def test_wrapper_maps_roles_and_settings():
    model, llama = _scripted_model(["依据", "第十二条[1]。"])
    reply = model.invoke([SystemMessage("系统提示"), HumanMessage("问题"), AIMessage("上一轮回答"),
                          HumanMessage("追问")], stop=["###"])
    assert reply.content == "依据第十二条[1]。"
    assert reply.response_metadata.get("finish_reason") == "stop"
    call = llama.calls[0]
    assert [m["role"] for m in call["messages"]] == ["system", "user", "assistant", "user"]
    assert call["messages"][0]["content"] == "系统提示"
    assert (call["stream"], call["stop"], call["max_tokens"], call["temperature"]) == \
        (True, ["###"], 77, 0.3)


def test_wrapper_streams_tokens_to_callbacks():
    model, _ = _scripted_model(["一", "二", "三"])
    seen: list[str] = []

    class Collect(BaseCallbackHandler):
        def on_llm_new_token(self, token, **kwargs):
            seen.append(token)

    chunks = [c.content for c in model.stream("你好", config={"callbacks": [Collect()]})]
    assert "".join(chunks) == "一二三"
    assert seen[:3] == ["一", "二", "三"]


def test_wrapper_serialises_concurrent_calls():
    model, llama = _scripted_model(["甲"] * 5)
    threads = [threading.Thread(target=model.invoke, args=("问题",)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(llama.calls) == 3
    assert llama.max_active == 1


# --- the real bundled models --------------------------------------------------------------


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory) -> Path:
    """Reuse an already assembled data dir if PDA_TEST_DATA_DIR names one (saves copying 1.6 GB)."""
    existing = os.environ.get("PDA_TEST_DATA_DIR")
    return Path(existing) if existing else tmp_path_factory.mktemp("models")


@pytest.mark.llm
@pytest.mark.parametrize("name", ["qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b"])
def test_real_local_model_streams_a_chinese_answer(name, models_dir):
    pytest.importorskip("llama_cpp")
    try:
        find_parts(get_bundled_model(name))
    except ModelSetupError as exc:
        pytest.skip(str(exc))
    # One thread: two spin-waiting threads crawl when the test machine is busy.
    cfg = LLMSettings(mode="llamacpp", local_model=name, max_tokens=24, temperature=0.0,
                      n_ctx=1024, n_threads=1)
    model = make_chat_model(cfg, models_dir)
    messages = [SystemMessage("你是机关事务管理局的助手，用中文简短回答。"),
                HumanMessage("资料：公务用车实行统一管理、集中调度。\n问题：公务用车如何管理？")]
    try:
        chunks = [c.content for c in model.stream(messages)]
    finally:
        model.close()
    answer = "".join(chunks)
    assert len([c for c in chunks if c]) > 1  # really streamed, not one block
    assert answer.strip()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in answer)
