"""The 承诺核对 tab's first offer (issue 11.5a), on the shipped fictional samples."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.container import build_library
from assistant.settings import load_settings
from assistant.ui.check_defaults import default_check_pair

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
REPORT = "示例市机关事务管理局{}年法治政府建设年度报告.txt"


@pytest.fixture
def library(tmp_path: Path):
    settings = load_settings()
    settings.data.data_dir = tmp_path / "data"
    return build_library(settings)


def _doc_id(library, filename: str) -> str:
    return next(d.doc_id for d in library.documents() if d.filename == filename)


def test_latest_report_with_a_plan_and_the_next_years_report(library) -> None:
    library.ingest([SAMPLES / "示例市公共机构节能管理办法.md", SAMPLES / "text" / REPORT.format(2024),
                    SAMPLES / "text" / REPORT.format(2025)])
    plan, against, year = default_check_pair(library)
    # Not the regulation in both pickers, not year 0: 2024's plan checked against 2025's report.
    assert plan == _doc_id(library, REPORT.format(2024))
    assert against == _doc_id(library, REPORT.format(2025))
    assert year is None


def test_without_next_years_report_the_year_after_is_offered(library) -> None:
    library.ingest([SAMPLES / "text" / REPORT.format(2024), SAMPLES / "示例市公共机构节能管理办法.md"])
    plan, against, year = default_check_pair(library)
    assert (plan, against, year) == (_doc_id(library, REPORT.format(2024)), None, 2025)


def test_an_empty_library_offers_nothing(library) -> None:
    assert default_check_pair(library) == (None, None, None)
