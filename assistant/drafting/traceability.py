"""Check a draft against its notes and sources: figures, 《titles》 and names must be traceable.

Figures come from the answering module's shared extractor (assistant.answering.numbers); titles
and names of units are checked here. Anything not found is wrapped in 【待核实：…】 and listed,
never silently kept; figures found only in last year's report get their own reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.answering.numbers import figure_values, find_figures
from assistant.drafting.models import UNVERIFIED_MARK, TraceReport, UnverifiedItem

TITLE_RE = re.compile(r"《([^《》]{1,80})》")
CITATION_RE = re.compile(r"\[\d+\]")
MARK_RE = re.compile(r"【待核实：(.*?)】")
# Counted phrases the genre uses as fixed terms, not as facts to verify.
GENRE_PHRASES = ("两个维护", "两个确立", "四个意识", "四个自信", "三重一大", "一岗双责",
                 "八五普法", "七五普法", "三项制度", "五个一", "一把手", "两个责任", "12·4", "12.4")
ORG_SUFFIX_RE = re.compile(
    r"(?:管理局|委员会|办公室|领导小组|监察组|事务所|检察院|法院|研究院|中心(?!组|工作|任务|环节|城区)|公司|协会|厅|局)"
)
# Words after which an organisation name starts (the name itself never contains them).
_BOUNDARY_RE = re.compile(
    r".*(?:的|与|和|及|同|在|对|向|由|经|报|赴|从|把|将|为|以|按照|围绕|配合|联合|会同|协调|"
    r"组织|推动|督促|指导|依托|通过|牵头|建立|成立|设立|是|了|、)"
)
_GENERIC_LEAD = "全本我各该其贵"
_NON_ORG_STEMS = ("大", "全", "布", "格", "结", "当", "人民为", "工作", "服务", "数据")
PERSON_RE = re.compile(r"([\u4e00-\u9fa5]{2,3})(?=同志|局长|副局长|主任|副主任|书记|处长|科长)")


@dataclass
class _Span:
    start: int
    end: int
    text: str
    kind: str
    key: str = ""


def build_corpus(texts: Iterable[str]) -> str:
    """Join notes and source texts into one searchable string."""
    return "\n".join(t for t in texts if t)


def check_draft(
    text: str, notes: str, sources: Iterable[str], *,
    context: Iterable[str] = (), last_year: str = "",
) -> TraceReport:
    """Mark every figure, 《title》 and name of `text` found in neither notes nor sources.

    Args:
        text: the draft (may already carry 【待核实：…】 marks from an earlier check).
        notes: the user's facts.
        sources: texts of the cited passages (regulations, etc.).
        context: other trusted strings (the unit's name, the years asked for).
        last_year: last year's section: vouches for titles and names; figures found only there
            are flagged as 上年数据.
    """
    text = MARK_RE.sub(r"\1", text)
    trusted = build_corpus([notes, *sources, *context])
    trusted_values = figure_values(trusted)
    last_values = figure_values(last_year) - trusted_values
    clean = _blank_genre(_blank_citations(text))
    items: list[tuple[_Span, UnverifiedItem]] = []
    figures = _figure_spans(clean)
    for span in figures:
        if span.key in trusted_values:
            continue
        reason = "仅见于上年报告，请确认为本年数据" if span.key in last_values else None
        items.append((span, _item(span, reason)))
    # Names and titles are stable from year to year, so last year's report vouches for them.
    names = build_corpus([trusted, last_year])
    for span in _title_spans(clean) + _entity_spans(clean):
        if not _text_found(span.text, names):
            items.append((span, _item(span, None)))
    n_bad_figures = sum(1 for span, _ in items if span.kind == "figure")
    return TraceReport(
        text=_apply_marks(text, [s for s, _ in items]),
        unverified=[item for _, item in sorted(items, key=lambda p: p[0].start)],
        n_figures=len(figures),
        n_figures_traceable=len(figures) - n_bad_figures,
    )


def _item(span: _Span, reason: str | None) -> UnverifiedItem:
    kind = span.kind if span.kind in ("figure", "title") else "entity"
    if reason:
        return UnverifiedItem(span.text, kind, reason)  # type: ignore[arg-type]
    return UnverifiedItem(span.text, kind)  # type: ignore[arg-type]


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    # Replace matches with spaces of the same length so positions stay valid.
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def _blank_citations(text: str) -> str:
    return _blank(text, CITATION_RE)


def _blank_genre(text: str) -> str:
    return _blank(text, re.compile("|".join(map(re.escape, GENRE_PHRASES))))


def _figure_spans(text: str) -> list[_Span]:
    return [_Span(f.start, f.end, f.raw, "figure", f.value) for f in find_figures(text)]


def _title_spans(text: str) -> list[_Span]:
    return [_Span(m.start(), m.end(), m.group(0), "title") for m in TITLE_RE.finditer(text)]


def _entity_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    for m in ORG_SUFFIX_RE.finditer(text):
        span = _org_span(text, m.start(), m.end())
        if span and not any(s.start <= span.start < s.end for s in spans):
            spans.append(span)
    spans = [s for s in spans if not any(o is not s and o.start <= s.start and s.end <= o.end
                                         for o in spans)]
    for m in PERSON_RE.finditer(text):
        if _is_person(m.group(1)):
            spans.append(_Span(m.start(1), m.end(1), m.group(1), "person"))
    return spans


def _org_span(text: str, suffix_start: int, end: int) -> _Span | None:
    start = suffix_start
    while start > 0 and start > suffix_start - 12 and "\u4e00" <= text[start - 1] <= "\u9fa5":
        start -= 1
    window = text[start:suffix_start]
    cut = _BOUNDARY_RE.match(window)
    if cut:
        start += cut.end()
    start += _leading_verbs(text[start:suffix_start])
    while start < suffix_start and text[start] in _GENERIC_LEAD:
        start += 1
    stem = text[start:suffix_start].lstrip("市区县省")
    if len(stem) < 2 or stem.endswith(_NON_ORG_STEMS) or stem in _NON_ORG_STEMS:
        return None
    if end - suffix_start == 1 and not _suffix_is_word(text[start:end]):
        return None  # 落实局党组: the 局 of 局党组, not the end of a name
    return _Span(start, end, text[start:end], "entity")


def _leading_verbs(text: str) -> int:
    """Length of the verbs/particles a name-like run starts with (报送省…局 → 报送)."""
    import jieba.posseg  # lazy: loading jieba's dictionary takes a second

    skipped = 0
    for word in jieba.posseg.cut(text):
        if not word.flag.startswith(("v", "p", "c", "d", "u")):
            break
        skipped += len(word.word)
    return skipped


def _suffix_is_word(candidate: str) -> bool:
    # A real name ends in a word like 财政局 or 建局; a lone 局 token means a verb came before.
    import jieba  # lazy: loading jieba's dictionary takes a second

    return len(list(jieba.cut(candidate))[-1]) >= 2


def _is_person(name: str) -> bool:
    import jieba.posseg  # lazy: loading jieba's dictionary takes a second

    words = list(jieba.posseg.cut(name))
    return len(words) == 1 and words[0].flag == "nr"


def _normalise(text: str) -> str:
    return re.sub(r"[\s“”\"'‘’]", "", text)


def _text_found(text: str, corpus: str) -> bool:
    needle = _normalise(text.strip("《》"))
    hay = _normalise(corpus)
    if needle in hay or needle.removeprefix("中华人民共和国") in hay:
        return True
    return needle.lstrip("市区县省") in hay


def _apply_marks(text: str, spans: list[_Span]) -> str:
    for span in sorted(spans, key=lambda s: s.start, reverse=True):
        text = text[: span.start] + UNVERIFIED_MARK.format(span.text) + text[span.end :]
    return text
