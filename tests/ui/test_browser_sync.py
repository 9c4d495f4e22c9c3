"""A new user's session in headless chromium (English browser locale), next to a page opened earlier.

One app and one mixed upload for the module; each test checks one complaint of issues 10 and 11.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.ui.app_process import REPO_ROOT, running_app
from tests.ui.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REGULATION,
    REPORT_2024,
    REPORT_2025,
    SAMPLES,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT_MS = 300_000
SCREENSHOTS = REPO_ROOT / "tests" / "artifacts"
UNSUPPORTED = "扫描件.xyz"
OVERSIZE = "超大附件.txt"  # over the test app's max_upload_mb of 5


@dataclass
class Session:
    url: str
    folder: Path
    gradio_tmp: Path
    context: Any
    early: Any  # a page opened before anything was uploaded
    results: str  # the 导入结果 table after the mixed upload

    def new_page(self) -> Any:
        page = self.context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(self.url)
        page.locator("#pda-settings").wait_for()
        return page


def _batch(folder: Path) -> list[Path]:
    folder.mkdir()
    for src in (SAMPLES / f"{REPORT_2024}.txt", SAMPLES / f"{REPORT_2025}.txt", REGULATION):
        shutil.copy(src, folder / src.name)
    (folder / UNSUPPORTED).write_bytes(b"not a document")
    (folder / OVERSIZE).write_bytes(b"x" * (6 * 1024 * 1024))
    return sorted(folder.iterdir())


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed (apt-get install chromium)")
    folder = tmp_path_factory.mktemp("sync")
    gradio_tmp = folder / "gradio-tmp"
    with (running_app(folder, extra_env={"GRADIO_TEMP_DIR": str(gradio_tmp)}) as url,
          sync_api.sync_playwright() as pw):
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
        state = Session(url, folder, gradio_tmp, context, None, "")
        state.early = state.new_page()
        uploader = state.new_page()
        uploader.get_by_role("tab", name="文档库").click()
        uploader.locator("#pda-upload input[type=file]").set_input_files(_batch(folder / "batch"))
        uploader.locator("#pda-ingest").click()
        uploader.locator("#pda-library-status", has_text="已入库3个").wait_for()
        state.results = uploader.locator("#pda-ingest-results").inner_text()
        _shot(uploader, "sync-library")
        uploader.close()  # every open page polls the library: keep only the ones in use
        yield state
        browser.close()


@pytest.fixture
def page(session: Session):
    """A page opened now (after the upload), closed after the test."""
    fresh = session.new_page()
    yield fresh
    fresh.close()


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _choose(page, elem_id: str, option: str) -> None:
    page.locator(f"#{elem_id} input").click()
    page.get_by_role("option", name=option).first.click()


def test_mixed_batch_is_refused_per_file_in_chinese(session: Session) -> None:
    assert session.results.count("已入库") == 3  # the good files of the batch are not lost
    assert UNSUPPORTED in session.results
    assert "不支持" in session.results
    assert OVERSIZE in session.results
    assert "超过了上传上限" in session.results
    assert "Invalid file type" not in session.results


def test_only_the_librarys_copy_of_an_upload_is_kept(session: Session) -> None:
    data = session.folder / "data"
    assert [p for p in (data / "uploads").rglob("*") if p.is_file()] == []
    names = {REPORT_2024 + ".txt", REPORT_2025 + ".txt", REGULATION.name, UNSUPPORTED, OVERSIZE}
    assert [p for p in session.gradio_tmp.rglob("*") if p.name in names] == []
    kept = [p for p in data.rglob("*") if p.is_file() and p.suffix in (".txt", ".md")]
    assert len(kept) == 3


def test_a_page_opened_before_the_upload_can_choose_the_new_documents(session: Session) -> None:
    page = session.early
    page.get_by_role("tab", name="文档库").click()
    page.locator("#pda-doc-table", has_text=REPORT_2025).wait_for()  # refreshed without reload
    page.get_by_role("tab", name="问答").click()
    page.get_by_text("检索范围（不选则检索全部）").click()
    _choose(page, "pda-filter-docs", REPORT_2025)
    page.locator("#pda-question textarea").fill("全年组织局党组理论学习中心组集中学法几次？")
    page.locator("#pda-ask").click()
    try:
        page.locator("#pda-chat", has_text="5次").wait_for()
    finally:
        _shot(page, "early-page-qa")
    assert REPORT_2025 in page.locator("#pda-sources").inner_text()
    assert "not in the list of choices" not in page.content()
    page.get_by_role("tab", name="起草").click()
    _choose(page, "pda-draft-last-year", REPORT_2024)


def test_check_tab_offers_last_years_plan_and_this_years_report(page) -> None:
    page.get_by_role("tab", name="承诺核对").click()
    plan = page.locator("#pda-check-plan input")
    page.wait_for_function("e => e.value.length > 0", arg=plan.element_handle())
    assert plan.input_value() == REPORT_2024
    assert page.locator("#pda-check-against input").input_value() == REPORT_2025


def test_metadata_form_shows_the_chosen_documents_values(session: Session, page) -> None:
    page.get_by_role("tab", name="文档库").click()
    year = page.locator("#pda-meta-year textarea, #pda-meta-year input").first
    assert year.input_value() == ""  # nothing chosen: empty, not "0"
    _choose(page, "pda-doc-picker", REGULATION.stem)
    title = page.locator("#pda-meta-title textarea, #pda-meta-title input").first
    page.wait_for_function("e => e.value.length > 0", arg=title.element_handle())
    assert title.input_value() == REGULATION.stem
    issuer = page.locator("#pda-meta-issuer textarea, #pda-meta-issuer input").first
    assert issuer.input_value() != ""
    assert year.input_value() == "2023"  # the sample regulation's year
    title.fill("示例市公共机构节能管理办法（修订）")
    page.locator("#pda-save-meta").click()
    page.locator("#pda-library-status", has_text="已保存").wait_for()
    session.early.get_by_role("tab", name="文档库").click()
    session.early.locator("#pda-doc-table", has_text="（修订）").wait_for()  # the other page follows
    assert title.input_value() == "示例市公共机构节能管理办法（修订）"  # the form kept the edit


def test_upload_box_speaks_chinese_in_an_english_browser(page) -> None:
    assert page.evaluate("navigator.language") == "zh-CN"
    page.get_by_role("tab", name="文档库").click()
    box = page.locator("#pda-upload").inner_text()
    assert "拖放" in box
    assert "Drop File Here" not in box
    assert "Click to Upload" not in box


def test_enter_in_the_question_box_asks(page) -> None:
    question = page.locator("#pda-question textarea")
    question.fill("办公用房巡检由谁负责？")
    question.press("Enter")
    page.locator("#pda-chat", has_text="[1]").wait_for()
    assert "机关事务管理部门" in page.locator("#pda-chat").inner_text()
    _shot(page, "sync-enter-qa")
