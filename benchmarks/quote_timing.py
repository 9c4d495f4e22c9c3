"""Quote-first timing for bench_ui.py: time to the quote and to the summary's first token in the
browser, and the model's prompt-reading rate measured in the same run (after the app stopped).

The summary's first token can then be read against what the model alone needs: its prompt
tokens ÷ the prompt-reading rate (target: browser time ≤ 1.2 × that, i.e. no time lost outside
the model), and against the same prompts replayed in-process in the same order (so llama.cpp
reuses the common prefix exactly as in the app).
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

# Twenty questions on the fictional 示例 documents in samples/ (answers in samples/LABELS.md).
QUESTIONS = [
    "办公用房巡检由谁负责？", "单项工程预算多少以上的维修由机关事务管理部门组织实施？",
    "2025年集中学法多少次？", "公务用车中新能源汽车占比是多少？",
    "2025年主动公开政府信息多少条？", "全局有多少名执法人员取得行政执法证件？",
    "2025年度重大行政决策事项目录什么时候公布？", "行政执法监督模块什么时候正式上线？",
    "集中办公区累计建成多少个公务用车充电桩？", "局机关对外签订的合同合法性审查了多少份？",
    "2025年全市公共机构人均综合能耗同比下降多少？", "能耗统计数据按时报送率达到多少？",
    "2025年节能宣传周活动什么时间开展？", "公共机构节能管理办法所称公共机构是指什么？",
    "公共机构节能工作由哪个部门负责组织、指导、协调和监督？", "公共机构的主要负责人对节能工作负什么责任？",
    "执法人员人均参加执法业务培训多少学时？", "依申请公开受理了多少件？",
    "法律顾问列席局党组会议研究涉法事项多少次？", "全国低碳日当天各单位办公区域有什么要求？",
]
EMPTY_CHAT_JS = "() => document.querySelectorAll('#pda-chat .bot-row').length === 0"
BUSY_JS = "() => !!document.querySelector('#pda-chat .pending, #pda-chat .generating')"
LAST_BUBBLE_JS = """() => { const rows = document.querySelectorAll('#pda-chat .bot-row');
  return rows.length ? rows[rows.length - 1].innerText : ''; }"""
QUOTE_SHOWN_JS = """() => { const rows = document.querySelectorAll('#pda-chat .bot-row');
  if (!rows.length) return false; const t = rows[rows.length - 1].innerText;
  return t.includes('资料原文') || t.includes('资料库中未找到依据'); }"""
SUMMARY_STARTED_JS = """() => { const rows = document.querySelectorAll('#pda-chat .bot-row');
  if (!rows.length) return false; const t = rows[rows.length - 1].innerText;
  const i = t.indexOf('模型归纳'); if (i < 0) return t.includes('资料库中未找到依据');
  const after = t.slice(i + 4).trim(); return after.length > 0 && !after.startsWith('⏳'); }"""


def ask_quote_first(page, question: str, timeout_ms: int, summary: bool = True) -> dict[str, Any]:
    """One question in a fresh conversation: seconds to the quote and to the summary's first token."""
    page.locator("#pda-new").click()
    page.wait_for_function(EMPTY_CHAT_JS, timeout=timeout_ms)  # no earlier bubble can be read
    page.locator("#pda-question textarea").fill(question)
    started = time.perf_counter()
    page.locator("#pda-ask").click()
    page.wait_for_function(QUOTE_SHOWN_JS, timeout=timeout_ms, polling=50)
    quote_s = time.perf_counter() - started
    if summary:  # without a model no summary follows
        page.wait_for_function(SUMMARY_STARTED_JS, timeout=timeout_ms, polling=50)
    summary_s = time.perf_counter() - started
    text = _settled(page, timeout_ms / 1000)
    return {"question": question, "quote_s": round(quote_s, 3), "summary_first_token_s": round(summary_s, 3),
            "total_s": round(time.perf_counter() - started, 3), "refused": "资料库中未找到依据" in text,
            "summary_withheld": "已隐藏" in text or "摘要已省略" in text}


def _settled(page, timeout_s: float, quiet_s: float = 1.5) -> str:
    """The last bubble once nothing is pending and its text has not changed for quiet_s."""
    deadline = time.monotonic() + timeout_s
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        text = page.evaluate(LAST_BUBBLE_JS)
        busy = page.evaluate(BUSY_JS)
        if busy or text != last:
            last, since = text, time.monotonic()
        elif time.monotonic() - since >= quiet_s:
            return text
        time.sleep(0.2)
    raise TimeoutError("the answer did not settle")


def prompts_of(data_dir: Path, questions: list[str]) -> dict[str, list[dict[str, str]]]:
    """The chat messages the app sends the model for each question (same library, same code)."""
    from langchain_core.callbacks import BaseCallbackHandler
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from assistant.answering import AnswerService
    from assistant.container import build_library
    from assistant.settings import load_settings

    class Recorder(BaseCallbackHandler):
        def __init__(self) -> None:
            self.prompts: list[list[dict[str, str]]] = []

        def on_chat_model_start(self, serialized, messages, **kwargs) -> None:
            roles = {"system": "system", "human": "user", "ai": "assistant"}
            self.prompts += [[{"role": roles[m.type], "content": str(m.content)} for m in batch]
                             for batch in messages]

    settings = load_settings()
    settings.data.data_dir = data_dir
    recorder = Recorder()
    model = FakeListChatModel(responses=["[1]"], callbacks=[recorder])
    service = AnswerService(build_library(settings), model, settings)
    out = {}
    for question in questions:
        before = len(recorder.prompts)
        service.answer(question)
        if len(recorder.prompts) > before:  # a refusal never reaches the model
            out[question] = recorder.prompts[-1]
    return out


def model_timings(gguf: Path, prompts: dict[str, list[dict[str, str]]],
                  threads: int = 2, replay: bool = False, rate_prompts: int = 20) -> dict[str, Any]:
    """Prompt-reading rate (each prompt read whole) and first-token time replayed in app order."""
    from llama_cpp import Llama

    llama = Llama(model_path=str(gguf), n_ctx=4096, n_threads=threads, verbose=False)
    rows: dict[str, dict[str, float]] = {}
    for question, messages in list(prompts.items())[:rate_prompts]:
        llama.reset()  # read the whole prompt: the rate
        started = time.perf_counter()
        reply = llama.create_chat_completion(messages=messages, max_tokens=1, temperature=0.1)
        rows[question] = {"prompt_tokens": reply["usage"]["prompt_tokens"],
                          "cold_s": round(time.perf_counter() - started, 3)}
    llama.reset()
    for question, messages in list(prompts.items())[:rate_prompts] if replay else ():  # common prefix reused, as in the app
        started = time.perf_counter()
        llama.create_chat_completion(messages=messages, max_tokens=1, temperature=0.1)
        rows[question]["in_app_order_s"] = round(time.perf_counter() - started, 3)
    llama.close()
    tokens = sum(r["prompt_tokens"] for r in rows.values())
    rate = tokens / sum(r["cold_s"] for r in rows.values()) if rows else 0.0
    return {"rate_tokens_per_s": round(rate, 1), "per_question": rows}


def percentiles(values: list[float]) -> dict[str, float | None]:
    """p50 and p95 (nearest rank)."""
    if not values:
        return {"p50": None, "p95": None}
    ordered = sorted(values)
    return {name: round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 3)
            for name, q in (("p50", 0.5), ("p95", 0.95))}


def ratios(rows: list[dict[str, Any]], timings: dict[str, Any]) -> dict[str, Any]:
    """Browser summary first token against prompt tokens ÷ rate and against the in-process replay."""
    rate, model = timings["rate_tokens_per_s"], timings["per_question"]
    asked = [(r, model.get(r["question"])) for r in rows]
    by_rate = [r["summary_first_token_s"] / (m["prompt_tokens"] / rate) for r, m in asked if m]
    by_replay = [r["summary_first_token_s"] / m["in_app_order_s"] for r, m in asked
                 if m and "in_app_order_s" in m]
    tokens = [m["prompt_tokens"] for _, m in asked if m]
    return {"vs_prompt_tokens_over_rate": percentiles(by_rate),
            "vs_same_prompts_replayed": percentiles(by_replay),
            "median_prompt_tokens": statistics.median(tokens) if tokens else None}
