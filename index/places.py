"""Where a document is from: 本市/我市/本省 resolved to the place its issuer, title or lead names.

A 天津 notice says 我市 and names 天津 only in its issuer; a 广州 report never says 广东. At
ingest the document's home place is found (issuer, then title, then the first lines when the
text refers to itself as 本市/全省/…) and expanded to its names and those of the places above it
(璧山区 → 重庆市, 重庆; 广州市 → 广州, 广东省, 广东), so a question naming any of them finds it.

The names come from the administrative division codes shipped in the `cpca` package (MIT).
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# How a text refers to its own place; the level it implies (市 or 省 or 区/县).
_SELF_REFERENCE = re.compile(
    r"(?:本|我|全)(?P<level>市|省|区|县)(?!场|民|级|长)|(?<![各省市区县])(?P<level2>市|省)(?:委|政府|人民政府)"
)
_LEVEL_OF = {"市": "city", "省": "province", "区": "county", "县": "county"}
# Administrative words that are not places of their own in the code list.
_NOT_PLACES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "省", "市", "盟")
# Short city names that are also everyday words (祝您安康, 世界大同, 阿里巴巴).
_COMMON_WORDS = {"安康", "大同", "阿里", "东方", "白山", "白银", "朝阳", "三明", "永安", "吉安", "太平"}
_LEAD_CHARS = 160
_CAPITAL_DATELINE = re.compile(r"(?:新华社|中新社|中新网|人民网|央视|经济日报|人民日报|光明日报|记者)\S{0,6}?北京")
# National bodies: their texts are about the whole country even where they quote one place.
_NATIONAL = re.compile(r"国务院|中共中央|全国|国家|总局|(?<![省市区县厅局])部(?:门)?(?:[\s:：、]|关于|$)|^(?:财政|公安|商务|教育|民政|司法)部")  # datelines and openings ("重庆日报讯", "新华社重庆2月13日电")


@dataclass(frozen=True)
class Place:
    code: str  # 12-digit administrative division code
    name: str  # full name: 重庆市, 璧山区, 内蒙古自治区

    @property
    def level(self) -> str:
        if self.code[2:] == "0" * 10:
            return "province"
        return "city" if self.code[4:] == "0" * 8 else "county"


@dataclass(frozen=True)
class Gazetteer:
    by_code: dict[str, Place]
    by_name: dict[str, Place]  # full names and unambiguous short forms
    pattern: re.Pattern[str]  # any name, longest first


def document_places(title: str, issuer: str, lead: str, text: str) -> list[str]:
    """Names (full and short) of the document's home place and the places above it; [] if none.

    Args:
        title: the document title.
        issuer: the issuing body (detected or from the header table).
        lead: the first lines of the body (datelines, "我市…" openings).
        text: the whole body, to see whether it refers to itself as 本市/全省/….
    """
    home = _home_place(title, issuer, lead, text)
    return place_names(home) if home else []


def place_names(place: Place) -> list[str]:
    """The place and those above it, each with its short form: 广州市 → 广州市 广州 广东省 广东."""
    names: list[str] = []
    for level in _chain(place):
        names.extend(n for n in (level.name, _short(level.name)) if n and n not in names)
    return names


def _home_place(title: str, issuer: str, lead: str, text: str) -> Place | None:
    gazetteer = _gazetteer()
    for source in (issuer, title):
        found = _most_specific(list(_places_in(gazetteer, source)))
        if found is not None:
            return found
    if _NATIONAL.search(issuer) or _NATIONAL.search(title):
        return None  # a ministry's text quoting a province is not that province's text
    levels = _self_levels(text)
    if not levels:
        # No 本市/全省: only an opening that names one place ("…重庆优化办税服务 为加大力度…").
        if _CAPITAL_DATELINE.search(lead[:_LEAD_CHARS]):
            return None  # national press writes from Beijing about the whole country
        opening = {p.code: p for p in _places_in(gazetteer, lead[:_LEAD_CHARS])}
        return next(iter(opening.values())) if len(opening) == 1 else None
    fits = [p for p in _places_in(gazetteer, text) if _fits(p, levels)]
    # The first lines name the place the text calls 本市/全省 (a dateline, "天津市…召开"); the
    # signature names it at the end; else the place of that level the text names most.
    for part in (lead[:_LEAD_CHARS], text[-_LEAD_CHARS:]):
        found = next((p for p in _places_in(gazetteer, part) if _fits(p, levels)), None)
        if found is not None:
            return found
    counts = Counter(fits).most_common(2)
    if counts and counts[0][1] >= 2 and (len(counts) == 1 or counts[0][1] > counts[1][1]):
        return counts[0][0]
    return None


def _fits(place: Place, levels: set[str]) -> bool:
    """A place the text could call 本市/全省/本区 (a municipality is also 本市)."""
    return place.level in levels or ("city" in levels and _is_municipality(place))


def _most_specific(places: list[Place]) -> Place | None:
    """重庆市大渡口区… → 大渡口区: the first place, narrowed by the places inside it that follow."""
    if not places:
        return None
    best = places[0]
    for place in places[1:]:
        if place.code != best.code and _within(place, best):
            best = place
    return best


def _within(inner: Place, outer: Place) -> bool:
    prefix = outer.code[:2] if outer.level == "province" else outer.code[:4]
    return inner.code.startswith(prefix) and outer.level != "county"


def _self_levels(text: str) -> set[str]:
    levels = set()
    for m in _SELF_REFERENCE.finditer(text):
        levels.add(_LEVEL_OF[m.group("level") or m.group("level2")])
    return levels


def _places_in(gazetteer: Gazetteer, text: str) -> Iterable[Place]:
    for m in gazetteer.pattern.finditer(text or ""):
        yield gazetteer.by_name[m.group(0)]


def _is_municipality(place: Place) -> bool:
    return place.code[:2] in {"11", "12", "31", "50"}  # 北京 天津 上海 重庆: 本市 is the province


def _chain(place: Place) -> list[Place]:
    """The place, its city, its province (levels that exist as named places)."""
    by_code = _gazetteer().by_code
    codes = [place.code, place.code[:4] + "0" * 8, place.code[:2] + "0" * 10]
    chain: list[Place] = []
    for code in codes:
        level = by_code.get(code)
        if level is not None and level not in chain:
            chain.append(level)
    return chain


def _short(name: str) -> str:
    """广州市 → 广州, 内蒙古自治区 → 内蒙古, 恩施土家族苗族自治州 → 恩施; '' when too short."""
    short = name
    for suffix in _SUFFIXES:
        if short.endswith(suffix) and len(short) > len(suffix) + 1:
            short = short[: -len(suffix)]
            break
    changed = True
    while changed:  # ethnic names before 自治区/自治州: 广西壮族 → 广西
        changed = False
        for nation in _nations():
            if short.endswith(nation) and len(short) > len(nation) + 1:
                short, changed = short[: -len(nation)], True
    return short if short != name and len(short) >= 2 else ""


@cache
def _gazetteer() -> Gazetteer:
    places = [Place(code, name) for code, name in _read_codes() if name not in _NOT_PLACES]
    by_code = {p.code: p for p in places}
    full_names = Counter(p.name for p in places)
    by_name: dict[str, Place] = {}
    for place in sorted(places, key=_rank):
        # Two districts of one name (鼓楼区 in five cities) say nothing about which one.
        if full_names[place.name] == 1 or place.level != "county":
            by_name.setdefault(place.name, place)
    short_forms: dict[str, list[Place]] = {}
    for place in places:
        short = _short(place.name)
        # Counties only by full name: short district names are often words (和平, 新华, 城关).
        if short and place.level != "county" and short not in _COMMON_WORDS:
            short_forms.setdefault(short, []).append(place)
    for short, owners in short_forms.items():
        best = sorted(owners, key=_rank)
        # Ambiguous at its best level (two cities of one name): not used.
        if short not in by_name and (len(best) == 1 or _rank(best[0]) < _rank(best[1])):
            by_name[short] = best[0]
    names = sorted(by_name, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(n) for n in names))
    return Gazetteer(by_code, by_name, pattern)


def _rank(place: Place) -> int:
    return {"province": 0, "city": 1, "county": 2}[place.level]


def _resources() -> Path:
    spec = importlib.util.find_spec("cpca")  # located, not imported (its import loads pandas)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("缺少 cpca 包（行政区划数据），请运行 make setup 安装依赖。")
    return Path(next(iter(spec.submodule_search_locations))) / "resources"


def _read_codes() -> list[tuple[str, str]]:
    with (_resources() / "adcodes.csv").open(encoding="utf-8") as fh:
        return [(row["adcode"], row["name"].strip()) for row in csv.DictReader(fh)]


@cache
def _nations() -> tuple[str, ...]:
    text = (_resources() / "56_nations.csv").read_text(encoding="utf-8")
    return tuple(sorted({n.strip() for n in text.split() if n.strip()}, key=len, reverse=True))


__all__ = ["Place", "document_places", "place_names"]
