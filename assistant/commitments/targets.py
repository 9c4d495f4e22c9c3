"""Measurable targets: find figures in a commitment and compare them with figures in evidence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.commitments.models import Target
from index.structure import cn_numeral_to_int

_UNITS = (
    "个百分点|万亿元|亿美元|亿元|万元|元|万人次|万人|人次|人|万户|户|万吨|吨|万千瓦|千瓦|公里"
    "|%|％|次|项|个|件|家|场|期|篇|天|日|小时|所|座|套|部|份|批|轮|课时|学时|条|辆|处|名|台|间"
)
_NUMBER = r"(\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)"
FIGURE_RE = re.compile(rf"{_NUMBER}\s*({_UNITS})")
_MIN_WORDS = ("不少于", "不低于", "至少", "以上", "超过", "达到", "提高到", "增加到", "突破")
_MAX_WORDS = ("不超过", "不高于", "控制在", "以内", "以下", "低于", "压减", "降到", "降低到")
_BOUND_WORDS = (*_MIN_WORDS, *_MAX_WORDS)
# A figure that is a year, a date or an ordinal is no target.
_NOT_TARGET_BEFORE = re.compile(r"(第|近|前|后|过去|\d)$")


@dataclass(frozen=True)
class Figure:
    """A number with its unit as found in a text."""

    value: float
    unit: str
    start: int
    context: str


def _to_number(raw: str) -> float | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", raw):
        return float(raw)
    try:
        return float(cn_numeral_to_int(raw))
    except ValueError:
        return None


def _norm_unit(unit: str) -> str:
    return "%" if unit == "％" else unit


def _figure_matches(text: str) -> Iterator[tuple[re.Match[str], float, str]]:
    """Figure matches with their value and the 10 characters before them."""
    for m in FIGURE_RE.finditer(text):
        value = _to_number(m.group(1))
        before = text[max(0, m.start() - 10) : m.start()]
        if value is None or _NOT_TARGET_BEFORE.search(before):
            continue
        # "一个机制", "两项制度" are wording, not targets, unless a bound word says otherwise.
        if not m.group(1)[0].isdigit() and not any(before.endswith(w) for w in _BOUND_WORDS):
            continue
        yield m, value, before


def find_figures(text: str) -> list[Figure]:
    """All number+unit figures in a text, with up to 10 characters of context before each."""
    return [Figure(v, _norm_unit(m.group(2)), m.start(), b) for m, v, b in _figure_matches(text)]


def _bound(text: str, fig_start: int, fig_end: int) -> str:
    before, after = text[max(0, fig_start - 6) : fig_start], text[fig_end : fig_end + 4]
    if any(w in before or w in after for w in _MAX_WORDS):
        return "max"
    if "左右" in after:
        return "approx"
    if any(w in before or w in after for w in _MIN_WORDS):
        return "min"
    return "exact"


def extract_targets(text: str) -> list[Target]:
    """Measurable targets in a commitment ("年度学法不少于4次" -> min 4 次)."""
    targets: list[Target] = []
    for m, value, before in _figure_matches(text):
        bound = _bound(text, m.start(), m.end())
        span_start = m.start() - next(
            (len(w) for w in _BOUND_WORDS if before.endswith(w)), 0
        )
        span = text[span_start : m.end()] + ("左右" if bound == "approx" else "")
        targets.append(Target(value, _norm_unit(m.group(2)), bound, span, before))  # type: ignore[arg-type]
    return targets


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def matching_figure(target: Target, text: str) -> Figure | None:
    """The figure in `text` with the target's unit whose preceding words best match the target's."""
    candidates = [f for f in find_figures(text) if f.unit == target.unit]
    if not candidates:
        return None
    wanted = _bigrams(target.context[-8:])
    return max(candidates, key=lambda f: (len(wanted & _bigrams(f.context)), -f.start))


def target_met(target: Target, found: float) -> bool:
    """Whether a found figure meets the target; "左右" allows 10% either way."""
    tolerance = max(abs(target.value) * 0.1, 0.05)
    if target.bound == "min":
        return found >= target.value
    if target.bound == "max":
        return found <= target.value
    if target.bound == "approx":
        # Growth-style targets ("增长7%左右") are met when exceeded, caps when not exceeded.
        capped = any(w in target.context for w in ("控制", "涨幅", "上涨", "赤字", "失业率"))
        return found <= target.value + tolerance if capped else found >= target.value - tolerance
    return found >= target.value - tolerance


def format_figure(value: float, unit: str) -> str:
    """4.0 -> "4次", 8.5 -> "8.5%"."""
    number = f"{value:g}"
    return f"{number}{unit}"
