"""The 文档库 tab's progress bar follows OCR page steps inside the file being parsed."""

from __future__ import annotations

from assistant.ui.library_actions import stage_progress


def test_page_steps_fill_the_current_files_share_of_the_parse_stage() -> None:
    seen: list[tuple[float, str]] = []
    report = stage_progress(lambda fraction, label: seen.append((round(fraction, 3), label)))
    report("parse", 1, 2, "扫描件.pdf")  # second of two files
    report("pages", 1, 4, "扫描件.pdf：文字识别 1/4 页")
    report("pages", 4, 4, "扫描件.pdf：文字识别 4/4 页")
    report("parse", 2, 2, "")
    report("embed", 0, 10, "")
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)  # never jumps back
    assert seen[1] == (0.25, "扫描件.pdf：文字识别 1/4 页")  # 0.4 * (1 + 1/4) / 2
    assert seen[2][0] == 0.4
