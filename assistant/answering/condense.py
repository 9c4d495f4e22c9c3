"""Turn a follow-up question into a standalone one, with the model or by a simple rule."""

from __future__ import annotations

import re
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage

from assistant.answering.text import query_terms
from assistant.prompts import Prompt

History = Sequence[tuple[str, str]]  # (question, answer) pairs, oldest first
HISTORY_TURNS = 3
ANSWER_CHARS = 100
_ANAPHORA = re.compile(r"它|其|该|这|那|此|上述|前者|后者|还有|另外|呢[？?]?$")
_MARKERS = re.compile(r"\[\d+\]")


def is_follow_up(question: str) -> bool:
    """A question that leans on the previous turn: a pronoun, or too few terms of its own."""
    return bool(_ANAPHORA.search(question)) or len(query_terms(question)) <= 1


def rule_condense(question: str, history: History) -> str:
    """Prepend the previous question's key terms that the follow-up lacks."""
    if not history or not is_follow_up(question):
        return question
    own = set(query_terms(question))
    previous = [t for t in query_terms(history[-1][0]) if t not in own]
    return " ".join(previous[:4] + [question]) if previous else question


def format_history(history: History) -> str:
    """Last few turns as 用户/助手 lines, answers shortened and without citation markers."""
    lines = []
    for question, answer in list(history)[-HISTORY_TURNS:]:
        lines.append(f"用户：{question}")
        lines.append(f"助手：{_MARKERS.sub('', answer)[:ANSWER_CHARS]}")
    return "\n".join(lines)


def model_condense(question: str, history: History, model: BaseChatModel, prompt: Prompt) -> str:
    """Ask the model to rewrite the follow-up; fall back to the rule on an unusable reply."""
    if not history:
        return question
    text = prompt.render(history=format_history(history), question=question)
    reply = str(model.invoke([HumanMessage(content=text)]).content).strip()
    first_line = reply.splitlines()[0].strip() if reply else ""
    first_line = first_line.removeprefix("完整问题：").strip()
    if not first_line or len(first_line) > 2 * len(question) + 60:
        return rule_condense(question, history)
    return first_line


def history_from_messages(messages: Sequence[dict]) -> list[tuple[str, str]]:
    """Gradio-style [{"role": "user"|"assistant", "content": ...}] → (question, answer) pairs."""
    pairs: list[tuple[str, str]] = []
    pending: str | None = None
    for message in messages:
        if message.get("role") == "user":
            pending = str(message.get("content", ""))
        elif message.get("role") == "assistant" and pending is not None:
            pairs.append((pending, str(message.get("content", ""))))
            pending = None
    return pairs
