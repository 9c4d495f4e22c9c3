"""This year's report outline from last year's report: headings, sub-points and what last year said."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.drafting.condense import POINT_RE, key_sentences, point_title
from assistant.drafting.models import Skeleton, SkeletonSection
from assistant.drafting.sections import relative_paths, top_level_groups
from index.models import StructuredBlock

SUMMARY_CHARS = 200


def build_skeleton(
    blocks: Sequence[StructuredBlock], year: int, unit: str = "", last_year_title: str = "",
) -> Skeleton:
    """Outline for `year` built from the report of `year - 1`, ready to fill."""
    sections: list[SkeletonSection] = []
    path_of = dict(zip(map(id, blocks), relative_paths(list(blocks)), strict=True))
    for heading, group in top_level_groups(list(blocks)):
        if not heading or not group and not sections:
            continue
        sections.append(SkeletonSection(
            heading=shift_years(heading, year - 1),
            level=1,
            last_year_summary=key_sentences([b.text for b in group], SUMMARY_CHARS),
            subheadings=_subheadings(group, [path_of[id(b)] for b in group]),
        ))
    title = shift_years(last_year_title, year - 1) or f"{unit}{year}年法治政府建设情况报告"
    return Skeleton(title=title, year=year, unit=unit, source_title=last_year_title,
                    sections=sections)


def shift_years(text: str, last_year: int) -> str:
    """Move a heading to the next year: 2024年 → 2025年 and 2025年 → 2026年."""
    for year in (last_year + 1, last_year):  # later year first so it is not shifted twice
        text = text.replace(f"{year}年", f"{{Y{year + 1}}}年")
    return text.replace("{Y", "").replace("}年", "年")


def _subheadings(group: list[StructuredBlock], paths: list[tuple[str, ...]]) -> list[str]:
    subs: list[str] = []
    for block, path in zip(group, paths, strict=True):
        name = path[1] if len(path) > 1 else point_title(block.text)
        name = POINT_RE.sub("", name).strip()
        if name and name not in subs:
            subs.append(name)
    return subs
