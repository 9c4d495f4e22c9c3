"""User-facing texts around an answer: refusals and the list of sources."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answering.models import Source

NOT_FOUND = "资料库中未找到依据。"
CLOSEST_INTRO = "以下是最接近的资料，仅供参考："
NOTHING_RETRIEVED = "（未检索到任何相关资料）"
CLOSEST_SHOWN = 3
QUOTE_PREVIEW_CHARS = 80
QUOTE_HEADING = "资料原文"
SUMMARY_HEADING = "模型归纳"
WITHHELD_NOTE = "（摘要未通过核验，已隐藏；请以上面的资料原文为准）"
GAVE_UP_NOTE = "（模型未能根据资料归纳，摘要已省略；请以上面的资料原文为准）"


def compose_answer(quote: str, summary: str = "", note: str = "") -> str:
    """Plain text of a quote-first answer: 资料原文 block, then 模型归纳 (or the note), if any."""
    if not (summary or note):
        return quote
    return f"{QUOTE_HEADING}：\n{quote}\n\n{SUMMARY_HEADING}：\n{summary or note}"


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
