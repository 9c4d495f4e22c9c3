"""A regulation's articles, in order, from its parsed structure (one entry per 第X条 with its 款)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from index.models import StructuredBlock
from index.structure import parse_article_number

_LABEL = re.compile(r"^\s*第[零〇一二三四五六七八九十百千\d]+条(之[一二三四五六七八九十]+)?\s*")


@dataclass(frozen=True)
class Article:
    """One article: its label (第七条), number, chapter and text without the label."""

    label: str
    number: int | None
    chapter: str
    body: str

    @property
    def text(self) -> str:
        """The article as it is cited: label and body."""
        return f"{self.label}　{self.body}"


def articles_of(blocks: Iterable[StructuredBlock]) -> list[Article]:
    """Group consecutive blocks of the same 第X条 (its 款 and 项) into one Article each."""
    grouped: list[tuple[str, str, list[str]]] = []
    for block in blocks:
        if not block.article:
            continue
        if grouped and grouped[-1][0] == block.article:
            grouped[-1][2].append(block.text)
        else:
            grouped.append((block.article, _chapter(block.heading_path), [block.text]))
    return [_article(label, chapter, parts) for label, chapter, parts in grouped]


def _article(label: str, chapter: str, parts: list[str]) -> Article:
    first = _LABEL.sub("", parts[0], count=1)
    body = "\n".join([first, *(p.strip() for p in parts[1:])]).strip()
    return Article(label=label, number=parse_article_number(label), chapter=chapter, body=body)


def _chapter(heading_path: tuple[str, ...]) -> str:
    """The innermost 章/节 heading, or the last heading below the title."""
    for heading in reversed(heading_path):
        if re.match(r"^第[零〇一二三四五六七八九十百\d]+[章节编]", heading):
            return heading
    return heading_path[-1] if len(heading_path) > 1 else ""
