"""Spreadsheets: every data row written with its column names, per sheet; .xls/.et via xlrd."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from index.chunker import chunk_document
from index.loaders import load_file
from index.loaders.sheet_layout import region_blocks, regions
from index.loaders.soffice import find_soffice
from index.models import LoadError
from index.structure import parse_structure
from tests.fixtures.format_samples import libreoffice_convert, write_workbook, write_zip_bomb

MAX = 50 * 1024 * 1024
FINANCE_ROW = "单位名称：示例市财政局；用电量（万千瓦时）：98；用水量（万吨）：2.6；同比变化：1.5%"


def test_rows_carry_column_names_under_sheet_headings(tmp_path: Path) -> None:
    parsed = load_file(write_workbook(tmp_path / "能耗.xlsx"), max_bytes=MAX)
    texts = [b.text for b in parsed.blocks]
    assert texts[0] == "2024年示例市公共机构能源资源消耗统计表"  # the merged caption is the title
    assert parsed.blocks[0].style == "title"
    assert "工作表：能耗统计" in texts
    assert "工作表：公务用车" in texts
    assert FINANCE_ROW in texts
    assert "单位名称：示例市教育局；用电量（万千瓦时）：210.25；用水量（万吨）：8.9；同比变化：-5.1%" in texts
    assert "注：数据为虚构示例，仅用于软件测试。" in texts
    assert "车辆类别：执法执勤用车；编制数：30；实有数：27" in texts


def test_chunks_keep_sheet_and_column_names(tmp_path: Path) -> None:
    parsed = load_file(write_workbook(tmp_path / "能耗.xlsx"), max_bytes=MAX)
    chunks = chunk_document(parse_structure(parsed), "d1", max_chars=120, min_chars=60)
    finance = next(c for c in chunks if "示例市财政局" in c.text)
    assert "用水量（万吨）：2.6" in finance.text
    assert finance.heading_path[-1] == "工作表：能耗统计"


def test_two_row_header_under_merged_group_cells() -> None:
    grid = [
        ["单位", "能耗", "能耗", "人数"],
        ["", "电", "水", ""],
        ["甲局", "10", "2", "30"],
        ["乙局", "12", "3", "41"],
    ]
    blocks = region_blocks(regions(grid)[0])
    assert [b.text for b in blocks] == ["单位：甲局；能耗-电：10；能耗-水：2；人数：30", "单位：乙局；能耗-电：12；能耗-水：3；人数：41"]


def test_empty_rows_separate_regions_and_group_lines_stay_text() -> None:
    grid = [["名称", "数量"], ["一、办公设备", ""], ["打印机", "5"], ["", ""], ["说明", "另行统计"]]
    found = regions(grid)
    assert len(found) == 2
    assert [b.text for b in region_blocks(found[0])] == ["一、办公设备", "名称：打印机；数量：5"]


def _need_libreoffice() -> None:
    if find_soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice must be installed in CI (make test runs office-deps)")
        pytest.skip("LibreOffice (soffice) not installed")


@pytest.fixture(scope="module")
def xls_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _need_libreoffice()
    folder = tmp_path_factory.mktemp("xls")
    return libreoffice_convert(write_workbook(folder / "能耗.xlsx"), "xls", folder / "能耗.xls")


def test_xls_written_by_libreoffice(xls_file: Path) -> None:
    parsed = load_file(xls_file, max_bytes=MAX)
    assert parsed.kind == "xls"
    assert FINANCE_ROW in [b.text for b in parsed.blocks]


@pytest.mark.parametrize("source", ["xls", "xlsx"])
def test_wps_et_files_holding_biff_or_xlsx(xls_file: Path, tmp_path: Path, source: str) -> None:
    et = tmp_path / "WPS表格.et"
    if source == "xls":
        shutil.copyfile(xls_file, et)
    else:
        write_workbook(et)
    parsed = load_file(et, max_bytes=MAX)
    assert parsed.kind == "et"
    assert FINANCE_ROW in [b.text for b in parsed.blocks]


def test_zip_bomb_posing_as_xlsx_is_refused(tmp_path: Path) -> None:
    path = write_zip_bomb(tmp_path / "统计.xlsx", "xl/worksheets/sheet1.xml")
    with pytest.raises(LoadError, match="统计.xlsx.*压缩"):
        load_file(path, max_bytes=MAX)


@pytest.mark.parametrize("name", ["坏表格.xlsx", "坏表格.xls"])
def test_corrupt_spreadsheets_name_the_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    data = (tmp_path / "x.xlsx") if name.endswith("xlsx") else None
    if data is not None:
        write_workbook(data)
        path.write_bytes(data.read_bytes()[:1500])  # truncated zip
    else:
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 3000)
    with pytest.raises(LoadError, match="坏表格"):
        load_file(path, max_bytes=MAX)


def test_workbook_with_only_empty_sheets_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "空表.xlsx"
    openpyxl.Workbook().save(str(path))
    with pytest.raises(LoadError, match="空表.xlsx"):
        load_file(path, max_bytes=MAX)


def test_et_in_wps_own_format_goes_through_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    converted = write_workbook(tmp_path / "converted.xlsx")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "soffice"
    # Stands in for LibreOffice: writes the converted workbook where --outdir points.
    fake.write_text(
        "#!/bin/sh\nwhile [ $# -gt 0 ]; do [ \"$1\" = --outdir ] && out=$2; shift; done\n"
        f"mkdir -p \"$out\" && cp '{converted}' \"$out/source.xlsx\"\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    et = tmp_path / "老版本.et"
    et.write_bytes(b"WPS-ET\x00" + b"\x01" * 600)  # neither OLE nor zip
    parsed = load_file(et, max_bytes=MAX)
    assert parsed.kind == "et"
    assert FINANCE_ROW in [b.text for b in parsed.blocks]


def test_unit_line_is_not_taken_for_the_title(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["单位：万元"], ["项目", "金额"], ["办公费", 12], ["差旅费", 3.5]):
        sheet.append(row)
    path = tmp_path / "2024年示例局经费支出.xlsx"
    book.save(str(path))
    parsed = load_file(path, max_bytes=MAX)
    assert parsed.blocks[0].text == "2024年示例局经费支出"
    assert [b.text for b in parsed.blocks if b.style == "table"] == ["项目：办公费；金额：12", "项目：差旅费；金额：3.5"]
