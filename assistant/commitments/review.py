"""The looking-back part of the material checked against: what it reports, and what it admits.

A report's review part mixes three kinds of sentences. Most report what was done ("report");
a 困难和问题 / 存在的不足 passage admits what was not ("problem": evidence that a promise fell
short); a 主要体会 passage restates principles ("lesson": it echoes the plan's wording without
reporting anything, so it is no evidence).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from assistant.commitments.extract import evidence_sentences
from assistant.commitments.sections import plan_ranges, shortcoming_ranges
from assistant.commitments.targets import MISSED
from index.models import StructuredBlock

Role = Literal["report", "problem", "lesson"]

# A paragraph that opens the admitted problems ("我们也清醒地看到，…还存在不少问题").
PROBLEM_INTRO = re.compile(
    r"清醒地(?:看到|认识到)|还存在(?:着)?(?:不少|一些|许多)?(?:问题|困难|不足|矛盾|缺点)"
    r"|存在的(?:问题|不足)|不足和问题|问题和不足|困难和问题"
)
# A paragraph that opens the lessons drawn ("主要体会是：", "——必须坚持…").
LESSON_INTRO = re.compile(r"体会|启示|^——必须|^必须坚持")
# Words that say a promise was not kept: an explicit miss (the same words that mark a missed
# headline target), or a softer admission of a shortfall.
NEGATIVE = re.compile(rf"{MISSED.pattern}|未能|未按期|滞后|差距|尚未|偏慢")


@dataclass(frozen=True)
class ReviewSentence:
    """One sentence of the material outside its plan part, with its role and place."""

    text: str
    role: Role
    block_index: int
    heading_path: tuple[str, ...] = ()
    page: int | None = None
    doc_id: str = ""
    source: str = ""


def _plan_blocks(blocks: Sequence[StructuredBlock]) -> set[int]:
    """Indices of the plan part (its headings included): promises are no evidence."""
    return {i for r in plan_ranges(blocks) for i in (r.start - 1, *r)}


def review_sentences(blocks: Sequence[StructuredBlock], *, doc_id: str = "",
                     source: str = "") -> list[ReviewSentence]:
    """Sentences outside the plan part, in order; a role holds until the next top-level heading."""
    skip = _plan_blocks(blocks)
    shortcoming = {i for r in shortcoming_ranges(blocks) for i in r}
    out: list[ReviewSentence] = []
    role: Role = "report"
    for i, block in enumerate(blocks):
        if i in skip:
            continue
        if block.kind == "heading":
            if not block.heading_path:
                role = "report"
            continue
        if PROBLEM_INTRO.search(block.text):
            role = "problem"
        elif role == "report" and LESSON_INTRO.search(block.text):
            role = "lesson"
        block_role: Role = "problem" if i in shortcoming else role
        out.extend(
            ReviewSentence(s, block_role, i, tuple(block.heading_path), block.page, doc_id, source)
            for s in evidence_sentences(block.text)
        )
    return out


def is_negative(sentence: str) -> bool:
    """Whether a sentence says something was not achieved (没有实现、未完成、差距…)."""
    return bool(NEGATIVE.search(sentence))
