"""Complete units of a passage for quoting: article, list, sub-section, table row, paragraph.

A passage (chunk text) keeps one structural block per line, so its lines are the document's
paragraphs, numbered items, sub-headings and table rows. A unit groups the lines a reader needs
together; which grouping applies can depend on the question (a list for "有哪些…").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from assistant.answering.models import Source
from assistant.answering.passages import looks_like_instruction
from assistant.answering.text import split_sentences
from index.structure import ITEM_CN, POINT_RE, heading_level, is_short_heading

# Questions that ask for everything a document lists (measures, conditions, requirements).
_ENUMERATION = re.compile(r"哪些|有何|包括|几[个项条类方]|内容|措施|举措|要求|条件|方面|做法|政策")
_LEAD_IN_ENDS = ("：", ":")
_ITEM_ENDS = ("。", "；", ";", "！", "？")
_TABLE_SEP = " | "
_KEY_VALUE_CHARS = 40  # "开户名：…" lines under a list item belong to that item
POINT_LEVEL = 9.0  # 一是/二是 points sit inside a paragraph: deeper than any numbered heading


@dataclass(frozen=True)
class Unit:
    """Consecutive lines of one source that are quoted together."""

    source: Source
    lines: tuple[str, ...]
    start: int = 0  # index of the first line within the source's lines
    kind: str = "paragraph"  # article | list | lead_in | section | item | table_row | paragraph
    header: str = ""  # a table's header row, quoted before the row
    context: str = field(default="", compare=False)  # scored with each sentence, not quoted

    @property
    def end(self) -> int:
        """Index of the last line within the source's lines."""
        return self.start + len(self.lines) - 1

    @property
    def text(self) -> str:
        """The quoted text: header row (tables), then the lines."""
        return "\n".join(([self.header] if self.header else []) + list(self.lines))

    @cached_property
    def _sentences(self) -> list[tuple[str, int]]:
        return [(s, i) for i, line in enumerate(self.lines) for s in split_sentences(line)]

    @property
    def sentences(self) -> list[str]:
        """The unit's sentences in order (the header row is not one of them)."""
        return [s for s, _ in self._sentences]

    def line_of(self, sentence: int) -> int:
        """Index (within the unit) of the line a sentence is on."""
        return self._sentences[sentence][1]

    def join(self, first: int, last: int) -> str:
        """Sentences first..last, a line break where the document had one; header first."""
        parts, line = [self.header] if self.header else [], -1
        for sentence, i in self._sentences[first:last + 1]:
            parts.append(("\n" if line >= 0 and i != line else "") + sentence)
            line = i
        head = parts[0] + "\n" if self.header else ""
        return head + "".join(parts[1:] if self.header else parts)

    def with_header(self, header: str) -> Unit:
        """The same unit quoting a table header row before itself."""
        return self if not header or header in self.lines else replace(self, header=header)


def clean_lines(text: str) -> list[str]:
    """Lines of a passage without sentences addressed to the assistant."""
    out = []
    for line in text.split("\n"):
        kept = "".join(s for s in split_sentences(line) if not looks_like_instruction(s))
        if kept:
            out.append(kept)
    return out


def asks_for_enumeration(question: str) -> bool:
    """True for questions whose answer is a whole list ("有哪些措施", "包括什么")."""
    return bool(_ENUMERATION.search(question))


def source_units(source: Source, lines: Sequence[str], question: str,
                 blocks_of: Callable[[str], list] | None = None) -> list[Unit]:
    """The units of one passage: the whole article, or lists, sections, rows and paragraphs."""
    if not lines:
        return []
    if source.article:
        whole = article_lines(source, blocks_of) if blocks_of is not None else []
        return [Unit(source, tuple(whole if len(whole) > len(lines) else lines), 0, "article")]
    units = list(_line_units(source, lines))
    if asks_for_enumeration(question):
        units += list(_lists(source, lines))
    return units


def _line_units(source: Source, lines: Sequence[str]) -> Iterator[Unit]:
    for i, line in enumerate(lines):
        if _is_table_row(line):
            start = _table_start(lines, i)
            header = lines[start] if start < i else ""
            yield Unit(source, (line,), i, "table_row", header)
        elif line.endswith(_LEAD_IN_ENDS) or _is_sub_heading(line):
            end = _body_end(lines, i)
            kind = "section" if _is_sub_heading(line) else "lead_in"
            yield Unit(source, tuple(lines[i:end + 1]), i, kind if end > i else "paragraph")
        else:
            yield Unit(source, (line,), i, "paragraph" if _marker_level(line) is None else "item")


def _lists(source: Source, lines: Sequence[str]) -> Iterator[Unit]:
    """Runs of sibling items (一是…, （一）…, 1.…) with the lead-in before them, if any."""
    i = 0
    while i < len(lines):
        level = _marker_level(lines[i])
        if level is None:
            i += 1
            continue
        headed = _is_sub_heading(lines[i])  # items with a body under each: keep the bodies
        end = last_item = i
        for j in range(i + 1, len(lines)):
            own = _marker_level(lines[j])
            if own == level:
                end = last_item = j
            elif (own is not None and own > level) or headed or _belongs_to_item(lines[j]):
                end = j
            else:
                break
        if last_item > i:
            start = i - 1 if i > 0 and lines[i - 1].endswith(_LEAD_IN_ENDS) else i
            yield Unit(source, tuple(lines[start:end + 1]), start, "list")
        i = last_item + 1


def _body_end(lines: Sequence[str], i: int) -> int:
    """Last line of what a sub-heading or a lead-in (“…如下：”) at line i introduces."""
    level = _marker_level(lines[i])
    end = i
    for j in range(i + 1, len(lines)):
        own = _marker_level(lines[j])
        if _is_sub_heading(lines[i]):
            if own is not None and level is not None and own <= level:
                break  # the next sibling (or a higher heading)
        elif j > i + 1 and own is None and not _belongs_to_item(lines[j]):
            break  # a plain paragraph after the items: the list is over
        end = j
    return end


def _belongs_to_item(line: str) -> bool:
    # Short key-value lines ("开户名：…", "账号：…") continue the item above them.
    return len(line) <= _KEY_VALUE_CHARS and not line.endswith("。")


def _marker_level(line: str) -> float | None:
    """Depth of the numbering a line starts with (一、 < （一） < 1. < （1） < 一是), else None."""
    if POINT_RE.match(line):
        return POINT_LEVEL
    level = heading_level(line)
    return None if level is None or level < ITEM_CN else level


def is_numbered(line: str) -> bool:
    """True for a line that starts a numbered item or sub-heading (一、 （一） 1. 一是 …)."""
    return _marker_level(line) is not None


def _is_sub_heading(line: str) -> bool:
    # A numbered title ("（二）银行汇款"), not a one-sentence item ending in 。
    return (_marker_level(line) not in (None, POINT_LEVEL) and is_short_heading(line)
            and not line.endswith(_ITEM_ENDS))


def _is_table_row(line: str) -> bool:
    return line.count(_TABLE_SEP) >= 1 and not line.endswith("。")


def _table_start(lines: Sequence[str], i: int) -> int:
    while i > 0 and _is_table_row(lines[i - 1]):
        i -= 1
    return i


def article_lines(source: Source, blocks_of: Callable[[str], list]) -> list[str]:
    """All blocks of the source's article (one chunk holds only part of a long article)."""
    texts = [b.text for b in blocks_of(source.doc_id) if b.article == source.article
             and b.kind != "heading" and " > ".join(b.heading_path) == source.section]
    return clean_lines("\n".join(texts))


def table_header(unit: Unit, blocks_of: Callable[[str], list]) -> str:
    """The first row of the table a row belongs to, from the document's parsed structure."""
    rows = [b.text.strip() for b in blocks_of(unit.source.doc_id)]
    row = unit.lines[0]
    if row not in rows:
        return unit.header
    i = rows.index(row)
    while i > 0 and _is_table_row(rows[i - 1]):
        i -= 1
    return rows[i] if rows[i] != row else ""
