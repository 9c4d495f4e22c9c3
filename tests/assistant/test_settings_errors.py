"""A broken settings file or a missing provider gives one readable line, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

import app
from assistant.cli import main
from assistant.settings import SettingsError, load_settings


def test_invalid_yaml_is_reported_with_the_file(tmp_path: Path) -> None:
    config = tmp_path / "settings.yaml"
    config.write_text("llm: [mode: openai\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="不是有效的 YAML"):
        load_settings(config)


def test_invalid_value_names_the_field(tmp_path: Path) -> None:
    config = tmp_path / "settings.yaml"
    config.write_text("llm:\n  mode: gpt5\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"llm\.mode"):
        load_settings(config)


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="无法读取配置文件"):
        load_settings(tmp_path / "nope.yaml")


def test_cli_prints_one_line_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "settings.yaml"
    config.write_text("retrieval:\n  fetch_k: many\n", encoding="utf-8")
    code = main(["--config", str(config), "--index", str(tmp_path / "data"), "list"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("错误：配置有误")
    assert "retrieval.fetch_k" in err
    assert "Traceback" not in err


def test_app_refuses_bad_settings_before_loading_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "settings.yaml"
    config.write_text("server: 7860\n", encoding="utf-8")
    assert app.main(["--config", str(config), "--index", str(tmp_path / "data")]) == 2
    assert "配置有误" in capsys.readouterr().err
