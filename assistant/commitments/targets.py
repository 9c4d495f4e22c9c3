"""Measurable targets: find figures in a commitment and compare them with figures in evidence."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from assistant.commitments.models import Target
from index.structure import cn_numeral_to_int

_UNITS = (
    "万亿斤|亿斤|万斤|斤|万辆|万台|万套|万个|万所|万家|万名|万件|万公里|万公顷|公顷|亿亩|万亩|亩|万立方米|立方米|万平方米|平方米"
    "|个百分点|万亿元|亿美元|亿元|万元|元|万人次|万人|人次|人|万户|户|万吨|吨|万千瓦|千瓦|公里"
    "|%|％|次|项|个|件|家|场|期|篇|天|日|小时|所|座|套|部|份|批|轮|课时|学时|条|辆|处|名|台|间"
)
_NUMBER = r"(\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)"
FIGURE_RE = re.compile(rf"{_NUMBER}\s*({_UNITS})")
_MIN_WORDS = ("不少于", "不低于", "至少", "以上", "超过", "达到", "提高到", "增加到", "突破")
_MAX_WORDS = ("不超过", "不高于", "控制在", "以内", "以下", "低于", "压减", "降到", "降低到")
_BOUND_WORDS = (*_MIN_WORDS, *_MAX_WORDS)
# A figure that is a year, a date or an ordinal is no target.
_NOT_TARGET_BEFORE = re.compile(r"(第|近|前|后|过去|月|\d)$")


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


# Pieces every figure's surroundings share ("亿元，比上年…"): they do not pair two figures.
_COMMON_BIGRAMS = frozenset({"亿元", "万元", "万人", "比上", "上年", "同比", "全年", "今年", "年内", "累计"})


def _bigrams(text: str) -> set[str]:
    """Two-character pieces of the Chinese words in a figure's context (numbers and units left out)."""
    words = re.findall(r"[\u4e00-\u9fff]+", FIGURE_RE.sub("|", text))
    return {w[i : i + 2] for w in words for i in range(len(w) - 1)} - _COMMON_BIGRAMS


MIN_SHARED_BIGRAMS = 2  # "发行建设国债1100亿元" and "扶贫资金122亿元" are not the same figure


def matching_figure(target: Target, text: str) -> Figure | None:
    """The figure in `text` with the target's unit whose preceding words best match the target's.

    None unless they share at least MIN_SHARED_BIGRAMS two-character pieces: a figure with the
    right unit about something else is no evidence.
    """
    wanted = _bigrams(target.context[-8:])
    scored = [(len(wanted & _bigrams(f.context)), -f.start, f)
              for f in find_figures(text) if f.unit == target.unit]
    best = max(scored, key=lambda x: x[:2], default=None)
    return best[2] if best and best[0] >= MIN_SHARED_BIGRAMS else None


# Headline indicators of government work reports, with the words a review reports them by.
# Order matters: 单位国内生产总值能耗 is energy intensity, not GDP.
INDICATORS: dict[str, tuple[str, ...]] = {
    "单位国内生产总值能耗": ("生产总值能耗", "生产总值能源消耗", "GDP能耗"),
    "国内生产总值": ("国内生产总值", "经济增长", "GDP"),
    "居民消费价格": ("居民消费价格", "价格总水平", "物价", "CPI"),
    "城镇新增就业": ("新增就业",),
    "城镇登记失业率": ("登记失业率", "失业率"),
    "粮食产量": ("粮食产量", "粮食总产量", "粮食"),
    "财政赤字": ("赤字",),
}
MISSED = re.compile(r"没有实现|未实现|未能实现|未完成|没有完成|未能完成|未达到|没有达到")
_FIGURE_WINDOW = 30  # characters between the indicator word and its figure


@dataclass(frozen=True)
class IndicatorFinding:
    """What the material says about a target's indicator: a figure, or that it was missed."""

    sentence: str
    found: str  # "9.9%", or "未实现" for an explicit statement
    met: bool


def indicator_of(target: Target) -> str | None:
    """The headline indicator a target is about, from the words just before its figure.

    A share of GDP ("占国内生产总值比重在3%以内") is a ratio, not the GDP growth figure.
    """
    for name, words in INDICATORS.items():
        if any(w in target.context for w in words):
            if name == "国内生产总值" and "比重" in target.context:
                continue
            return name
    return None


def _mentions(name: str, sentence: str) -> list[int]:
    """End positions of the indicator's words in the sentence (GDP not inside 单位国内生产总值)."""
    ends = []
    for word in INDICATORS[name]:
        for m in re.finditer(re.escape(word), sentence):
            if name == "国内生产总值" and (sentence[max(0, m.start() - 2) : m.start()] == "单位"
                                          or sentence[m.end() : m.end() + 2] in ("能耗", "能源", "比重")):
                continue
            ends.append(m.end())
    return sorted(ends)


def indicator_figure(name: str, unit: str, sentence: str) -> Figure | None:
    """The first figure with `unit` after a word of the indicator, in the same clause."""
    figures = [f for f in find_figures(sentence) if f.unit == unit]
    for end in _mentions(name, sentence):
        for f in figures:
            if 0 <= f.start - end <= _FIGURE_WINDOW and not re.search("[；;。]", sentence[end : f.start]):
                return f
    return None


def indicator_finding(target: Target, sentences: list[str]) -> IndicatorFinding | None:
    """An explicit "没有实现" about the target's indicator, else its first reported figure."""
    name = indicator_of(target)
    if name is None:
        return None
    for sentence in sentences:
        if _mentions(name, sentence) and MISSED.search(sentence):
            return IndicatorFinding(sentence, "未实现", False)
    for sentence in sentences:
        figure = indicator_figure(name, target.unit, sentence)
        if figure is not None:
            found = format_figure(figure.value, figure.unit)
            return IndicatorFinding(sentence, found, target_met(target, figure.value))
    return None


def indicator_evidence(target: Target, sentences: list[str]) -> str | None:
    """The sentence that reports the target's indicator, if any."""
    finding = indicator_finding(target, sentences)
    return finding.sentence if finding else None


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
