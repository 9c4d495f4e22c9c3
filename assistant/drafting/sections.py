"""Section types of a 法治政府建设年度报告 and finding last year's matching section."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.models import StructuredBlock


@dataclass(frozen=True)
class SectionType:
    """A section of the usual outline, with heading keywords to find it in last year's report."""

    key: str
    label: str
    keywords: tuple[str, ...]
    parent: str | None = None  # sub-topics live under 主要举措和成效


SECTION_TYPES: dict[str, SectionType] = {s.key: s for s in (
    SectionType("measures", "本年度推进法治政府建设的主要举措和成效", ("主要举措", "成效", "举措")),
    SectionType("decision", "依法科学民主决策", ("民主决策", "决策"), "measures"),
    SectionType("enforcement", "严格规范公正文明执法", ("文明执法", "执法"), "measures"),
    SectionType("oversight", "强化行政权力制约监督", ("制约监督", "权力运行", "监督"), "measures"),
    SectionType("digital", "打造数字法治政府", ("数字法治", "数字", "智慧", "信息化"), "measures"),
    SectionType("leader", "主要负责人履行推进法治建设第一责任人职责情况",
                ("第一责任人", "主要负责人")),
    SectionType("shortcomings", "存在的不足和原因", ("不足", "问题", "短板")),
    SectionType("plan", "下一年度法治政府建设工作计划", ("计划", "打算", "安排", "思路")),
)}

_HEAD_CHARS = 40  # keywords are looked for at the start of a point, where its topic is named


def section_type(key_or_topic: str) -> SectionType:
    """The catalogue entry for a key or label; a free topic becomes its own type."""
    if key_or_topic in SECTION_TYPES:
        return SECTION_TYPES[key_or_topic]
    for st in SECTION_TYPES.values():
        if key_or_topic in (st.label, st.label.removesuffix("情况")) or key_or_topic in st.label:
            return st
    words = tuple(w for w in re.split(r"[\s,，、和及与]+", key_or_topic) if len(w) >= 2)
    return SectionType("free", key_or_topic, words or (key_or_topic,))


def answers_to_plan(key_or_topic: str) -> bool:
    """Sections that report on (or renew) last year's plan: they show last year's commitments."""
    st = section_type(key_or_topic)
    return st.key in ("plan", "measures") or st.parent == "measures"


def relative_paths(blocks: list[StructuredBlock]) -> list[tuple[str, ...]]:
    """Heading paths without the document title that every block sits under (e.g. 情况报告)."""
    paths = [_clean_path(b) for b in blocks]
    common = len(title_prefix(paths))
    return [p[common:] for p in paths]


def title_prefix(paths: list[tuple[str, ...]]) -> tuple[str, ...]:
    """The leading headings shared by every non-empty path (the document title, if any)."""
    nonempty = [p for p in paths if p]
    common = 0
    if len(set(nonempty)) > 1:
        while all(len(p) > common and p[common] == nonempty[0][common] for p in nonempty):
            common += 1
    return nonempty[0][:common] if common else ()


def _clean_path(block: StructuredBlock) -> tuple[str, ...]:
    return tuple(h.rstrip("。：:") for h in block.heading_path)


def top_level_groups(blocks: list[StructuredBlock]) -> list[tuple[str, list[StructuredBlock]]]:
    """Blocks grouped under their outermost heading, in document order ("" = preamble)."""
    groups: list[tuple[str, list[StructuredBlock]]] = []
    title = title_prefix([_clean_path(b) for b in blocks])
    for block, path in zip(blocks, relative_paths(blocks), strict=True):
        if block.kind == "heading" and block.text.rstrip("。：:") in title:
            continue
        is_heading = block.kind == "heading" and not path
        top = path[0] if path else (block.text.rstrip("。：:") if is_heading else "")
        if not groups or groups[-1][0] != top:
            groups.append((top, []))
        if not is_heading:
            groups[-1][1].append(block)
    return groups


def find_section(blocks: list[StructuredBlock], st: SectionType) -> list[StructuredBlock]:
    """Last year's blocks for a section type: a matching top-level group, else matching points."""
    if st.parent is None:
        group = _best_group(top_level_groups(blocks), st.keywords)
        if group:
            return group
        return _matching_points(blocks, st)
    # A sub-topic is looked for inside its parent section first (not among 不足 or 计划).
    parent = _best_group(top_level_groups(blocks), SECTION_TYPES[st.parent].keywords)
    return _matching_points(parent, st) or _matching_points(blocks, st)


def _score(text: str, keywords: tuple[str, ...]) -> int:
    # Earlier keywords are the more specific ones, so they weigh more.
    return sum(len(keywords) - i for i, kw in enumerate(keywords) if kw in text)


def _best_keyword(text: str, keywords: tuple[str, ...]) -> int:
    # For points the most specific keyword present decides; mentions do not add up.
    return max((len(keywords) - i for i, kw in enumerate(keywords) if kw in text), default=0)


def _best_group(groups, keywords) -> list[StructuredBlock]:
    scored = [(_score(head, keywords), i) for i, (head, _) in enumerate(groups) if head]
    scored = [s for s in scored if s[0] > 0]
    if not scored:
        return []
    best = max(scored, key=lambda s: (s[0], -s[1]))[1]
    return groups[best][1]


def _matching_points(blocks: list[StructuredBlock], st: SectionType) -> list[StructuredBlock]:
    paths = relative_paths(blocks)
    scores = [_point_score(b, p, st.keywords) for b, p in zip(blocks, paths, strict=True)]
    best = max(scores, default=0)
    return [b for b, s in zip(blocks, scores, strict=True) if best and s == best]


def _point_score(block: StructuredBlock, path: tuple[str, ...], keywords: tuple[str, ...]) -> int:
    # The point's own title counts double; the top-level heading is left out, or
    # 一、主要举措和成效 would make every point under it match.
    if block.kind == "heading":
        return 0
    title = " ".join(path[1:])
    return 2 * _best_keyword(title, keywords) + _best_keyword(block.text[:_HEAD_CHARS], keywords)
