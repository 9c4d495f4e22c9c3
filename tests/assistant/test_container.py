"""The container wires real components and falls back to extractive mode loudly."""

from __future__ import annotations

from pathlib import Path

from assistant.container import build_assistant
from assistant.settings import Settings


def _settings(tmp_path: Path, **llm: object) -> Settings:
    settings = Settings()
    settings.data.data_dir = tmp_path / "data"
    for key, value in llm.items():
        setattr(settings.llm, key, value)
    return settings


def test_unavailable_local_model_falls_back_to_extractive_with_notice(tmp_path: Path) -> None:
    settings = _settings(tmp_path, mode="llamacpp", gguf_path=tmp_path / "missing.gguf")
    assistant = build_assistant(settings)
    assert assistant.chat_model is None
    assert assistant.extractive
    assert "抽取式" in assistant.model_notice
    assert assistant.describe_models()["mode"] == "extractive"
    assert assistant.answers.mode == "extractive"


def test_extractive_mode_builds_every_service_without_a_model(tmp_path: Path) -> None:
    assistant = build_assistant(_settings(tmp_path, mode="extractive"))
    assert assistant.chat_model is None
    assert assistant.model_notice == ""
    assert assistant.answers is assistant.answers  # built once
    assert assistant.drafts is not None
    assert assistant.commitments is not None


def test_fake_mode_uses_a_chat_model(tmp_path: Path) -> None:
    assistant = build_assistant(_settings(tmp_path, mode="fake"))
    assert assistant.chat_model is not None
    assert assistant.answers.mode == "llm"


def test_commitment_check_uses_the_model_only_when_asked(tmp_path: Path) -> None:
    by_rule = build_assistant(_settings(tmp_path / "a", mode="fake"))
    assert by_rule.chat_model is not None
    assert by_rule.commitments.chat_model is None
    by_model = build_assistant(_settings(tmp_path / "b", mode="fake", judge_commitments=True))
    assert by_model.commitments.chat_model is by_model.chat_model
