"""OCR benchmark: regulations from ../shared/corpus printed and scanned (benchmarks/scan_render.py),
read back by the library's OCR path; character error rate, article lookup, speed, query latency.

    .venv/bin/python benchmarks/bench_ocr.py [--engine v6|v4|both] [--threads 2] [--skip-library]

The v4 engine (rapidocr-onnxruntime 1.4.4, PP-OCRv4) is only for the comparison; install it
beside the project without its opencv-python dependency:
    .venv/bin/pip install --no-deps --target /tmp/ocrv4 rapidocr-onnxruntime==1.4.4
and pass --v4-path /tmp/ocrv4.

Layout constants (index/loaders/layout.py) were tuned on the "tune" regulations only; the
"held-out" ones are reported separately. CER is edit distance / reference characters per page,
after NFKC (full/half-width punctuation counts as the same character) and without whitespace;
the reference is the page's printed body text (no running header, no page number), so header
or page-number leftovers and reading-order mistakes count as errors too.
Results: benchmarks/results/ocr.json; a Markdown summary is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import threading
import time
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from scan_render import (  # noqa: E402
    ScanOptions,
    find_cjk_font,
    markdown_paragraphs,
    render,
    save_pdf,
)

from index.loaders import ocr as ocr_module  # noqa: E402
from index.loaders.layout import page_lines, running_texts  # noqa: E402
from index.loaders.ocr import OcrOptions, OcrPage, ocr_pages  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "regulations"
OUT = ROOT / "benchmarks" / "results"
TUNE = ["机关事务管理条例", "机关团体建设楼堂馆所管理条例"]
HELD_OUT = [
    "法规规章备案审查条例",
    "公共机构节能条例",
    "国家行政机关及其工作人员在国内公务活动中不得赠送和接受礼品的规定",
]
SEAL = "示例市机关事务管理局"


def source_file(name: str) -> Path:
    return next(CORPUS.glob(f"{name}(*).md"))


# ----- scans ----------------------------------------------------------------------------------


VARIANTS: dict[str, dict[str, Any]] = {
    "clean": {},
    # A worn flatbed: more tilt, softer focus, more noise, harder JPEG compression.
    "harsh": {"rotation_deg": 1.5, "blur": 1.0, "noise": 18.0, "jpeg_quality": 50},
    "two-column": {"columns": 2},
}


def make_scans(
    names: list[str], target: Path, dpi: int, variant: str = "clean"
) -> dict[str, list[list[str]]]:
    """Render each regulation as an image-only PDF; returns each page's printed body lines."""
    font = find_cjk_font()
    if font is None:
        raise SystemExit("没有找到中文字体：请先安装 Debian 的 fonts-noto-cjk（make ocr-deps）。")
    target.mkdir(parents=True, exist_ok=True)
    truths = {}
    for seed, name in enumerate(names, 1):
        paragraphs = markdown_paragraphs(source_file(name).read_text(encoding="utf-8"))
        options = ScanOptions(dpi=dpi, seed=seed, running_header=name[:16], seal_on_last_page=SEAL,
                              **VARIANTS[variant])
        pages = render(paragraphs, font, options)
        save_pdf(pages, target / f"{name}.pdf", dpi)
        truths[name] = [page.truth for page in pages]
    return truths


# ----- engines --------------------------------------------------------------------------------


class _V4Result:
    def __init__(self, raw: list | None) -> None:
        import numpy as np

        raw = raw or []
        self.boxes = np.array([r[0] for r in raw], dtype=float) if raw else None
        self.txts = [r[1] for r in raw] if raw else None
        self.scores = [float(r[2]) for r in raw]


class _V4Engine:
    """rapidocr-onnxruntime 1.4.4 (PP-OCRv4) behind the interface index.loaders.ocr expects."""

    def __init__(self, threads: int) -> None:
        from rapidocr_onnxruntime import RapidOCR

        self.engine = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1)

    def __call__(self, array: Any) -> _V4Result:
        result, _ = self.engine(array)
        return _V4Result(result)


def use_engine(kind: str, threads: int, niceness: int = 0) -> None:
    """Make index.loaders.ocr use the given engine (the library path is otherwise unchanged).

    Speed is measured at normal priority (niceness 0): on a shared machine the library's low
    OCR priority would measure the other users' load instead. The latency test uses the
    library's own priority.
    """
    ocr_module._engines.clear()
    ocr_module._executor = None  # a new worker thread: it takes the niceness, engines follow
    ocr_module._OCR_NICENESS = niceness
    if kind == "v4":
        ocr_module._engines[threads] = _V4Engine(threads)


# ----- quality and speed ----------------------------------------------------------------------


def normalise(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def read_scan(
    pdf: Path, threads: int, cache_dir: Path | None, limit: int | None = None
) -> tuple[list[OcrPage], float]:
    """OCR every page of a scan the way the PDF loader does; pages and seconds taken."""
    import pypdfium2 as pdfium

    from index.hashing import file_sha256
    from index.loaders.pdf_ocr import _render

    document = pdfium.PdfDocument(pdf)
    started = time.perf_counter()
    try:
        pages = ocr_pages(
            lambda n: _render(document, n), list(range(1, min(len(document), limit or 9999) + 1)),
            name=pdf.name,
            file_sha=file_sha256(pdf), options=OcrOptions(cache_dir=cache_dir, threads=threads,
                                                      max_pages=1000),
        )
    finally:
        document.close()
    return pages, time.perf_counter() - started


def page_errors(pages: list[OcrPage], truth: list[list[str]]) -> list[tuple[int, int]]:
    """(edit distance, reference length) per page, on the text after layout."""
    running = running_texts(pages)
    rows = []
    for page, lines in zip(pages, truth, strict=True):
        got = normalise("".join(ln.text for ln in page_lines(page, running)))
        want = normalise("".join(lines))
        rows.append((edit_distance(got, want), len(want)))
    return rows


def cer(rows: list[tuple[int, int]]) -> float:
    return sum(e for e, _ in rows) / max(1, sum(n for _, n in rows))


def evaluate_engine(
    kind: str, truths: dict, scans: Path, threads: int, cache_dir: Path | None = None
) -> dict:
    """OCR every scan from scratch (cold cache) with one engine: CER and time per document."""
    use_engine(kind, threads)
    per_doc = {}
    for name, truth in truths.items():
        pages, seconds = read_scan(scans / f"{name}.pdf", threads, cache_dir)
        rows = page_errors(pages, truth)
        per_doc[name] = {
            "pages": len(pages), "seconds": round(seconds, 1), "cer": round(cer(rows), 4),
            "errors": sum(e for e, _ in rows), "chars": sum(n for _, n in rows),
            "page_cer": [round(e / max(1, n), 4) for e, n in rows],
        }
        print(f"  {kind} {name}: {len(pages)} pages, {seconds:.0f} s, CER {cer(rows):.2%}", flush=True)
    return per_doc


def summarise(per_doc: dict) -> dict:
    """CER over all characters and pages per minute, for the tuning and the held-out half."""
    out = {}
    for half, names in (("tune", TUNE), ("held_out", HELD_OUT)):
        docs = [per_doc[n] for n in names if n in per_doc]
        if not docs:
            continue
        pages = sum(d["pages"] for d in docs)
        seconds = sum(d["seconds"] for d in docs)
        out[half] = {
            "pages": pages,
            "cer": round(sum(d["errors"] for d in docs) / max(1, sum(d["chars"] for d in docs)), 4),
            "worst_page_cer": max(c for d in docs for c in d["page_cer"]),
            "pages_per_min": round(60 * pages / seconds, 1) if seconds else None,
        }
    return out


# ----- the library: article lookup, cache, queries during OCR ---------------------------------


def build(data_dir: Path, threads: int):
    from assistant.container import build_library
    from assistant.settings import load_settings

    settings = load_settings(None)
    settings.data.data_dir = data_dir
    settings.ingest.ocr_threads = threads
    return build_library(settings)


def article_hits(library, text_library, names: list[str]) -> dict:
    """hit@1 of 《name》第X条 for every article the text copy has, on this library."""
    out = {}
    for name in names:
        gold_doc = next(d for d in text_library.documents() if d.title == name)
        articles = sorted({c.article for c in text_library.chunks_of(gold_doc.doc_id) if c.article})
        doc = next((d for d in library.documents() if d.title == name), None)
        failures = []
        for article in articles:
            hits = library.search(f"《{name}》{article}的内容是什么", k=1)
            top = hits[0].metadata if hits else {}
            if doc is None or top.get("doc_id") != doc.doc_id or top.get("article") != article:
                failures.append(article)
        out[name] = {"articles": len(articles), "hit1": len(articles) - len(failures),
                     "failures": failures, "ocr_mark": bool(hits and hits[0].metadata.get("ocr"))}
    return out


def scan_cache(data_dir: Path) -> Path:
    """Where a library in data_dir keeps its OCR cache (index.library.Library._ocr_options)."""
    return data_dir / "library" / "ocr_cache"


def library_figures(scans: Path, names: list[str], threads: int) -> dict:
    base = OUT / "ocr_libraries"  # scan/ocr_cache was filled by the v6 run (cold, timed there)
    text_lib = build(base / "text", threads)
    text_lib.ingest([source_file(n) for n in names])
    scan_lib = build(base / "scan", threads)
    started = time.perf_counter()
    report = scan_lib.ingest([scans / f"{n}.pdf" for n in names])
    first = time.perf_counter() - started
    rejected = [r.message for r in report.results if r.status == "rejected"]
    # Re-ingest from a fresh library: the OCR cache must make it fast.
    shutil.copytree(scan_cache(base / "scan"), scan_cache(base / "scan2"))
    again = build(base / "scan2", threads)
    started = time.perf_counter()
    again.ingest([scans / f"{n}.pdf" for n in names])
    second = time.perf_counter() - started
    figures = {
        "ingest_seconds_first": round(first, 1), "ingest_seconds_cached": round(second, 1),
        "rejected": rejected,
        "text": article_hits(text_lib, text_lib, names),
        "scan": article_hits(scan_lib, text_lib, names),
    }
    figures["latency"] = query_latency(text_lib, scans / f"{names[0]}.pdf", threads)
    return figures


def query_latency(library, scan: Path, threads: int) -> dict:
    """p50/p95 search latency idle and while another thread OCRs a scan."""
    queries = ["公务用车配备标准", "办公用房的维修", "《机关事务管理条例》第十条", "节约能源的措施",
               "机关运行经费预算", "公务接待的标准", "违反规定的处分", "资产处置收益"]

    def measure(rounds: int) -> list[float]:
        times = []
        for i in range(rounds):
            started = time.perf_counter()
            library.search(queries[i % len(queries)], k=5)
            times.append((time.perf_counter() - started) * 1000)
            time.sleep(0.05)
        return times

    measure(4)  # warm up
    idle = measure(24)
    use_engine("v6", threads, niceness=10)
    done = threading.Event()

    def work() -> None:
        read_scan(scan, threads, None, limit=2)
        done.set()

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    time.sleep(3)  # the engine is loaded and busy
    busy: list[float] = []
    while not done.is_set() and len(busy) < 60:
        busy += measure(1)
    worker.join()
    return {"idle_p50_ms": round(statistics.median(idle), 1),
            "busy_p50_ms": round(statistics.median(busy), 1),
            "busy_p95_ms": round(sorted(busy)[int(0.95 * (len(busy) - 1))], 1),
            "n_busy": len(busy)}


def _keep_only_cache(libraries: Path) -> None:
    """Drop the libraries of an earlier run but keep the scan library's OCR cache."""
    cache = scan_cache(libraries / "scan")
    keep = libraries.parent / "ocr_cache_keep"
    shutil.rmtree(keep, ignore_errors=True)
    shutil.move(cache, keep)
    shutil.rmtree(libraries, ignore_errors=True)
    cache.parent.mkdir(parents=True)
    shutil.move(keep, cache)


def main() -> None:
    parser = argparse.ArgumentParser(description="OCR benchmark")
    parser.add_argument("--engine", choices=["v6", "v4", "both"], default="both")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--v4-path", type=Path, default=Path("/tmp/ocrv4"))
    parser.add_argument("--only", choices=["tune", "held_out", "all"], default="all")
    parser.add_argument("--skip-library", action="store_true")
    parser.add_argument("--variant", choices=list(VARIANTS), default="clean",
                        help="scan condition; other than clean: CER and speed only (ocr_<variant>.json)")
    parser.add_argument("--docs", nargs="*", help="only these regulations (default: all five)")
    parser.add_argument("--library-only", action="store_true",
                        help="keep the engine figures of the last run (ocr.json) and its OCR cache")
    args = parser.parse_args()
    if args.v4_path.exists():
        sys.path.insert(0, str(args.v4_path))
    names = {"tune": TUNE, "held_out": HELD_OUT, "all": TUNE + HELD_OUT}[args.only]
    names = [n for n in names if not args.docs or n in args.docs]
    clean = args.variant == "clean"
    scans = OUT / ("ocr_scans" if clean else f"ocr_scans_{args.variant}")
    # --library-only reuses the scans (and the OCR cache keyed by their hashes) of the last run.
    truths = {} if args.library_only else make_scans(names, scans, args.dpi, args.variant)
    results: dict = {"machine": f"{platform.machine()}, {os.cpu_count()} cores (shared, busy)",
                     "date": time.strftime("%Y-%m-%d"), "dpi": args.dpi, "threads": args.threads}
    engines = ["v6", "v4"] if args.engine == "both" else [args.engine]
    libraries = OUT / "ocr_libraries"
    if args.library_only:
        results = json.loads((OUT / "ocr.json").read_text(encoding="utf-8"))
        engines = []
        _keep_only_cache(libraries)
    elif clean:
        shutil.rmtree(libraries, ignore_errors=True)
    for kind in engines:
        # The v6 run fills the scan library's OCR cache: the library figures need no second OCR.
        cache = scan_cache(libraries / "scan") if kind == "v6" and clean else None
        per_doc = evaluate_engine(kind, truths, scans, args.threads, cache)
        results[kind] = {"documents": per_doc, "summary": summarise(per_doc)}
        print(kind, json.dumps(results[kind]["summary"], ensure_ascii=False))
    results["variant"] = args.variant
    if clean and not args.skip_library:
        use_engine("v6", args.threads)
        results["library"] = library_figures(scans, names, args.threads)
        print(json.dumps(results["library"], ensure_ascii=False, indent=1))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / ("ocr.json" if clean else f"ocr_{args.variant}.json")).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
