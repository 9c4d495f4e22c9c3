"""Join the visual lines of a laid-out page back into paragraphs.

Chinese PDFs break lines mid-sentence without a hyphen or space, so a line only ends its
paragraph when it ends a sentence, when the next line opens a 公文 heading, or when it is
clearly shorter than a full line (the last line of a paragraph, or a heading on its own),
or when the next line is indented like the first line of a paragraph.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CN_DIGITS = "一二三四五六七八九十百千零〇两"
HEADING_START = re.compile(
    "^(?:"
    rf"[{_CN_DIGITS}]+、"  # 一、
    rf"|[（(][{_CN_DIGITS}]+[）)]"  # （一）
    rf"|第[{_CN_DIGITS}\d]+[编章节](?:\s|$)"  # 第一章 总则
    # 第三条 only with a space after it: "依照第三条规定" may well start a wrapped line.
    rf"|第[{_CN_DIGITS}\d]+条(?:\s|$)"
    r"|[一二三四五六七八九十]{1,3}是"  # 一是 / 二是
    r"|[（(]\d{1,2}[）)]"  # （1）
    r"|\d{1,2}[.．、](?!\d)"  # 1. but not 1.5亿
    ")"
)
_SENTENCE_END = frozenset("。！？：；;:!?")
_COLONS = frozenset("：:")
_ENUMERATION = re.compile(r"^[一二三四五六七八九十]{1,3}是")
_TRAILING_CLOSERS = "”’」』）)》】 \u3000"
# A line narrower than this share of a full line ends its paragraph.
SHORT_LINE_RATIO = 0.7
# Share of lines that must start indented before indentation alone marks paragraphs.
MIN_INDENTED_SHARE = 0.1


@dataclass
class Line:
    """One visual line and the 1-based page it sits on (None outside PDFs)."""

    text: str
    page: int | None = None


def join_lines(lines: list[Line]) -> list[Line]:
    """Merge consecutive lines into paragraphs; each paragraph keeps the page it starts on."""
    full_width = typical_width([ln.text for ln in lines if ln.text.strip()])
    # When paragraphs show a first-line indent, a line ending in 。 or starting with 一是 is no
    # longer a reliable paragraph boundary (a wrap can fall anywhere): trust the indent instead.
    trust_indent = uses_indentation(lines)
    previous = ""
    paragraphs: list[Line] = []
    current: Line | None = None
    for line in lines:
        text = line.text.strip()
        if current is not None and (
            not text or _starts_paragraph(line.text, previous, trust_indent)
        ):
            paragraphs.append(current)
            current = None
        if not text:
            continue
        previous = text
        current = Line(text, line.page) if current is None else _append(current, text)
        short = display_width(text) < SHORT_LINE_RATIO * full_width
        if short or (ends_sentence(text) and not trust_indent):
            paragraphs.append(current)
            current = None
    if current is not None:
        paragraphs.append(current)
    return paragraphs


def is_heading_start(text: str) -> bool:
    """True when the line opens a 公文 heading or enumerated point (一、 （一） 第X条 一是 …)."""
    return HEADING_START.match(text) is not None


def _starts_paragraph(raw: str, previous: str, trust_indent: bool) -> bool:
    if is_indented(raw):
        return True
    text = raw.strip()
    if not trust_indent:
        return is_heading_start(text)
    # Indented layout: an unindented heading (centered 第三章) follows a finished sentence;
    # "……存在以下不足：一是" may wrap right before 一是, so enumerations never split here.
    ended = previous.rstrip(_TRAILING_CLOSERS)[-1:] in _SENTENCE_END - _COLONS
    return ended and is_heading_start(text) and _ENUMERATION.match(text) is None


def uses_indentation(lines: list[Line]) -> bool:
    """True when enough lines start indented to take the indent as the paragraph marker."""
    texts = [ln.text for ln in lines if ln.text.strip()]
    indented = sum(is_indented(t) for t in texts)
    return indented >= max(3, MIN_INDENTED_SHARE * len(texts))


def is_indented(raw: str) -> bool:
    """True when the raw line opens with a first-line indent (two spaces or 全角空格)."""
    return raw.startswith(("\u3000", "  ", "\t"))


def ends_sentence(text: str) -> bool:
    """True when the line ends with sentence-final punctuation (closing quotes ignored)."""
    stripped = text.rstrip(_TRAILING_CLOSERS)
    if len(stripped) >= 2 and stripped[-1] == "." and stripped[-2].isalpha():
        return True  # an English sentence; "1." and "3." are list numbers, not sentence ends
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def display_width(text: str) -> float:
    """Width in CJK character cells: wide characters count 1, others 0.5."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)


def typical_width(texts: list[str]) -> float:
    """Width of a full line: a high percentile, so headings and last lines do not drag it down."""
    if not texts:
        return 0.0
    widths = sorted(display_width(t.strip()) for t in texts)
    return widths[int(0.9 * (len(widths) - 1))]


def _append(current: Line, text: str) -> Line:
    joiner = " " if _is_ascii_word_char(current.text[-1]) and _is_ascii_word_char(text[0]) else ""
    return Line(current.text + joiner + text, current.page)


def _is_ascii_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()
