"""What the 承诺核对 tab offers first: last year's report with a plan part and the report after it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.commitments.sections import plan_ranges
from index.models import DocumentMeta

REPORT_TYPES = ("report", "plan")


def default_check_pair(library: Any) -> tuple[str | None, str | None, int | None]:
    """(plan doc, against doc, year): the latest report with a plan part and the next year's report.

    When no report of the following year is in the library yet, `against` is None and the year is
    the plan's year + 1, so the check runs over that year's material once it arrives.
    """
    docs = [d for d in library.documents() if d.doc_type in REPORT_TYPES and d.year]
    planned = [d for d in sorted(docs, key=_newest_first) if plan_ranges(library.blocks_of(d.doc_id))]
    for plan in planned:
        following = next_year_report(docs, plan)
        if following is not None:
            return plan.doc_id, following.doc_id, None
    if planned:
        return planned[0].doc_id, None, int(planned[0].year or 0) + 1
    return None, None, None


def next_year_report(docs: Sequence[DocumentMeta], plan: DocumentMeta) -> DocumentMeta | None:
    """The report of the year after `plan` by the same issuer when there is one, else any."""
    following = [d for d in docs if d.year == (plan.year or 0) + 1 and d.doc_id != plan.doc_id]
    same_issuer = [d for d in following if plan.issuer and d.issuer == plan.issuer]
    matches = same_issuer or following
    return matches[0] if matches else None


def _newest_first(doc: DocumentMeta) -> tuple[int, str]:
    return -(doc.year or 0), doc.filename
