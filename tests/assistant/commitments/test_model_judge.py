"""The model as second judge: only 中/低 items, in batches, over a loopback OpenAI-compatible server."""

from __future__ import annotations

import json
import re
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from assistant.commitments.model_judge import BatchJudge, parse_batch
from assistant.commitments.models import (
    DONE,
    HIGH,
    LOW,
    MEDIUM,
    MISSING,
    PARTLY,
    Commitment,
    Evidence,
    Verdict,
)
from assistant.components.llm import make_chat_model
from assistant.settings import LLMSettings


class JudgeHandler(BaseHTTPRequestHandler):
    """Stands in for vLLM: answers each 【第N项】 of a prompt with a JSON line, records requests."""

    verdicts = {"会议室": "已落实", "充电桩": "未体现", "食堂": "部分落实"}
    bodies: list[dict] = []

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).bodies.append(body)
        prompt = body["messages"][-1]["content"]
        lines = []
        for number, block in re.findall(r"【第(\d+)项】(.*?)(?=【第|\Z)", prompt, re.S):
            status = next((s for word, s in self.verdicts.items() if word in block), "部分落实")
            lines.append(json.dumps({"id": int(number), "status": status, "reason": "依据第1句。"},
                                    ensure_ascii=False))
        text = "\n".join(lines)
        if body.get("stream"):
            self._stream(text)
        else:
            self._json({"id": "c1", "object": "chat.completion", "created": 0, "model": body["model"],
                        "choices": [{"index": 0, "finish_reason": "stop",
                                     "message": {"role": "assistant", "content": text}}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})

    def _json(self, data: dict) -> None:
        raw = json.dumps(data, ensure_ascii=False).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _stream(self, text: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for delta, finish in (({"role": "assistant", "content": text}, None), ({}, "stop")):
            chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "m",
                     "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")


@contextmanager
def judge_server():
    JudgeHandler.bodies = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), JudgeHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def _verdict(text: str, status: str, confidence: str, evidence: str = "相关句子。") -> Verdict:
    ev = [Evidence(evidence, 0.5)] if evidence else []
    return Verdict(Commitment(text), status, "规则理由。", ev, candidates=ev, confidence=confidence)


def test_only_uncertain_items_go_to_the_model_in_batches(tmp_path):
    verdicts = [
        _verdict("国内生产总值增长8%左右。", DONE, HIGH),  # figures compared: never sent
        _verdict("推进会议室共享预约。", DONE, MEDIUM, "会议室共享预约全面推行。"),  # model agrees
        _verdict("建成公务用车充电桩50个。", PARTLY, LOW, "公务用车管理平台上线。"),  # model disagrees
        _verdict("机关食堂节约。", PARTLY, LOW, "食堂推行光盘行动。"),
        _verdict("无证据的承诺。", MISSING, LOW, ""),  # nothing to show the model
    ] + [_verdict(f"第{i}项其他承诺。", PARTLY, LOW) for i in range(4)]
    with judge_server() as url:
        model = make_chat_model(LLMSettings(mode="openai", openai_base_url=url, openai_model="judge"), tmp_path)
        answered = BatchJudge(model, batch_size=3).review(verdicts)
    assert answered == 7
    prompts = [b["messages"][-1]["content"] for b in JudgeHandler.bodies]
    assert len(prompts) == 3  # 7 uncertain items with evidence, 3 per request
    assert not any("国内生产总值" in p or "无证据" in p for p in prompts)
    assert "会议室共享预约全面推行" in prompts[0]  # the evidence goes with the item
    high, agree, disagree = verdicts[:3]
    assert (high.status, high.confidence, high.judged_by) == (DONE, HIGH, "rule")
    assert (agree.status, agree.confidence, agree.judged_by) == (DONE, HIGH, "llm")
    assert (disagree.status, disagree.confidence) == (MISSING, LOW)
    assert "规则倾向部分落实" in disagree.reason
    assert verdicts[4].judged_by == "rule"


def test_reply_parsing_tolerates_prose_missing_ids_and_bad_lines():
    reply = ('好的：\n{"id": 2, "status": "未体现", "reason": "无"}\n{"status": "已落实"}\n'
             '{"id": 9, "status": "已落实"}\n{"id": 3, "status": "不知道"}\n{坏的}')
    assert parse_batch(reply, 3) == {2: (MISSING, "无")}
    assert parse_batch('{"status": "已落实"}\n{"status": "部分落实", "reason": "r"}', 2) == {
        1: (DONE, ""), 2: (PARTLY, "r")}
