"""Dates in Chinese text (2020年3月15日, 3月15号, 三月十五日, 2020-03-15) as comparable values.

A figure check finds "15" anywhere in a passage; a date must match a date: the same month and
day (and year, when both sides give one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.numbers import cn_to_int
from assistant.answering.text import normalize

_Y = r"(?P<y>\d{4}|[〇零一二三四五六七八九]{4})年"
_M = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月"
_D = r"(?P<d>3[01]|[12]\d|0?[1-9]|[一二]?十[一二三四五六七八九]?|三十[一]?|[一二三四五六七八九])[日号]"
_PART = r"(?P<part>底|末|初|上旬|中旬|下旬|份|中)"
_DATE = re.compile(
    rf"(?:{_Y})?{_M}(?:{_D}|{_PART})?"
    r"|(?P<iy>\d{4})[-/.](?P<im>1[0-2]|0?[1-9])[-/.](?P<id>3[01]|[12]\d|0?[1-9])(?!\d)"
)


@dataclass(frozen=True)
class DateValue:
    """A date as written and its parts (None where the text does not say)."""

    raw: str
    year: int | None
    month: int
    day: int | None

    def matches(self, other: DateValue) -> bool:
        """Same month and day; years only compared when both are given."""
        if self.month != other.month or self.day != other.day:
            return False
        return self.year is None or other.year is None or self.year == other.year


def _int(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) if text.isdigit() else cn_to_int(text)


def find_dates(text: str) -> list[DateValue]:
    """Month-day dates (with year if given) and month-only dates such as 3月底 in text."""
    found = []
    for match in _DATE.finditer(normalize(text)):
        if match["iy"]:
            found.append(DateValue(match.group(0), int(match["iy"]), int(match["im"]), int(match["id"])))
            continue
        month = _int(match["m"])
        day = _int(match["d"])
        if month is None or (day is None and not match["part"]):
            continue  # "3月" alone is as often a duration or a count as a date
        found.append(DateValue(match.group(0), _int(match["y"]), month, day))
    return found


def date_mismatches(sentence: str, evidence: str) -> list[str]:
    """The dates of the sentence that match no date of the evidence, as written."""
    known = find_dates(evidence)
    return [d.raw for d in find_dates(sentence) if not any(d.matches(k) for k in known)]
