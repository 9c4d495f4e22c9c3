"""Checks run on a generated answer: citation markers, figures and names against the sources."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.answering.models import Flag, Source
from assistant.answering.numbers import figure_values, find_figures
from assistant.answering.support import SentenceSupport, SupportScorer
from assistant.answering.text import normalize, strip_quotes

UNSUPPORTED_WARNING = "⚠ 以下回答未能在资料中找到引用依据，请核实"
_REFUSAL_PHRASES = ("未找到依据", "无法回答", "无法根据", "没有找到相关", "资料中没有", "资料未提及",
                    "未涉及", "没有提及", "不能回答")
_MARKER = re.compile(r"\[(\d+)\]")
_GROUPED = re.compile(r"[\[【(（]\s*(?:资料|来源|出处)?\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]】)）]")
_SENTENCE = re.compile(r"[^。！？；!?;\n]*[。！？；!?;\n]?(?:\s*\[\d+\])*")
_NAME = re.compile(r"《[^》\n]{1,60}》|“[^”\n]{2,40}”|「[^」\n]{2,40}」|\"[^\"\n]{2,40}\"")


@dataclass
class Grounding:
    """Result of the checks: the annotated text, flags and the source numbers cited."""

    text: str
    flags: list[Flag] = field(default_factory=list)
    cited: set[int] = field(default_factory=set)

    @property
    def has_citation(self) -> bool:
        """At least one valid citation."""
        return bool(self.cited)

    @property
    def unsupported_claims(self) -> list[Flag]:
        """Sentences whose content the passages they cite do not back."""
        return [f for f in self.flags if f.kind in ("unsupported_claim", "date")]

    @property
    def supported(self) -> bool:
        """Cited, and every sentence backed by the passages it cites."""
        return self.has_citation and not self.unsupported_claims


def normalize_markers(text: str) -> str:
    """【1】, [1,2], （资料1） → [1], [1][2], [1]."""
    def expand(match: re.Match[str]) -> str:
        numbers = re.split(r"\s*[,，、]\s*", match.group(1))
        return "".join(f"[{int(n)}]" for n in numbers)

    return _GROUPED.sub(expand, normalize(text))


def drop_invalid_markers(text: str, valid: set[int]) -> tuple[str, list[Flag]]:
    """Remove markers that point to no given passage and flag each."""
    flags: list[Flag] = []

    def check(match: re.Match[str]) -> str:
        if int(match.group(1)) in valid:
            return match.group(0)
        flags.append(Flag("citation", match.group(0), f"引用{match.group(0)}不对应任何提供的资料，已删除"))
        return ""

    return _MARKER.sub(check, text), flags


def says_not_found(text: str) -> bool:
    """True when the model states that the passages do not answer the question."""
    return any(phrase in text for phrase in _REFUSAL_PHRASES)


# Words a small model writes around citations without saying anything ("资料编号：[1][2]").
_EMPTY_WORDS = re.compile(r"资料编号|参考资料|资料|来源|出处|引用|编号|答案|回答|如下")
_CONTENT_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
MIN_CONTENT_CHARS = 6


def says_nothing(text: str) -> bool:
    """True when a reply, without its markers and label words, has almost no content left."""
    body = _EMPTY_WORDS.sub("", _MARKER.sub("", normalize_markers(text)))
    return len(_CONTENT_CHAR.findall(body)) < MIN_CONTENT_CHARS


_LEXICAL = SupportScorer()


def check_answer(raw: str, sources: Sequence[Source], scorer: SupportScorer | None = None) -> Grounding:
    """Validate markers, then flag each sentence, figure, date and name its sources do not back.

    `scorer` carries the embedder (paraphrases are judged by similarity too); without one the
    check is lexical only.
    """
    scorer = scorer or _LEXICAL
    by_number = {s.n: s for s in sources}
    text, flags = drop_invalid_markers(normalize_markers(raw), set(by_number))
    cited = {int(n) for n in _MARKER.findall(text)}
    fallback = [by_number[n] for n in sorted(cited)] or list(sources)
    pieces = []
    for sentence in (m.group(0) for m in _SENTENCE.finditer(text) if m.group(0)):
        own = [by_number[int(n)] for n in _MARKER.findall(sentence)]
        checked, sentence_flags = _check_sentence(sentence, own or fallback, scorer)
        pieces.append(checked)
        flags += sentence_flags
    return Grounding("".join(pieces), flags, cited)


def _evidence(sources: Sequence[Source]) -> str:
    # The version label (（2024年修正）) names the source too: its year is not an invented figure.
    return normalize("\n".join(f"{s.title}{s.version}\n{s.article or ''}\n{s.section}\n"
                               f"{s.text or s.quote}" for s in sources))


def _check_sentence(
    sentence: str, sources: Sequence[Source], scorer: SupportScorer
) -> tuple[str, list[Flag]]:
    evidence = _evidence(sources)
    known = figure_values(evidence)
    where = "".join(f"[{s.n}]" for s in sources)
    spans = [(m.start(), m.end(), "name") for m in _NAME.finditer(sentence)
             if strip_quotes(normalize(m.group(0)).strip("《》")) not in evidence]
    # An unknown name is flagged on its own; its words should not also sink the sentence.
    support = _support(_blank(sentence, spans), sources, scorer)
    spans += _date_spans(sentence, support)
    spans += [(f.start, f.end, "figure") for f in find_figures(sentence)
              if f.value not in known and not _inside(f.start, spans)]
    flags = [Flag(kind, sentence[a:b], f"“{sentence[a:b]}”未能在资料{where}中找到")  # type: ignore[arg-type]
             for a, b, kind in sorted(spans)]
    if support.supported or support.dates:
        return _wrap(sentence, spans), flags
    a, b = _body(sentence)
    claim = Flag("unsupported_claim", sentence[a:b], f"“{sentence[a:b]}”{support.reason()}（资料{where}）")
    return _wrap(sentence, [(a, b, "unsupported_claim")]), [claim, *flags]


def _blank(sentence: str, spans: list[tuple[int, int, str]]) -> str:
    for a, b, _ in spans:
        sentence = sentence[:a] + " " * (b - a) + sentence[b:]
    return sentence


def _support(sentence: str, sources: Sequence[Source], scorer: SupportScorer) -> SentenceSupport:
    context = "\n".join(f"{s.title} {s.article or ''} {s.section}" for s in sources)
    return scorer.sentence(sentence, [s.text or s.quote for s in sources], context)


def _date_spans(sentence: str, support: SentenceSupport) -> list[tuple[int, int, str]]:
    text = normalize(sentence)
    spans = []
    for raw in support.dates:
        start = text.find(raw)
        if start >= 0:
            spans.append((start, start + len(raw), "date"))
    return spans


def _inside(position: int, spans: list[tuple[int, int, str]]) -> bool:
    return any(a <= position < b for a, b, _ in spans)


_TAIL = re.compile(r"(?:\s|\[\d+\]|[。！？；!?;，,、])*$")


def _body(sentence: str) -> tuple[int, int]:
    """The span of a sentence without leading spaces and its trailing markers and punctuation."""
    start = len(sentence) - len(sentence.lstrip())
    end = _TAIL.search(sentence, start)
    return start, end.start() if end else len(sentence)


def _wrap(sentence: str, spans: list[tuple[int, int, str]]) -> str:
    # Right to left so earlier offsets stay valid; overlapping spans keep the outer one.
    out, last = sentence, len(sentence) + 1
    for a, b, _ in sorted(spans, key=lambda s: -s[0]):
        if b <= last:
            out = f"{out[:a]}【待核实：{out[a:b]}】{out[b:]}"
            last = a
    return out
