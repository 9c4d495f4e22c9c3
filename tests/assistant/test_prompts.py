"""Every prompt file renders with its example variables; rendering checks its variables."""

import json

import pytest

from assistant.prompts import PROMPTS_DIR, Prompt, PromptError, load_prompt, prompt_names

NAMES = prompt_names()


def _example_vars(name: str) -> dict[str, str]:
    path = PROMPTS_DIR / f"{name}.vars.json"
    assert path.is_file(), f"add {path.name} with example values for prompts/{name}.txt"
    return json.loads(path.read_text(encoding="utf-8"))


def test_answer_prompts_are_present():
    assert {"answer_system", "answer_user", "condense"} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_prompt_renders_with_its_example_vars(name):
    prompt = load_prompt(name)
    values = _example_vars(name)
    assert set(values) == prompt.variables
    text = prompt.render(**values)
    assert not any(f"${v}" in text or f"${{{v}}}" in text for v in prompt.variables)
    for value in values.values():
        assert str(value) in text


@pytest.mark.parametrize("name", [n for n in NAMES if load_prompt(n).variables])
def test_every_prompt_rejects_a_missing_variable(name):
    values = _example_vars(name)
    values.pop(sorted(values)[0])
    with pytest.raises(PromptError, match="missing"):
        load_prompt(name).render(**values)


def test_unexpected_variable_is_rejected():
    with pytest.raises(PromptError, match="unexpected"):
        Prompt("t", "问题：$question").render(question="a", extra="b")


def test_braces_are_literal_and_dollar_escapes():
    prompt = Prompt("t", '输出 {"a": 1}，费用 $$5，问题：${question}')
    assert prompt.render(question="几") == '输出 {"a": 1}，费用 $5，问题：几'


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(PromptError, match="not found"):
        load_prompt("nope", directory=tmp_path)
