"""Find the plan section (下一年度工作计划, 今年主要任务, …) and the 存在的不足 section of a document."""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.models import StructuredBlock

# Headings of the part about the coming year, in the wordings reports use.
PLAN_HEADING = re.compile(
    r"计划|打算|安排|主要任务|工作任务|总体部署|总体要求|预期目标|下一步|下一年|明年|今年"
    r"|\d{4}\s*年(?:的)?(?:工作|主要)|工作思路|工作重点|努力方向|的建议|工作建议|主要目标|奋斗目标"
)
# Headings that look back, which a plan section never is.
REVIEW_HEADING = re.compile(r"回顾|情况|成效|成绩|总结|过去|主要做法|开展|取得|不足|问题|差距|附件")
SHORTCOMING_HEADING = re.compile(r"不足|存在的问题|问题和|困难和问题|差距|短板")


# A document title ("示例市2025年工作报告") names the year but opens no plan section.
TITLE_HEADING = re.compile(r"报告$")


def is_plan_heading(text: str) -> bool:
    """A heading that opens the part about the coming year."""
    return (bool(PLAN_HEADING.search(text)) and not REVIEW_HEADING.search(text)
            and not TITLE_HEADING.search(text.strip()))


def _depth(block: StructuredBlock) -> int:
    return len(block.heading_path)


def _section_end(blocks: Sequence[StructuredBlock], start: int) -> int:
    """Index just past the section opened by the heading at `start`."""
    depth = _depth(blocks[start])
    for i in range(start + 1, len(blocks)):
        if _depth(blocks[i]) <= depth:
            return i
    return len(blocks)


def plan_ranges(blocks: Sequence[StructuredBlock]) -> list[range]:
    """Block ranges of the plan part: the first plan heading and the sibling headings after it.

    National reports spread the coming year over several top-level parts (二、2005年工作总体部署,
    三、继续保持经济平稳较快发展, …), so siblings are included until a heading looks back.
    """
    start = _first_plan_heading(blocks)
    if start is None:
        return []
    depth, ranges, i = _depth(blocks[start]), [], start
    while i < len(blocks):
        block = blocks[i]
        if block.kind != "heading" or _depth(block) != depth:
            break
        if i != start and _looks_back(block.text):
            break
        end = _section_end(blocks, i)
        ranges.append(range(i + 1, end))
        i = end
    return ranges


def _first_plan_heading(blocks: Sequence[StructuredBlock]) -> int | None:
    """The plan heading, else the heading right after a review part (一、1996年工作的回顾)."""
    headings = [i for i, b in enumerate(blocks) if b.kind == "heading"]
    found = next((i for i in headings if is_plan_heading(blocks[i].text)), None)
    if found is not None:
        return found
    review = next((i for i in headings if re.search("回顾", blocks[i].text)), None)
    if review is None:
        return None
    end = _section_end(blocks, review)
    is_sibling = end < len(blocks) and blocks[end].kind == "heading"
    return end if is_sibling and _depth(blocks[end]) == _depth(blocks[review]) else None


def _looks_back(text: str) -> bool:
    return bool(REVIEW_HEADING.search(text)) and not is_plan_heading(text)


def shortcoming_ranges(blocks: Sequence[StructuredBlock]) -> list[range]:
    """Block ranges under 存在的不足 / 存在的问题 headings."""
    return [
        range(i + 1, _section_end(blocks, i))
        for i, b in enumerate(blocks)
        if b.kind == "heading" and SHORTCOMING_HEADING.search(b.text) and not is_plan_heading(b.text)
    ]


def plan_prefixes(blocks: Sequence[StructuredBlock]) -> set[tuple[str, ...]]:
    """Heading paths of the plan part; passages under them promise, they do not report."""
    prefixes = set()
    for r in plan_ranges(blocks):
        heading = blocks[r.start - 1]
        inner = next((blocks[i] for i in r if _depth(blocks[i]) > _depth(heading)), None)
        if inner is not None:
            prefixes.add(inner.heading_path[: _depth(heading) + 1])
    return prefixes


def under_any(path: Sequence[str], prefixes: set[tuple[str, ...]]) -> bool:
    """Whether a heading path lies under one of the prefixes."""
    return any(tuple(path[: len(p)]) == p for p in prefixes)
