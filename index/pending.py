"""Unfinished embedding (an ingest killed mid-way): what to tell the user, and finishing it in the background."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int, str], None]  # (stage, done, total, detail), as Library's


def pending_notice(pending: int, total: int, running: tuple[int, int] | None) -> str:
    """One paragraph for `pending` of `total` passages without vectors; empty when none."""
    if pending <= 0:
        return ""
    head = (
        f"资料库中有 {pending} / {total} 个段落尚未完成向量化（上次导入可能被中断），"
        "这些段落目前只能按关键词检索到。"
    )
    if running is not None:
        done, todo = running
        return head + f"正在后台补完向量化：已完成 {done} / {todo} 段，完成后自动生效。"
    return head + "打开应用时会在后台自动补完，也可以运行 `python -m assistant complete` 立即补完。"


class BackgroundCompletion:
    """Runs the library's completion in one daemon thread at a time and keeps its progress."""

    def __init__(self, complete: Callable[[Progress], Any]) -> None:
        self._complete = complete
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._progress: tuple[int, int] = (0, 0)

    @property
    def progress(self) -> tuple[int, int] | None:
        """(done, total) of the embedding while the thread runs, else None."""
        thread = self._thread
        return self._progress if thread is not None and thread.is_alive() else None

    def start(self) -> threading.Thread | None:
        """Start the thread unless one is running; returns it (None when already running)."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return None
            self._progress = (0, 0)
            self._thread = threading.Thread(target=self._run, name="complete-pending", daemon=True)
            self._thread.start()
            return self._thread

    def _run(self) -> None:
        try:
            self._complete(self._record)
        except Exception:  # a failed completion leaves the notice up; the next start retries
            log.exception("completing unfinished embedding failed")

    def _record(self, stage: str, done: int, total: int, detail: str) -> None:
        if stage == "embed":
            self._progress = (done, total)
