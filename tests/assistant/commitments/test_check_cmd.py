"""`python -m assistant check` on a real library in tmp_path."""

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
