"""`python -m assistant check` on a real library in tmp_path."""

import csv
import shutil

import openpyxl

from assistant.cli import main

from .conftest import PLAN_FILE, REPORT_FILE


def test_check_command_prints_table_and_exports(sample_library, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no settings.yaml here: defaults (extractive) apply
    out = tmp_path / "核对.xlsx"
    code = main(["--index", str(sample_library.data_dir), "check", "--plan", PLAN_FILE,
                 "--against", REPORT_FILE, "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "共16项" in printed
    assert "一是持续深化学法用法" in printed
    assert openpyxl.load_workbook(out)["承诺核对"].max_row == 17


def test_check_command_unknown_year(sample_library, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["--index", str(sample_library.data_dir), "check", "--plan", PLAN_FILE,
                 "--year", "1990"])
    assert code == 2
    assert "1990年" in capsys.readouterr().err


def test_check_command_carries_a_reviewed_table(sample_library, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    table = tmp_path / "人工判断.csv"
    args = ["--index", str(sample_library.data_dir), "check", "--plan", PLAN_FILE, "--against", REPORT_FILE,
            "--decisions", str(table)]
    try:
        assert main(args) == 0  # no file yet: the table is written out
        assert "已写出人工判断表" in capsys.readouterr().out
        with table.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        assert len(rows) == 16
        assert {"状态", "倾向", "置信度", "人工判断"} <= set(rows[0])
        rows[2]["人工判断"], rows[2]["备注"] = "未体现", "另一台电脑上核对"
        with table.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        assert main(args) == 0  # imported, kept in the library, written back
        assert "已导入人工判断1项" in capsys.readouterr().err
        with table.open(encoding="utf-8-sig", newline="") as f:
            third = list(csv.DictReader(f))[2]
        assert (third["状态"], third["人工判断"], third["备注"], third["决定人"]) == (
            "未体现", "未体现", "另一台电脑上核对", "人工")
        assert main(args[:-2]) == 0  # a later check without the file still finds the decision
        assert "人工确认1项" in capsys.readouterr().out
    finally:
        shutil.rmtree(sample_library.data_dir / "decisions", ignore_errors=True)


def test_draft_of_the_plan_shows_last_years_commitments(sample_library, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    notes = tmp_path / "笔记.txt"
    notes.write_text("完成办公用房维修改造3处\n", encoding="utf-8")
    try:
        assert main(["--index", str(sample_library.data_dir), "check", "--plan", PLAN_FILE,
                     "--against", REPORT_FILE]) == 0
        capsys.readouterr()
        code = main(["--index", str(sample_library.data_dir), "draft", "--section", "plan", "--year", "2025",
                     "--notes", str(notes), "--last-year", PLAN_FILE])
        printed = capsys.readouterr().out
    finally:
        shutil.rmtree(sample_library.data_dir / "decisions", ignore_errors=True)
    assert code == 0
    assert "上年承诺落实情况" in printed
    assert "【已落实，核对结果】一是持续深化学法用法" in printed  # figures compared: a confident verdict
    assert "待确认" in printed or "人工确认" in printed
