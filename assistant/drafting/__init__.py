"""Report drafting: section drafts in 公文 style, traceability check, skeleton, revise, export."""

from assistant.drafting.models import (
    EXTRACTIVE_BANNER,
    Draft,
    DraftRequest,
    Skeleton,
    SkeletonSection,
    SourcePassage,
    UnverifiedItem,
)
from assistant.drafting.render import render_html, render_markdown, render_skeleton_markdown
from assistant.drafting.sections import SECTION_TYPES
from assistant.drafting.service import DraftService

__all__ = [
    "EXTRACTIVE_BANNER", "SECTION_TYPES", "Draft", "DraftRequest", "DraftService", "Skeleton",
    "SkeletonSection", "SourcePassage", "UnverifiedItem", "render_html", "render_markdown",
    "render_skeleton_markdown",
]
