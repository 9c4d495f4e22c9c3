"""Parsing in a bounded child process: a hang or a memory explosion is killed and reported by name."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.loaders.sandbox import ParseLimits, parse_file, report_progress, run_isolated
from index.models import LoadError

REPO_ROOT = Path(__file__).resolve().parents[2]


def _slow_pages(pages: int, seconds_per_page: float) -> int:
    """A page-by-page loader (like OCR): slower in all than the no-progress limit."""
    for page in range(1, pages + 1):
        time.sleep(seconds_per_page)
        report_progress(page, pages, f"第 {page} 页")
    return pages


def test_a_hanging_parse_is_killed_and_named() -> None:
    started = time.perf_counter()
    with pytest.raises(LoadError, match="挂起.pdf.*解析超时.*1 秒没有进展"):
        run_isolated(time.sleep, 60, filename="挂起.pdf", limits=ParseLimits(timeout_s=1.0))
    assert time.perf_counter() - started < 10


def test_a_parse_exploding_in_memory_is_stopped_and_named() -> None:
    with pytest.raises(LoadError, match="内存.docx.*内存超限（上限 256 MB）"):
        run_isolated(bytearray, 4 * 1024**3, filename="内存.docx", limits=ParseLimits(max_memory_mb=256))


def test_a_child_that_dies_is_reported() -> None:
    with pytest.raises(LoadError, match="崩溃.pdf.*解析进程意外退出"):
        run_isolated(os.abort, filename="崩溃.pdf", limits=ParseLimits())


def test_progress_keeps_a_long_parse_alive_and_reaches_the_caller() -> None:
    seen: list[tuple[int, int, str]] = []
    result = run_isolated(
        _slow_pages, 6, 0.25, filename="扫描件.pdf", limits=ParseLimits(timeout_s=1.0),
        on_progress=lambda *step: seen.append(step),
    )
    assert result == 6
    assert seen[-1] == (6, 6, "第 6 页")


def test_the_total_limit_holds_even_with_progress() -> None:
    with pytest.raises(LoadError, match="扫描件.pdf.*总计超过 1 秒"):
        run_isolated(_slow_pages, 20, 0.2, filename="扫描件.pdf",
                     limits=ParseLimits(timeout_s=5.0, max_total_s=1.0))


def test_a_parse_returns_the_same_file_in_or_out_of_process(fixtures_dir: Path) -> None:
    path = fixtures_dir / "示例办公用房管理办法.pdf"
    isolated = parse_file(path, max_bytes=10**7, limits=ParseLimits())
    local = parse_file(path, max_bytes=10**7, limits=None)
    assert [b.text for b in isolated.blocks] == [b.text for b in local.blocks]
    assert isolated.blocks[0].page == 1


def test_load_errors_from_the_child_keep_their_message(fixtures_dir: Path) -> None:
    with pytest.raises(LoadError, match="corrupt.pdf.*已损坏"):
        parse_file(fixtures_dir / "corrupt.pdf", max_bytes=10**7, limits=ParseLimits())


def test_pypdf_warnings_stay_off_stderr(fixtures_dir: Path, tmp_path: Path) -> None:
    truncated = tmp_path / "截断.pdf"
    truncated.write_bytes((fixtures_dir / "示例办公用房管理办法.pdf").read_bytes()[:3000])
    code = (
        "import sys; from pathlib import Path; from index.loaders import load_file\n"
        "try:\n load_file(Path(sys.argv[1]), max_bytes=10**7)\n"
        "except Exception as exc:\n print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(truncated)], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)
    assert "截断.pdf" in done.stdout
    assert "已损坏" in done.stdout
    assert done.stderr == ""
