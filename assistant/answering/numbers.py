"""Figures in Chinese text (numbers, percentages, dates, 第X条) reduced to comparable values."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.answering.text import normalize
from index.structure import cn_numeral_to_int

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN = "零〇一二两三四五六七八九十百千"
# Units after which a Chinese numeral is a figure ("三个", "五十万元"); 万/亿 are units here so
# that 五十万元 and 50万元 compare equal.
_UNIT_AFTER = "个项条款章节年月日天周人元万亿次名家户所台辆倍岁小时公里米吨批类级%"

_FIGURE = re.compile(
    rf"第(?P<art>\d+|[{_CN}]+)(?P<unit>[条章节款编])"
    rf"|百分之(?P<pct>\d+(?:\.\d+)?|[{_CN}]+)"
    r"|(?<![\d.])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d])"
    rf"|(?P<cn>[{_CN}]{{2,}}|[二两三四五六七八九十])(?=[{_UNIT_AFTER}])"
)
# List numbering at a line start or right after an opening quote or colon (a quoted list item),
# but not a decimal such as 6.5.
_LIST_NUMBER = re.compile(r"(?m)(?:^|(?<=[“\"「『：:]))\s*\d+[.、)](?!\d)")
_MARKER = re.compile(r"\[\d+\]")


@dataclass(frozen=True)
class Figure:
    """A figure found in text: its span, the text as written and a comparable value."""

    start: int
    end: int
    raw: str
    value: str


def cn_to_int(text: str) -> int | None:
    """Chinese numeral to int: 二十三 → 23, 一百零五 → 105, 二〇二四 → 2024; None if not one."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        return None
    if all(ch in _CN_DIGITS for ch in text) and len(text) > 1:  # digit by digit, e.g. a year
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    return cn_numeral_to_int(text)


def _number_value(text: str) -> str:
    value = float(text.replace(",", ""))
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _value(match: re.Match[str]) -> str | None:
    if match["art"]:
        n = match["art"] if match["art"].isdigit() else cn_to_int(match["art"])
        return None if n is None else f"第{int(n)}{match['unit']}"
    raw = match["pct"] or match["num"] or match["cn"]
    if raw[0].isdigit():
        return _number_value(raw)
    n = cn_to_int(raw)
    return None if n is None else str(n)


def find_figures(text: str) -> list[Figure]:
    """Figures in text, skipping list numbering (1. 2、) and citation markers [n]."""
    masked = _MARKER.sub(lambda m: " " * len(m.group()), normalize(text))
    masked = _LIST_NUMBER.sub(lambda m: " " * len(m.group()), masked)
    figures = []
    for match in _FIGURE.finditer(masked):
        value = _value(match)
        if value is not None:
            figures.append(Figure(match.start(), match.end(), text[match.start():match.end()], value))
    return figures


def figure_values(text: str) -> set[str]:
    """The comparable values of all figures in a text (e.g. a source passage)."""
    return {f.value for f in find_figures(text)}
