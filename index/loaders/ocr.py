"""Page images → text lines with boxes (RapidOCR, PP-OCRv6 models shipped in the wheel), cached.

The engine is imported lazily and runs in one dedicated worker thread with a lowered CPU
priority: the ONNX Runtime threads it starts inherit that priority, so queries answered while a
scan is read keep their speed. Results are cached per file hash, page and engine version in a
SQLite file (JSON rows, no pickle), so re-ingesting or rebuilding never repeats OCR.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.models import Block, LoadError

# Part of the cache key: change it when the models or the engine settings change.
ENGINE_VERSION = "rapidocr-3.10.0/PP-OCRv6-small/v3"
# Niceness of the OCR thread (and the ONNX Runtime threads it starts): queries come first.
_OCR_NICENESS = 10
# Seconds between "still working" reports while one page is being read.
_HEARTBEAT_S = 10.0

PageProgress = Callable[[int, int], None]  # (pages done, pages total)


@dataclass(frozen=True)
class OcrOptions:
    """How scans are read: cache location, page limit, threads. Picklable (no callbacks)."""

    cache_dir: Path | None = None  # None: no cache
    max_pages: int = 100  # scans with more pages needing OCR are refused
    threads: int = 2  # ONNX Runtime intra-op threads
    min_score: float = 0.5  # recognised lines below this confidence are dropped


@dataclass
class OcrLine:
    """One recognised text line and its box in page pixels."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    score: float = 1.0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class OcrPage:
    """What OCR found on one page: its lines and the page size in pixels."""

    page: int
    width: int
    height: int
    lines: list[OcrLine]


def ocr_page_images(
    images: Iterable[Any],
    *,
    name: str,
    first_page: int = 1,
    options: OcrOptions | None = None,
    progress: PageProgress | None = None,
) -> list[Block]:
    """OCR page images (PIL images or RGB arrays) into paragraph Blocks marked as OCR text.

    Pages are numbered from first_page. No cache is used (images have no file identity);
    callers with a file use `ocr_pages` with a file hash instead.

    Raises:
        LoadError: naming `name` when no page has any recognisable text.
    """
    from index.loaders.layout import pages_to_blocks

    images = list(images)
    numbers = list(range(first_page, first_page + len(images)))
    pages = ocr_pages(
        lambda n: images[n - first_page], numbers, name=name, file_sha=None,
        options=options or OcrOptions(), progress=progress,
    )
    return pages_to_blocks(pages, name=name)


def ocr_pages(
    render: Callable[[int], Any],
    page_numbers: Sequence[int],
    *,
    name: str,
    file_sha: str | None,
    options: OcrOptions,
    progress: PageProgress | None = None,
) -> list[OcrPage]:
    """OCR the given pages, rendering only those not in the cache; one OcrPage per page."""
    check_page_limit(name, len(page_numbers), options.max_pages)
    cache = OcrCache(options.cache_dir) if options.cache_dir and file_sha else None
    results: list[OcrPage] = []
    for done, number in enumerate(page_numbers):
        _progress(progress, done, len(page_numbers), name)
        cached = cache.get(file_sha, number) if cache and file_sha else None
        if cached is None:
            beat = functools.partial(_progress, progress, done, len(page_numbers), name)
            cached = _recognise(render(number), number, options, beat)
            if cache and file_sha:
                cache.put(file_sha, cached)
        results.append(cached)
    _progress(progress, len(page_numbers), len(page_numbers), name)
    return results


def _progress(progress: PageProgress | None, done: int, total: int, name: str) -> None:
    # Inside the parse sandbox this also keeps the child alive and reaches the ingest's bar.
    # Imported here: the sandbox imports the loaders package, which imports this module.
    try:
        from index.loaders.sandbox import report_progress
    except ImportError:  # pragma: no cover - older layouts without the sandbox
        pass
    else:
        report_progress(done, total, f"{name}：文字识别 {done}/{total} 页")
    if progress:
        progress(done, total)


def check_page_limit(name: str, n_pages: int, max_pages: int) -> None:
    """Refuse a scan with more pages to read than the configured limit, naming the file."""
    if n_pages > max_pages:
        raise LoadError(
            f"文件“{name}”有 {n_pages} 页需要文字识别（OCR），超过了上限 {max_pages} 页，未导入。"
            "OCR 在本机较慢（每页约数秒）；可以拆分文件，或在设置中调整 ingest.max_ocr_pages。"
        )


# ----- the engine ---------------------------------------------------------------------------

_executor: ThreadPoolExecutor | None = None
_engines: dict[int, Any] = {}
_executor_lock = threading.Lock()


def _recognise(image: Any, page: int, options: OcrOptions, beat: Callable[[], None]) -> OcrPage:
    """Run OCR on the dedicated low-priority thread (one page at a time for the process).

    While a page is being read, `beat` is called every few seconds: on a busy machine one
    low-priority page may take minutes, and the parse sandbox must not take that for a hang
    (its total time limit still applies).
    """
    array = prepare_image(image)
    if is_blank(array):  # the back of a duplex scan: nothing to read, no need for the engine
        return OcrPage(page, array.shape[1], array.shape[0], [])
    future = _worker().submit(_run_engine, array, options)
    while True:
        try:
            lines = future.result(timeout=_HEARTBEAT_S)
        except FutureTimeout:
            beat()
        else:
            return OcrPage(page, array.shape[1], array.shape[0], lines)


def _worker() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="ocr", initializer=_lower_priority
            )
        return _executor


def _lower_priority() -> None:
    # Linux niceness is per thread; ONNX Runtime's pool threads inherit it from this one.
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), _OCR_NICENESS)


def _run_engine(array: np.ndarray, options: OcrOptions) -> list[OcrLine]:
    engine = _engine(options.threads)
    result = engine(array)
    if result.boxes is None or result.txts is None:
        return []
    lines = []
    for box, text, score in zip(result.boxes, result.txts, result.scores, strict=True):
        if score < options.min_score or not text.strip():
            continue
        xs, ys = box[:, 0], box[:, 1]
        lines.append(
            OcrLine(text.strip(), float(xs.min()), float(ys.min()), float(xs.max()),
                    float(ys.max()), round(float(score), 4))
        )
    return lines


def _engine(threads: int) -> Any:
    """One RapidOCR per thread count, built from the model files inside the wheel (no download)."""
    if threads not in _engines:
        try:
            import rapidocr
            from rapidocr import RapidOCR
        except ImportError as exc:  # pragma: no cover - a dependency of the package
            raise LoadError(
                "文字识别（OCR）组件 rapidocr 未安装，无法读取扫描件。请运行 make setup。"
            ) from exc
        models = Path(rapidocr.__file__).parent / "models"
        _engines[threads] = RapidOCR(
            params={
                "Global.log_level": "warning",
                "Det.model_path": str(models / "PP-OCRv6_det_small.onnx"),
                "Rec.model_path": str(models / "PP-OCRv6_rec_small.onnx"),
                "Cls.model_path": str(models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx"),
                "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                "EngineConfig.onnxruntime.inter_op_num_threads": 1,
            }
        )
    return _engines[threads]


def prepare_image(image: Any) -> np.ndarray:
    """RGB uint8 array; on colour scans only the red channel, so red seals fade into the paper."""
    if hasattr(image, "convert"):  # PIL
        image = np.asarray(image.convert("RGB"))
    array = np.asarray(image, dtype=np.uint8)
    if array.ndim == 2:
        array = np.stack([array] * 3, axis=-1)
    array = array[:, :, :3]
    if _has_red_ink(array):
        # Red ink is nearly as bright as paper in the red channel, black (and blue) text stays
        # dark; bright pixels still clearly redder than grey are ink too. Black text under a
        # seal stays dark (ink multiplies). The price: red text (a 红头 issuer line) is lost.
        red = array[:, :, 0].copy()
        ink = (red.astype(np.int16) - array[:, :, 1] > _RED_MARGIN) & (red > _BRIGHT_RED)
        red[ink] = 255
        array = np.repeat(red[:, :, None], 3, axis=-1)
    return np.ascontiguousarray(array)


# A page is blank when fewer than this share of its pixels is clearly darker than the paper.
_BLANK_INK_SHARE = 0.0001


def is_blank(array: np.ndarray) -> bool:
    """True for an empty page: (almost) no pixel is much darker than the paper around it."""
    grey = array[::2, ::2, 0].astype(np.int16)
    paper = int(np.median(grey))
    return bool((grey < paper - 80).mean() < _BLANK_INK_SHARE)


# A pixel this much redder than green, and bright in red, is seal ink over paper; text
# printed under the seal is darker than _BRIGHT_RED and is kept.
_RED_MARGIN = 40
_BRIGHT_RED = 150


def _has_red_ink(array: np.ndarray) -> bool:
    sample = array[::4, ::4].astype(np.int16)
    red = (sample[:, :, 0] - sample[:, :, 1] > 60) & (sample[:, :, 0] - sample[:, :, 2] > 40)
    return bool(red.mean() > 0.0005)


# ----- the cache ----------------------------------------------------------------------------


class OcrCache:
    """SQLite cache of OCR results: (file sha256, page, engine version) → lines as JSON."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / "ocr_cache.sqlite"
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS pages (sha TEXT, page INTEGER, engine TEXT,"
                " width INTEGER, height INTEGER, lines TEXT, PRIMARY KEY (sha, page, engine))"
            )

    def get(self, sha: str, page: int) -> OcrPage | None:
        """The cached result for one page, or None."""
        with self._connect() as db:
            row = db.execute(
                "SELECT width, height, lines FROM pages WHERE sha=? AND page=? AND engine=?",
                (sha, page, ENGINE_VERSION),
            ).fetchone()
        if row is None:
            return None
        return OcrPage(page, row[0], row[1], [OcrLine(**d) for d in json.loads(row[2])])

    def put(self, sha: str, page: OcrPage) -> None:
        """Store one page's result."""
        lines = json.dumps([asdict(line) for line in page.lines], ensure_ascii=False)
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?)",
                (sha, page.page, ENGINE_VERSION, page.width, page.height, lines),
            )

    @contextlib.contextmanager
    def _connect(self) -> Any:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            with db:
                yield db
        finally:
            db.close()
