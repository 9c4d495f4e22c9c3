"""Draft one section: with a chat model when there is one, else assembled from notes and last year."""

from __future__ import annotations

import re
import time
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage

from assistant.drafting.condense import key_sentences, sentences
from assistant.drafting.models import (
    EXTRACTIVE_BANNER,
    Draft,
    DraftRequest,
    SourcePassage,
    TraceReport,
)
from assistant.drafting.prompting import draft_messages
from assistant.drafting.sections import SectionType, find_section, section_type
from assistant.drafting.traceability import check_draft
from index.models import StructuredBlock

ORDINALS = "一二三四五六七八九十"
POINT_PREFIX_RE = re.compile(r"^[一二三四五六七八九十]+是")
_ORDINAL_COMMA_RE = re.compile(r"([一二三四五六七八九十]+是)[、，,]")
_BULLET_RE = re.compile(r"^\s*(?:[-*•·]|\d+[.、)）]|[（(]?[一二三四五六七八九十]+[)）、]|[一二三四五六七八九十]+是)\s*")
_MD_RE = re.compile(r"\*\*|__|^#+\s*|^正文[:：]\s*", re.MULTILINE)
# Lines a small model copies back from the prompt instead of writing prose.
_ECHO_RE = re.compile(r"^(?:[-*•]\s|\[\d+\]\s*《|<<<|本年工作要点|参考资料|单位：|报告：|部分：|字数：|请直接写出)")
_CONNECTOR_RE = re.compile(r"(?:首先|其次|再次|第[一二三四五六七八九十]|此外|同时|另外|最后)[，,]")
MODEL_FAILED_BANNER = "【模型草稿照抄上年内容，已改为抽取式草稿，需人工修改】"
REFERENCE_PREFIXES = ("上年同期表述（供参考）", "相关依据")
REG_CHARS = 200  # each regulation passage is cut to this many characters in the prompt
LAST_YEAR_CHARS = 150  # last year is a model of wording only; short, or the model copies it


def note_lines(notes: str) -> list[str]:
    """The user's notes as a list of facts, bullets and numbering removed."""
    lines = (_BULLET_RE.sub("", line).strip() for line in notes.splitlines())
    return [line.rstrip("。；;，,") for line in lines if line]


def build_sources(
    st: SectionType, blocks: Sequence[StructuredBlock], regulations: Sequence[SourcePassage],
    last_year_title: str = "", *, with_figures: bool = True,
) -> tuple[list[SourcePassage], str]:
    """Numbered sources ([1] last year's condensed section, then regulations) and last year's full text.

    For a model, last year's sentences with figures are left out: a small model copies them
    as this year's facts. The extractive draft quotes them, labelled as last year's.
    """
    section_blocks = find_section(list(blocks), st)
    full = "\n".join(b.text for b in section_blocks)
    sources: list[SourcePassage] = []
    condensed = key_sentences([b.text for b in section_blocks], LAST_YEAR_CHARS, with_figures=with_figures)
    if condensed:
        heading = " > ".join(section_blocks[0].heading_path) if section_blocks else ""
        sources.append(SourcePassage(1, condensed, last_year_title, heading, kind="last_year"))
    for reg in regulations:
        sources.append(SourcePassage(len(sources) + 1, reg.text[:REG_CHARS], reg.title,
                                     reg.section, reg.doc_id, "regulation"))
    return sources, full


def compose_draft(
    request: DraftRequest, blocks: Sequence[StructuredBlock],
    regulations: Sequence[SourcePassage] = (), chat_model: BaseChatModel | None = None,
    *, last_year_title: str = "",
) -> Draft:
    """Draft the requested section and check every figure and name it contains."""
    started = time.perf_counter()
    st = section_type(request.section)
    sources, last_full = build_sources(st, blocks, regulations, last_year_title,
                                       with_figures=chat_model is None)
    draft = Draft(heading=st.label, section_key=st.key, year=request.year, unit=request.unit,
                  text="", level=2 if st.parent else 1, sources=sources, notes=request.notes,
                  last_year_text=last_full, extractive=chat_model is None)
    if chat_model is not None and not note_lines(request.notes):
        chat_model = None  # without this year's facts a model can only write slogans
    if chat_model is not None:
        raw = chat_model.invoke(_section_prompt(request, st, sources)).content
        draft.text = to_points(clean_model_text(str(raw), request.max_chars))
    if chat_model is None or copies_last_year(draft.text, last_full):
        _fill_extractive(draft, st, model_failed=chat_model is not None)
    if draft.extractive:
        draft.text = _with_reference(draft)
    apply_trace(draft, trace(draft, draft.text))
    draft.elapsed_s = time.perf_counter() - started
    return draft


def trace(draft: Draft, text: str) -> TraceReport:
    """Check `text` line by line against the notes and non-last-year sources.

    Reference lines (上年同期表述, 相关依据) quote the sources verbatim and are kept as they are.
    """
    trusted = [s.text for s in draft.sources if s.kind != "last_year"]
    trusted += [f"《{s.title}》" for s in draft.sources if s.title]
    context = [draft.unit, *(f"{draft.year + d}年" for d in (-1, 0, 1))]
    total = TraceReport(text="")
    lines = []
    for line in text.split("\n"):
        if line.startswith(REFERENCE_PREFIXES):
            lines.append(line)
            continue
        report = check_draft(line, draft.notes, trusted, context=context,
                             last_year=draft.last_year_text)
        lines.append(report.text)
        total.unverified += report.unverified
        total.n_figures += report.n_figures
        total.n_figures_traceable += report.n_figures_traceable
    total.text = "\n".join(lines)
    return total


def apply_trace(draft: Draft, report: TraceReport) -> None:
    """Store the marked text and the check's findings on the draft."""
    draft.text = report.text
    draft.unverified = report.unverified
    draft.n_figures, draft.n_figures_traceable = report.n_figures, report.n_figures_traceable


def clean_model_text(text: str, max_chars: int) -> str:
    """Drop Markdown and headings the model adds, and cut overlong output at a sentence end."""
    text = _ORDINAL_COMMA_RE.sub(r"\1", _MD_RE.sub("", text)).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if not _ECHO_RE.match(line)]
    if lines and len(lines[0]) < 30 and not lines[0].endswith(("。", "；")):
        lines = lines[1:]  # a title line the prompt asked not to write
    limit = int(max_chars * 1.3)
    out, used, seen = [], 0, set()
    for line in lines:
        kept = []
        for sent in sentences(line):
            key = POINT_PREFIX_RE.sub("", sent).rstrip("。；，,")
            if key in seen:
                continue  # small models repeat a point under the next ordinal
            seen.add(key)
            if used + len(sent) > limit:
                break
            kept.append(sent)
            used += len(sent)
        if kept:
            out.append("".join(kept))
    return "\n".join(out)


def to_points(text: str) -> str:
    """Turn 首先/其次/此外… into the genre's 一是、二是… when the model did not use them."""
    if "一是" in text:
        return text
    count = 0

    def ordinal(_: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return f"{ORDINALS[(count - 1) % 10]}是"

    return _CONNECTOR_RE.sub(ordinal, text)


def _section_prompt(request: DraftRequest, st: SectionType, sources: list[SourcePassage]
                    ) -> list[BaseMessage]:
    listed = "\n".join(f"[{s.n}] {s.label}：{s.text}" for s in sources) or "（无）"
    notes = "\n".join(f"- {n}" for n in note_lines(request.notes)) or "（无）"
    return draft_messages("draft_section", unit=request.unit or "本单位", year=request.year,
                         section=st.label, max_chars=request.max_chars, notes=notes,
                         sources=listed)


def _opening(draft: Draft, key: str) -> str:
    unit = draft.unit or "本单位"
    return {
        "leader": f"{draft.year}年，{unit}主要负责人认真履行推进法治建设第一责任人职责。",
        "shortcomings": f"{draft.year}年，{unit}法治政府建设取得积极成效，但仍存在以下不足：",
        "plan": f"{draft.year + 1}年，{unit}将重点做好以下工作：",
    }.get(key, f"{draft.year}年，{unit}围绕{draft.heading}，扎实推进相关工作。")


def copies_last_year(text: str, last_year: str, share: float = 0.5) -> bool:
    """True when the model mostly repeated last year's sentences (or wrote nothing)."""
    sents = [POINT_PREFIX_RE.sub("", s).strip("。；，,：: ") for s in sentences(text)]
    sents = [s for s in sents if len(s) >= 6]
    if not sents:
        return True
    copied = sum(1 for s in sents if s in last_year)
    return copied / len(sents) >= share


def _fill_extractive(draft: Draft, st: SectionType, *, model_failed: bool = False) -> None:
    draft.extractive = True
    draft.banner = MODEL_FAILED_BANNER if model_failed else EXTRACTIVE_BANNER
    points = [f"{ORDINALS[i % 10]}是{note}。" for i, note in enumerate(note_lines(draft.notes))]
    draft.text = "\n".join([_opening(draft, st.key), *points])


def _with_reference(draft: Draft) -> str:
    # These lines quote the sources verbatim, so they are traceable by construction.
    extra = [f"{REFERENCE_PREFIXES[0]}：{s.text}[{s.n}]" for s in draft.sources if s.kind == "last_year"]
    extra += [f"{REFERENCE_PREFIXES[1]}：{s.label}[{s.n}]" for s in draft.sources if s.kind == "regulation"]
    return "\n".join([draft.text, *extra])
