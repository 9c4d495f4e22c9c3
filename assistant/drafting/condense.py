"""Condense last year's section to its key sentences, so a small model's prompt stays short."""

from __future__ import annotations

import re

SENTENCE_RE = re.compile(r"[^。！？；]+[。！？；]?")
POINT_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+是|[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+[.、])")
_FIGURE_RE = re.compile(r"\d")
TITLE_CHARS = 20


def sentences(text: str) -> list[str]:
    """Split Chinese text into sentences ending in 。！？；."""
    return [s.strip() for s in SENTENCE_RE.findall(text) if s.strip()]


def key_sentences(paragraphs: list[str], max_chars: int = 300, *, with_figures: bool = True) -> str:
    """First sentence(s) of each point plus sentences carrying figures, within max_chars.

    With `with_figures=False` no sentence containing a digit is kept at all.
    """
    picked: list[str] = []
    for para in paragraphs:
        sents = sentences(para)
        if not with_figures:
            sents = sents[:1] + [s for s in sents[1:] if not _FIGURE_RE.search(s)]
        if not sents:
            continue
        # A short first sentence is only the point's title; its substance is the next one.
        lead = 2 if len(sents[0]) < TITLE_CHARS else 1
        picked.extend(sents[:lead])
        picked.extend(s for s in sents[lead:] if _FIGURE_RE.search(s))
    return _fit([s for s in picked if with_figures or not _FIGURE_RE.search(s)], max_chars)


def _fit(picked: list[str], max_chars: int) -> str:
    out: list[str] = []
    used = 0
    for sent in picked:
        if used + len(sent) > max_chars:
            if not out:  # keep at least the start of the first sentence
                out.append(sent[:max_chars])
            break
        out.append(sent)
        used += len(sent)
    return "".join(out)


def point_title(text: str) -> str:
    """The topic named at the start of a point: 一是加强组织领导。… → 加强组织领导."""
    first = sentences(text)[0] if sentences(text) else text
    if not POINT_RE.match(first):
        return ""
    title = POINT_RE.sub("", first).rstrip("。！？；：:")
    return title if len(title) <= 30 else ""
