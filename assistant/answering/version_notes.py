"""One line per cited regulation article whose wording differs in another version.

"注：该条在《中华人民共和国统计法》（2009年修订）中表述不同：第十四条 ……" tells the reader
that the quoted text is not the only one there has been, and offers the other wording.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.answering.models import Source

MAX_WORDING_CHARS = 300
_MARKER = re.compile(r"\[(\d+)\]")


def version_notes(sources: Sequence[Source], text: str) -> list[str]:
    """Notes for the sources `text` cites (all of them when it cites none by number)."""
    cited = {int(n) for n in _MARKER.findall(text)}
    seen: set[tuple[str, str]] = set()
    notes = []
    for source in sources:
        if (cited and source.n not in cited) or not source.article:
            continue
        for other in source.other_versions:
            key = (other.get("doc_id", ""), source.article)
            if key not in seen:
                seen.add(key)
                notes.append(_note(source.article, other))
    return notes


def with_version_notes(text: str, sources: Sequence[Source]) -> str:
    """`text` followed by its version notes, if any."""
    notes = version_notes(sources, text)
    return "\n".join([text, *notes]) if notes else text


def _note(article: str, other: dict[str, str]) -> str:
    wording = " ".join(other.get("text", "").split())
    if len(wording) > MAX_WORDING_CHARS:
        wording = wording[: MAX_WORDING_CHARS - 1] + "…"
    # An answer from an older version says where the text in force differs.
    current = "现行的" if other.get("current") else ""
    where = f"{current}《{other.get('title', '')}》{other.get('version', '')}"
    if not wording:
        return f"注：{where}中没有{article}。"
    return f"注：该条在{where}中表述不同：{wording}"
