"""In-process llama.cpp chat model behind LangChain's `BaseChatModel`.

The model is loaded on the first call, not at construction, so the UI starts at once.
llama.cpp reuses the KV cache of the longest common token prefix with the previous call, so a
constant system prompt (and an unchanged context) is read only once. An optional RAM cache of
saved states keeps that benefit when different prompts take turns, but each saved state also
copies up to n_batch x vocabulary logits (about 300 MB for Qwen2.5), so it is off by default.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel, generate_from_stream
from langchain_core.messages import AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

ROLES = {"system": "system", "human": "user", "ai": "assistant", "tool": "tool"}


class LlamaCppChatModel(BaseChatModel):
    """A local GGUF model run by llama-cpp-python in this process (CPU)."""

    model_path: str
    n_ctx: int = 4096
    n_threads: int = 2
    max_tokens: int = 400
    temperature: float = 0.1
    label: str = ""
    state_cache_bytes: int = 0  # 0: no saved states, only the live prefix reuse

    _llama: Any = PrivateAttr(default=None)
    # One llama.cpp context cannot serve two generations at once.
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def _llm_type(self) -> str:
        return "llamacpp-inprocess"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "n_ctx": self.n_ctx, "temperature": self.temperature}

    def load(self) -> Any:
        """Load the GGUF now (normally done by the first call)."""
        if self._llama is None:
            from llama_cpp import Llama, LlamaRAMCache

            llama = Llama(model_path=self.model_path, n_ctx=self.n_ctx, n_threads=self.n_threads,
                          n_threads_batch=self.n_threads, verbose=False)
            if self.state_cache_bytes > 0:
                llama.set_cache(LlamaRAMCache(capacity_bytes=self.state_cache_bytes))
            self._llama = llama
        return self._llama

    def close(self) -> None:
        """Free the model's memory; the next call loads it again."""
        with self._lock:
            if self._llama is not None:
                self._llama.close()
                self._llama = None

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return generate_from_stream(self._stream(messages, stop, run_manager, **kwargs))

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        with self._lock:
            stream = self.load().create_chat_completion(
                messages=[_to_llama_message(m) for m in messages],
                stream=True,
                stop=stop or [],
                max_tokens=kwargs.get("max_tokens", self.max_tokens),
                temperature=kwargs.get("temperature", self.temperature),
            )
            for part in stream:
                chunk = _to_chunk(part)
                if chunk is None:
                    continue
                if run_manager:
                    run_manager.on_llm_new_token(chunk.text, chunk=chunk)
                yield chunk


def _to_llama_message(message: BaseMessage) -> dict[str, str]:
    return {"role": ROLES.get(message.type, "user"), "content": message.text}


def _to_chunk(part: dict[str, Any]) -> ChatGenerationChunk | None:
    """One streamed OpenAI-style delta as a LangChain chunk (None for empty deltas)."""
    choice = part["choices"][0]
    text = choice.get("delta", {}).get("content") or ""
    finish = choice.get("finish_reason")
    if not text and not finish:
        return None
    info = {"finish_reason": finish} if finish else None
    message = AIMessageChunk(content=text, chunk_position="last" if finish else None)
    return ChatGenerationChunk(message=message, generation_info=info)
