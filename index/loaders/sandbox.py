"""Parse one file in a child process with a memory cap and a time limit, killed on overrun.

A hostile or broken file (a zip bomb that slipped through, a PDF whose page tree loops) must not
take the whole app's memory or hang an ingest. `run_isolated` forks a child from a forkserver
(preloaded with the loaders, so each file costs milliseconds, and safe from a threaded app),
caps its address space with RLIMIT_AS, and kills it when it makes no progress for `timeout_s`
or runs past `max_total_s`. Slow page-by-page loaders (OCR) call `report_progress` after each
page: that resets the no-progress timer and reaches the ingest's progress bar.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import resource
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing import forkserver, popen_forkserver, process, reduction, spawn, util
from multiprocessing.connection import Connection
from multiprocessing.context import set_spawning_popen  # type: ignore[attr-defined]
from pathlib import Path
from typing import Any

from index.loaders import load_file
from index.models import LoadError, ParsedFile

log = logging.getLogger(__name__)
ProgressCallback = Callable[[int, int, str], None]  # (done, total, detail)


@dataclass(frozen=True)
class ParseLimits:
    """Per-file limits of one parse (see settings ingest.parse_*)."""

    timeout_s: float = 120.0  # longest stretch without progress
    max_total_s: float = 1800.0  # whole parse, however much progress is reported
    max_memory_mb: int = 2048  # address space the child may add to what it starts with


_child_conn: Connection | None = None  # set in the child: progress goes to the parent
_local = threading.local()  # in-process parsing: the caller's progress callback
_start_lock = threading.Lock()


def report_progress(done: int, total: int, detail: str = "") -> None:
    """Called by a loader after each unit of work (an OCR'd page): keeps the parse alive."""
    if _child_conn is not None:
        _child_conn.send(("progress", (done, total, detail)))
        return
    callback = getattr(_local, "callback", None)
    if callback is not None:
        callback(done, total, detail)


def parse_file(
    path: Path, *, max_bytes: int, limits: ParseLimits | None,
    on_progress: ProgressCallback | None = None, filename: str | None = None, ocr: Any = None,
) -> ParsedFile:
    """`load_file` in a bounded child process, or in this process when `limits` is None.

    `ocr` (index.loaders.ocr.OcrOptions or None) is passed on to `load_file`.
    """
    if limits is None:
        return run_in_process(_load, path, max_bytes, ocr, on_progress=on_progress)
    return run_isolated(
        _load, path, max_bytes, ocr, filename=filename or path.name, limits=limits,
        on_progress=on_progress,
    )


def _load(path: Path, max_bytes: int, ocr: Any) -> ParsedFile:
    return load_file(path, max_bytes=max_bytes, ocr=ocr)


def run_in_process(func: Callable[..., Any], *args: Any, on_progress: ProgressCallback | None = None) -> Any:
    """Run `func(*args)` here (no limits), still relaying `report_progress` to `on_progress`."""
    previous = getattr(_local, "callback", None)
    _local.callback = on_progress
    try:
        return func(*args)
    finally:
        _local.callback = previous


def run_isolated(
    func: Callable[..., Any],
    *args: Any,
    filename: str,
    limits: ParseLimits,
    on_progress: ProgressCallback | None = None,
) -> Any:
    """Run `func(*args)` in a child process under `limits` and return its result.

    Args:
        func: a module-level function (it is imported by name in the child).
        args: its arguments (sent to the child).
        filename: named in the messages.
        limits: time without progress, total time and memory the child may use.
        on_progress: receives the child's `report_progress` calls.

    Raises:
        LoadError: what `func` raised, or a Chinese message naming the file when the child ran
            out of time or memory or died.
    """
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    child = _Process(target=_child_main, args=(sender, limits.max_memory_mb, func, args), daemon=True)
    child.start()
    sender.close()
    try:
        kind, payload = _wait(child, receiver, filename, limits, on_progress)
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if kind == "ok":
        return payload
    if kind != "error":
        log.warning("parsing %s stopped: %s %s (exit code %s)", filename, kind, payload or "", child.exitcode)
    raise LoadError(_message(kind, payload, filename, limits, child.exitcode))


def _context() -> Any:
    ctx = multiprocessing.get_context("forkserver")
    with _start_lock:
        # The forkserver imports the loaders once; children fork from it already warm.
        ctx.set_forkserver_preload(["index.loaders"])
    return ctx


class _Popen(popen_forkserver.Popen):
    """Forkserver start that does not re-run the parent's main script in the child.

    multiprocessing re-imports a script run by path (app.py, a benchmark) in every child so that
    objects defined there unpickle; the child here runs only index.* functions, and re-running
    a script's imports (or worse, an unguarded script) per file would be slow or wrong. This is
    Popen._launch of Python 3.11-3.13 with the main-module entries left out.
    """

    def _launch(self, process_obj: Any) -> None:
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_path", None)
        prep_data.pop("init_main_from_name", None)
        buf = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)  # type: ignore[attr-defined]
        parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds, (parent_w, self.sentinel))  # type: ignore[attr-defined]
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _Process(process.BaseProcess):
    _start_method = "forkserver"

    @staticmethod
    def _Popen(process_obj: Any) -> _Popen:  # noqa: N802 (multiprocessing's name)
        return _Popen(process_obj)


def _wait(
    child: Any, receiver: Connection, filename: str, limits: ParseLimits,
    on_progress: ProgressCallback | None,
) -> tuple[str, Any]:
    started = last_progress = time.monotonic()
    while True:
        now = time.monotonic()
        if now - started > limits.max_total_s:
            return "total_timeout", None
        if now - last_progress > limits.timeout_s:
            return "timeout", None
        if not receiver.poll(0.05):
            continue
        try:
            kind, payload = receiver.recv()
        except (EOFError, OSError):  # the child died without a word (killed by the kernel)
            child.join(1.0)
            return "died", None
        if kind != "progress":
            return kind, payload
        last_progress = time.monotonic()
        if on_progress is not None:
            on_progress(*payload)


def _child_main(conn: Connection, max_memory_mb: int, func: Callable[..., Any], args: tuple) -> None:
    global _child_conn
    _child_conn = conn
    _limit_memory(max_memory_mb)
    try:
        result: tuple[str, Any] = ("ok", func(*args))
    except LoadError as exc:
        result = ("error", str(exc))
    except MemoryError:
        result = ("memory", None)
    except Exception as exc:  # reported to the parent, which logs and rejects the file
        result = ("crash", f"{type(exc).__name__}: {exc}")
    try:
        conn.send(result)
    except MemoryError:  # the result itself did not fit
        conn.send(("memory", None))
    conn.close()


def _limit_memory(max_memory_mb: int) -> None:
    # RLIMIT_AS counts address space, which starts well above zero (libraries, thread stacks):
    # the cap is what the child already has plus the allowance.
    current = _address_space_bytes()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + max_memory_mb * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def _message(kind: str, payload: Any, filename: str, limits: ParseLimits, exitcode: int | None) -> str:
    if kind == "error":
        return str(payload)
    if kind == "timeout":
        return (
            f"文件“{filename}”解析超时（超过 {limits.timeout_s:.0f} 秒没有进展），已停止解析，未导入。"
            "文件可能已损坏或结构异常；如确需导入，可在设置中调大 ingest.parse_timeout_s。"
        )
    if kind == "total_timeout":
        return (
            f"文件“{filename}”解析超时（总计超过 {limits.max_total_s:.0f} 秒），已停止解析，未导入。"
            "可在设置中调大 ingest.parse_max_total_s。"
        )
    if kind == "memory":
        return (
            f"文件“{filename}”解析时内存超限（上限 {limits.max_memory_mb} MB），已停止解析，未导入。"
            "文件可能是恶意构造的；如确需导入，可在设置中调大 ingest.parse_max_memory_mb。"
        )
    if kind == "crash":
        return f"{filename}：处理失败（{payload}）"
    return (
        f"文件“{filename}”解析进程意外退出（退出码 {exitcode}），可能是内存超限或文件异常，未导入。"
    )


__all__ = ["ParseLimits", "parse_file", "report_progress", "run_in_process", "run_isolated"]
