"""Library commands on the command line: a mistyped --index is not a new empty library."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cli import main


@pytest.mark.parametrize(
    "command",
    [["list"], ["search", "办公用房"], ["ask", "办公用房怎么管理？"], ["remove", "x"], ["complete"]],
)
def test_read_commands_refuse_a_missing_index_folder(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "没有这个目录"
    assert main(["--index", str(missing), *command]) == 2
    err = capsys.readouterr().err
    assert str(missing) in err
    assert "不存在" in err
    assert not missing.exists()


def test_ingest_may_start_a_library_in_a_new_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMP_WAIT_POLICY", "passive")
    doc = tmp_path / "示例通知.txt"
    doc.write_text("示例市机关事务管理局关于开展办公用房巡检的通知（虚构示例）\n\n各单位每季度巡检一次。\n", encoding="utf-8")
    new = tmp_path / "新资料库"
    assert main(["--index", str(new), "ingest", str(doc)]) == 0
    assert "已入库" in capsys.readouterr().out
    assert main(["--index", str(new), "list"]) == 0
    assert "示例通知.txt" in capsys.readouterr().out
