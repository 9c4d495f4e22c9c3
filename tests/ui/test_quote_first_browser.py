"""In chromium: the quote (资料原文) is in the bubble while the model has not answered yet, and the
model's summary (模型归纳) then appears below it, the quote unchanged.

The model is a loopback OpenAI-compatible stand-in that holds its reply until the test lets it
go, so "before" is checked by state, not by timing.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler

import pytest

from assistant.container import build_library
from assistant.settings import Settings
from tests.assistant.test_openai_endpoints import serving
from tests.ui.app_process import running_app
from tests.ui.test_browser import CHROMIUM, CHROMIUM_ARGS, REGULATION

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT_MS = 180_000
QUESTION = "公共机构节能工作由哪个部门负责组织、指导、协调和监督？"
SUMMARY = ["市机关事务管理局", "在市人民政府领导下，负责本市公共机构节能工作的组织、指导、协调和监督[1]。"]


SUMMARY_SHOWN_JS = """() => { const t = document.querySelector('#pda-chat').innerText;
  return t.includes('监督[1]。') && t.lastIndexOf('市机关事务管理局在市人民政府') > t.indexOf('模型归纳'); }"""


class GatedChatHandler(BaseHTTPRequestHandler):
    """Streams SUMMARY as chat.completion.chunk events once `gate` is set."""

    gate = threading.Event()
    requests = 0

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        type(self).requests += 1
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        type(self).gate.wait(timeout=TIMEOUT_MS / 1000)
        for piece in SUMMARY:
            self._event({"content": piece}, None)
        self._event({}, "stop")
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _event(self, delta: dict, finish: str | None) -> None:
        chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "m",
                 "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
        self.wfile.flush()


def _ingest(folder) -> None:
    settings = Settings()
    settings.data.data_dir = folder / "data"
    assert build_library(settings).ingest([REGULATION]).count("ingested") == 1


def test_quote_shows_before_the_summary_which_appears_below_it(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed (apt-get install chromium)")
    _ingest(tmp_path)
    GatedChatHandler.gate.clear()
    with serving(GatedChatHandler) as base_url:
        env = {"PDA_LLM__OPENAI_BASE_URL": base_url, "PDA_LLM__OPENAI_MODEL": "m",
               "PDA_LLM__OPENAI_API_KEY": "local"}
        with running_app(tmp_path, llm_mode="openai", extra_env=env) as url, \
                sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(url)
            page.get_by_role("tab", name="问答").click()
            page.locator("#pda-question textarea").fill(QUESTION)
            page.locator("#pda-ask").click()
            chat = page.locator("#pda-chat")
            chat.get_by_text("第四条").first.wait_for()
            waiting = chat.inner_text()  # the model holds its reply: only the quote is there
            GatedChatHandler.gate.set()
            page.wait_for_function(SUMMARY_SHOWN_JS)
            done = chat.inner_text()
            browser.close()
    assert GatedChatHandler.requests == 1
    assert "资料原文" in waiting
    assert "模型归纳" in waiting
    assert "市人民政府领导下，负责本市公共机构节能工作的组织、指导、协调和监督" in waiting
    assert "正在根据上述资料归纳" in waiting
    assert "".join(SUMMARY) not in waiting
    quote_block = waiting[waiting.index("资料原文"):waiting.index("模型归纳")]
    assert quote_block in done  # the quote the user was reading is still there, unchanged
    assert done.index("资料原文") < done.index("模型归纳") < done.index("".join(SUMMARY))
