"""The app in headless Debian chromium: upload, ask, draft, check commitments, remove."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.ui.app_process import REPO_ROOT, running_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
SAMPLES = REPO_ROOT / "samples" / "text"
REPORT_2024 = "示例市机关事务管理局2024年法治政府建设年度报告"
REPORT_2025 = "示例市机关事务管理局2025年法治政府建设年度报告"
REGULATION = REPO_ROOT / "samples" / "示例市公共机构节能管理办法.md"
TIMEOUT_MS = 180_000

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def page(tmp_path: Path):
    """A chromium page on the running app; every request the page makes is recorded."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed (apt-get install chromium)")
    with running_app(tmp_path) as url, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.requests = []  # type: ignore[attr-defined]
        page.on("request", lambda r: page.requests.append(r.url))  # type: ignore[attr-defined]
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)
        page.base_url = url  # type: ignore[attr-defined]
        yield page
        browser.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def choose(page, elem_id: str, option: str) -> None:
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=option).first.click()


def upload_samples(page, tmp_path: Path) -> None:
    uploads = tmp_path / "to-upload"
    uploads.mkdir()
    for src in (SAMPLES / f"{REPORT_2024}.txt", SAMPLES / f"{REPORT_2025}.txt", REGULATION):
        shutil.copy(src, uploads / src.name)
    open_tab(page, "文档库")
    page.locator("#pda-upload input[type=file]").set_input_files(sorted(uploads.iterdir()))
    page.locator("#pda-ingest").click()
    page.locator("#pda-library-status", has_text="已入库3个").wait_for()
    shot(page, "library")


def ask(page) -> None:
    open_tab(page, "问答")
    page.locator("#pda-question textarea").fill("办公用房巡检由谁负责？")
    page.locator("#pda-ask").click()
    page.locator("#pda-sources mark").first.wait_for()
    page.locator("#pda-chat", has_text="[1]").wait_for()
    assert "机关事务管理部门" in page.locator("#pda-chat").inner_text()
    assert "节能管理办法" in page.locator("#pda-sources").inner_text()
    shot(page, "qa")


def draft(page) -> None:
    open_tab(page, "起草")
    page.locator("#pda-draft-notes textarea").fill("完成办公用房管理系统升级，接入12个单位\n开展节能宣传活动5次")
    page.locator("#pda-draft-generate").click()
    page.locator("#pda-draft-output", has_text="参考来源").wait_for()
    assert "接入12个单位" in page.locator("#pda-draft-output").inner_text()
    page.locator("#pda-draft-docx", has_text=".docx").wait_for()
    shot(page, "draft")


def check(page) -> None:
    open_tab(page, "承诺核对")
    choose(page, "pda-check-plan", REPORT_2024)
    choose(page, "pda-check-against", REPORT_2025)
    page.locator("#pda-check-run").click()
    page.locator("#pda-check-output .pda-done").first.wait_for()
    assert page.locator("#pda-check-output .pda-missing").count() > 0
    colour = page.locator("#pda-check-output .pda-done").first.evaluate(
        "e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(198, 239, 206)"  # green
    page.locator("#pda-check-downloads", has_text=".xlsx").wait_for()
    shot(page, "check")


def remove(page) -> None:
    open_tab(page, "文档库")
    choose(page, "pda-doc-picker", REPORT_2024)
    page.locator("#pda-confirm-remove input").check()
    page.locator("#pda-remove").click()
    page.locator("#pda-library-status", has_text="已删除").wait_for()
    # The table follows in the library-version refresh right after the removal.
    page.wait_for_function("() => !document.querySelector('#pda-doc-table').innerText"
                           ".includes('2024年法治政府')")


def test_full_workflow_in_browser(page, tmp_path: Path) -> None:
    shot(page, "start")
    assert "抽取式模式" in page.locator("#pda-settings").inner_text()
    upload_samples(page, tmp_path)
    ask(page)
    draft(page)
    check(page)
    remove(page)
    origin = urlparse(page.base_url).netloc
    outside = [u for u in page.requests if urlparse(u).scheme in ("http", "https", "ws", "wss")
               and urlparse(u).netloc != origin]
    assert outside == []
