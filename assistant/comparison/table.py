"""The 新旧条文对照表: aligned rows with a kind, a 说明 and the changed words marked."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from assistant.comparison.align import ChangeKind, Row, align_articles
from assistant.comparison.articles import Article
from assistant.comparison.wording import Segment, renumbered_only, word_diff


@dataclass(frozen=True)
class TableRow:
    """One row as offices lay it out: 原条文 | 修改后条文 | 说明."""

    kind: ChangeKind
    old: Article | None
    new: Article | None
    note: str
    old_segments: list[Segment] = field(default_factory=list)
    new_segments: list[Segment] = field(default_factory=list)

    @property
    def old_label(self) -> str:
        return self.old.label if self.old else ""

    @property
    def new_label(self) -> str:
        return self.new.label if self.new else ""


def build_table(old: Sequence[Article], new: Sequence[Article]) -> list[TableRow]:
    """Align two versions and describe every row."""
    rows = align_articles(old, new)
    new_label_of = {r.old.label: r.new.label for r in rows if r.old and r.new}
    return [_split_or_merged(_table_row(r, new_label_of), old, new) for r in rows]


def counts(rows: Sequence[TableRow]) -> dict[str, int]:
    """How many rows of each kind, in the order 修改 / 新增 / 删除 / 未变."""
    found = Counter(r.kind for r in rows)
    return {kind: found.get(kind, 0) for kind in ("修改", "新增", "删除", "未变")}


def _table_row(row: Row, new_label_of: dict[str, str]) -> TableRow:
    if row.old is None:
        assert row.new is not None
        return TableRow("新增", None, row.new, "新增", [], [Segment(row.new.body, True)])
    if row.new is None:
        return TableRow("删除", row.old, None, "删除", [Segment(row.old.body, True)], [])
    kind = row.kind
    if kind == "修改" and renumbered_only(row.old.body, row.new.body, new_label_of):
        kind = "未变"
    old_segments, new_segments = word_diff(row.old.body, row.new.body)
    return TableRow(kind, row.old, row.new, _note(kind, row), old_segments, new_segments)


def _split_or_merged(row: TableRow, old: Sequence[Article], new: Sequence[Article]) -> TableRow:
    """An 'added' article cut out of an old one (or a 'removed' one folded into a new one) is a change."""
    if row.kind == "新增" and row.new is not None:
        source = _containing(row.new.body, old)
        if source is not None:
            old_segments, new_segments = word_diff(source.body, row.new.body)
            return TableRow("修改", source, row.new, f"修改；由原{source.label}部分内容单列为一条",
                            old_segments, new_segments)
    if row.kind == "删除" and row.old is not None:
        target = _containing(row.old.body, new)
        if target is not None:
            old_segments, new_segments = word_diff(row.old.body, target.body)
            return TableRow("修改", row.old, target, f"修改；内容并入{target.label}", old_segments,
                            new_segments)
    return row


def _containing(body: str, articles: Sequence[Article]) -> Article | None:
    """The article whose text holds nearly all of `body` (at least 90 % as one common run)."""
    needle = _squash(body)
    if len(needle) < 15:
        return None
    for article in articles:
        hay = _squash(article.body)
        if len(hay) <= len(needle):
            continue
        match = SequenceMatcher(None, needle, hay, autojunk=False).find_longest_match(
            0, len(needle), 0, len(hay))
        if match.size >= 0.9 * len(needle):
            return article
    return None


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _note(kind: ChangeKind, row: Row) -> str:
    parts: list[str] = [kind]
    if kind == "未变" and row.kind == "修改":
        parts.append("所引条文序号相应调整")
    if row.renumbered:
        parts.append(f"条文序号由{row.old.label}调整为{row.new.label}")  # type: ignore[union-attr]
    if row.moved:
        parts.append("条文位置调整")
    return "；".join(parts)
