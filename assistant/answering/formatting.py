"""User-facing texts around an answer: refusals and the list of sources."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answering.models import Source

NOT_FOUND = "资料库中未找到依据。"
CLOSEST_INTRO = "以下是最接近的资料，仅供参考："
NOTHING_RETRIEVED = "（未检索到任何相关资料）"
CLOSEST_SHOWN = 3
QUOTE_PREVIEW_CHARS = 80


def refusal_text(closest: Sequence[Source]) -> str:
    """"资料库中未找到依据" followed by the closest passages, or a note that none were found."""
    if not closest:
        return NOT_FOUND + NOTHING_RETRIEVED
    lines = [NOT_FOUND + CLOSEST_INTRO]
    lines += [f"[{s.n}]{s.label}：{_preview(s.quote or s.text)}" for s in closest[:CLOSEST_SHOWN]]
    return "\n".join(lines)


def format_sources(sources: Sequence[Source]) -> str:
    """Numbered sources for a terminal: label line, then the quote indented."""
    blocks = [f"[{s.n}] {s.label}\n    “{_preview(s.quote, 200)}”" for s in sources]
    return "来源：\n" + "\n".join(blocks) if blocks else "来源：无"


def _preview(text: str, limit: int = QUOTE_PREVIEW_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
