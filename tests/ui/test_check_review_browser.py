"""承诺核对 review in chromium: decide two 待确认 items, restart the app, find them kept and exported."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui.app_process import REPO_ROOT, running_app
from tests.ui.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REPORT_2024,
    REPORT_2025,
    SAMPLES,
    TIMEOUT_MS,
    choose,
    shot,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _ingest(folder: Path) -> None:
    """The sample pair in the app's library, through the CLI (the upload is tested elsewhere)."""
    files = [str(SAMPLES / f"{name}.txt") for name in (REPORT_2024, REPORT_2025)]
    subprocess.run([sys.executable, "-m", "assistant", "--index", str(folder / "data"), "ingest", *files],
                   cwd=REPO_ROOT, check=True, capture_output=True)


def _run_check(page) -> None:
    page.get_by_role("tab", name="承诺核对").click()
    choose(page, "pda-check-plan", REPORT_2024)
    choose(page, "pda-check-against", REPORT_2025)
    page.locator("#pda-check-run").click()
    page.locator("#pda-check-output table").wait_for()


def _decide(page, status: str, note: str, previous: str = "") -> str:
    """Decide the selected 待确认 item (once it is not `previous`); returns the promise's text."""
    page.wait_for_function(
        "prev => { const q = document.querySelector('#pda-review-detail blockquote');"
        " return q && q.innerText.trim() && q.innerText.trim() !== prev; }", arg=previous)
    promise = page.locator("#pda-review-detail blockquote").first.inner_text().strip()
    page.locator("#pda-review-status").get_by_text(status, exact=True).click()
    page.locator("#pda-review-note textarea").fill(note)
    page.locator("#pda-review-save").click()
    return promise


def _csv_rows(folder: Path) -> list[dict[str, str]]:
    newest = max((folder / "data" / "exports").glob("*/承诺核对.csv"), key=lambda p: p.stat().st_mtime)
    with newest.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_review_two_items_restart_and_find_them_kept(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed (apt-get install chromium)")
    _ingest(tmp_path)
    decided = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        with running_app(tmp_path) as url:
            page = browser.new_page(viewport={"width": 1400, "height": 1200})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(url)
            _run_check(page)
            assert "待确认" in page.locator("#pda-check-output p").first.inner_text()
            detail = page.locator("#pda-review-detail")
            detail.locator("mark").first.wait_for()  # matching words highlighted in the evidence
            assert "工具倾向" in detail.inner_text()
            decided.append(_decide(page, "部分落实", "第一项已人工核对"))
            page.locator("#pda-check-output", has_text="人工确认1项").wait_for()
            decided.append(_decide(page, "未体现", "第二项已人工核对", previous=decided[0]))
            page.locator("#pda-check-output", has_text="人工确认2项").wait_for()
            shot(page, "check_review")
            page.close()
        with running_app(tmp_path) as url:  # a new process over the same library
            page = browser.new_page(viewport={"width": 1400, "height": 1200})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(url)
            _run_check(page)
            page.locator("#pda-check-output", has_text="人工确认2项").wait_for()
            page.locator("#pda-check-downloads", has_text=".csv").wait_for()
            page.close()
        browser.close()
    rows = {r["事项"]: r for r in _csv_rows(tmp_path)}
    first, second = (rows[text] for text in decided)
    assert (first["状态"], first["人工判断"], first["备注"], first["决定人"]) == ("部分落实", "部分落实", "第一项已人工核对", "人工")
    assert (second["状态"], second["备注"]) == ("未体现", "第二项已人工核对")
    assert first["决定时间"]
    assert sum(1 for r in rows.values() if r["人工判断"]) == 2
