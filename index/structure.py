"""公文 structure parser: headings, articles and enumerated points of a parsed file.

Levels, outermost first: document title; 第X编; 第X章; 第X节; 一、; （一）; 1. / 1、; （1）.
Unnumbered DOCX/Markdown headings sit between 编 and 章 (deeper style levels nest deeper).

Rule for numbered lines: a numbered line (一、 （一） 1. （1）) is a heading only when it is short
(at most HEADING_MAX_CHARS) and has no sentence punctuation before its last character, e.g.
"（二）强化制度保障，推进各项工作规范化。". A longer numbered line is body text: kind "point",
it closes deeper siblings but is not pushed on the heading stack, and its lead sentence is added to
its own heading path (like 一是/二是 points), so following paragraphs stay under the real heading.

Inside an article (第X条) everything up to the next article or 编/章/节/title heading belongs to
that article, including its （一）（二） items.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.models import Block, ParsedFile, StructuredBlock

HEADING_MAX_CHARS = 60
LEAD_MAX_CHARS = 50

_CN_DIGITS = dict(
    zip("零〇一二三四五六七八九两", (0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 2), strict=True)
)
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUM = "零〇一二三四五六七八九十百千两"
_SENTENCE_END = "。！？；;!?"

# Numeric levels; unnumbered style headings get 1 + N/10 (between 编 and 章).
TITLE, PART, CHAPTER, SECTION, ITEM_CN, ITEM_PAREN, ITEM_ARABIC, ITEM_PAREN_ARABIC = range(8)

_HEADING_PATTERNS: list[tuple[float, re.Pattern[str]]] = [
    (PART, re.compile(rf"^第[{_CN_NUM}\d]+编(?:\s|$)")),
    (CHAPTER, re.compile(rf"^第[{_CN_NUM}\d]+章(?:\s|$)")),
    (SECTION, re.compile(rf"^第[{_CN_NUM}\d]+节(?:\s|$)")),
    (ITEM_CN, re.compile(rf"^[{_CN_NUM}]+、")),
    (ITEM_PAREN, re.compile(rf"^[（(][{_CN_NUM}]+[）)]")),
    (ITEM_ARABIC, re.compile(r"^\d{1,2}(?:[、．]|\.(?!\d))")),
    (ITEM_PAREN_ARABIC, re.compile(r"^[（(]\d{1,2}[）)]")),
]
ARTICLE_RE = re.compile(rf"^(第[{_CN_NUM}]+条)(?:[\s\u3000]+|$)")
POINT_RE = re.compile(r"^[一二三四五六七八九十]+是")
_MARKER_AHEAD = (
    rf"(?:第[{_CN_NUM}]+[编章节条]|[{_CN_NUM}]+、|[（(][{_CN_NUM}\d]{{1,3}}[）)]"
    r"|\d{1,2}[、．]|[一二三四五六七八九十]+是)"
)
# Flattened text (one line per document) keeps paragraph breaks only as runs of spaces.
_SEGMENT_SPLIT = re.compile(
    rf"[ \t\u3000\xa0]{{2,}}|(?<=[。！？；：”;:!?])\s|\s(?={_MARKER_AHEAD})"
)


def cn_numeral_to_int(text: str) -> int:
    """Convert a Chinese numeral ("二十三", "一百零五", "两", "〇") to an int."""
    if text.isdigit():
        return int(text)
    total, digit = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[ch]  # "十" alone means 10
            digit = 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + digit


def int_to_cn_numeral(n: int) -> str:
    """Convert 0..9999 to its usual Chinese numeral (10 -> "十", 105 -> "一百零五")."""
    if n == 0:
        return "零"
    digits = "零一二三四五六七八九"
    parts: list[str] = []
    pending_zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit % 10
        if d == 0:
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        parts.append(digits[d] + name)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def parse_article_number(text: str) -> int | None:
    """Number of the article a text starts with ("第二十三条 ..." -> 23), else None."""
    m = re.match(rf"^\s*第([{_CN_NUM}]+)条", text)
    return cn_numeral_to_int(m.group(1)) if m else None


def heading_level(text: str) -> float | None:
    """Level of the textual heading marker a line starts with, else None."""
    for level, pattern in _HEADING_PATTERNS:
        if pattern.match(text):
            return level
    return None


def lead_sentence(text: str) -> str | None:
    """Lead of a point ("一是加强组织领导。…" -> "一是加强组织领导"), None if too long."""
    m = re.match(rf"[^{_SENTENCE_END}：:]+", text)
    lead = m.group(0).strip() if m else ""
    if len(lead) > LEAD_MAX_CHARS:
        lead = re.split(r"[，,]", lead, maxsplit=1)[0]
    return lead if 0 < len(lead) <= LEAD_MAX_CHARS and lead != text.strip() else None


def is_short_heading(text: str) -> bool:
    """A numbered line that is a bare title rather than a paragraph."""
    body = text.rstrip("。")
    return len(text) <= HEADING_MAX_CHARS and not any(ch in body for ch in _SENTENCE_END)


def segment_blocks(blocks: list[Block]) -> list[Block]:
    """Split flattened paragraphs back apart; tables and styled headings stay whole."""
    out: list[Block] = []
    for block in blocks:
        if block.style:
            out.append(Block(block.text.strip(), block.page, block.style))
            continue
        for piece in _SEGMENT_SPLIT.split(block.text):
            out.extend(Block(p, block.page) for p in _split_inline_heading(piece.strip()) if p)
    if out and not any(b.style for b in out):
        first = out.pop(0)
        out[:0] = [Block(p, first.page) for p in _split_title_line(first.text)]
    return out


def _split_inline_heading(text: str) -> list[str]:
    """'一、支持物资供应 对生产…' -> heading and body when they share one line."""
    if heading_level(text) is None or ARTICLE_RE.match(text):
        return [text]
    m = re.match(r"^(\S{3,}?)\s+(\S.*)$", text)
    if m and len(m.group(1)) <= 40 and _balanced(m.group(1)) and is_short_heading(m.group(1)):
        return [m.group(1), m.group(2)]
    return [text]


def _split_title_line(text: str) -> list[str]:
    """'某某通告（第8号） 为贯彻…' -> title and body when a flattened file starts that way."""
    m = re.match(r"^([^\s。！？；，,;!?]{4,60}?)\s+(\S.*)$", text)
    if m and _balanced(m[1]) and heading_level(m[1]) is None and not m[1][0].isdigit():
        return [m.group(1), m.group(2)]
    return [text]


def _balanced(text: str) -> bool:
    """No bracket or quote left open (a space inside 《…》 is not a line break)."""
    return all(text.count(a) == text.count(b) for a, b in ("《》", "（）", "()", "“”", "【】"))


def _is_table(block: Block) -> bool:
    return block.style == "table" or block.text.count(" | ") >= 2


def _style_level(style: str | None) -> float | None:
    """Level of a DOCX/Markdown heading style, None for body styles."""
    if style == "title":
        return TITLE
    m = re.fullmatch(r"heading(\d)", style or "")
    return 1 + int(m.group(1)) / 10 if m else None


@dataclass
class _State:
    """Heading stack and current article while walking the blocks."""

    stack: list[tuple[float, str]]
    article: str | None = None
    has_title: bool = False

    def path(self) -> tuple[str, ...]:
        return tuple(text for _, text in self.stack)

    def close(self, level: float) -> None:
        self.stack = [(lv, t) for lv, t in self.stack if lv < level]

    def push(self, level: float, text: str) -> None:
        self.close(level)
        self.stack.append((level, text))
        self.article = None  # any heading that gets this far ends the article


def parse_structure(parsed: ParsedFile) -> list[StructuredBlock]:
    """Place every block of a parsed file in the 公文 hierarchy (heading path, article)."""
    blocks = segment_blocks(parsed.blocks)
    state = _State(stack=[])
    out = [_place(block, i, blocks, state) for i, block in enumerate(blocks)]
    return _demote_empty_headings([b for b in out if b.text])


def _demote_empty_headings(blocks: list[StructuredBlock]) -> list[StructuredBlock]:
    """A numbered 'heading' with nothing under it (1、… 2、… one-liners) is body text.

    So is one written as a sentence ("（十）健康申报证明从2月17日开始办理，至…为止。"): it still
    heads the blocks below it, but its text must also be a passage, or no chunk would hold it.
    """
    for i, block in enumerate(blocks):
        if block.kind != "heading":
            continue
        own = (*block.heading_path, _clean_heading(block.text))
        following = blocks[i + 1].heading_path if i + 1 < len(blocks) else ()
        sentence = block.text.rstrip().endswith(("。", "！", "？", "；")) and len(block.text) > 12
        if following[: len(own)] != own or sentence:
            block.kind = "paragraph"
    return blocks


def _place(block: Block, index: int, blocks: list[Block], state: _State) -> StructuredBlock:
    """Classify one block and update the heading state."""
    text = block.text
    if _is_table(block):
        return StructuredBlock(text, "table", state.path(), state.article, block.page)
    level = _title_level(block, index, blocks, state)
    if level is None:
        level = _heading_level_for(block, state)
    if level is not None:
        state.push(level, _clean_heading(text))
        state.has_title = state.has_title or level == TITLE
        return StructuredBlock(text, "heading", state.path()[:-1], None, block.page)
    return _place_body(block, state)


def _title_level(block: Block, index: int, blocks: list[Block], state: _State) -> float | None:
    """TITLE for the document title: title style, first heading1, or a short first line."""
    if state.has_title or state.stack:
        return None
    if block.style == "title" or (block.style == "heading1" and index == _first_styled(blocks)):
        return TITLE
    first_line = index == 0 and len(blocks) > 1 and not block.style
    if first_line and len(block.text) <= 40 and heading_level(block.text) is None:
        return TITLE if not any(ch in block.text for ch in "。！？；，：;,:") else None
    return None


def _first_styled(blocks: list[Block]) -> int:
    return next((i for i, b in enumerate(blocks) if _style_level(b.style) is not None), -1)


def _heading_level_for(block: Block, state: _State) -> float | None:
    """Heading level of a block, None when it is body text."""
    text = block.text
    textual = heading_level(text)
    style = _style_level(block.style)
    if style is not None:
        return textual if textual is not None else style
    if textual is None or not is_short_heading(text):
        return None
    # Inside an article, numbered lines are the article's items, not headings.
    if state.article and textual > SECTION:
        return None
    return textual


def _place_body(block: Block, state: _State) -> StructuredBlock:
    """Articles, points and paragraphs."""
    text = block.text
    m = ARTICLE_RE.match(text)
    if m:
        state.article = m.group(1)
        return StructuredBlock(text, "article", state.path(), state.article, block.page)
    if state.article:
        return StructuredBlock(text, "paragraph", state.path(), state.article, block.page)
    level = heading_level(text)
    if POINT_RE.match(text) or level is not None:
        if level is not None:
            state.close(level)  # a long numbered paragraph still closes its deeper siblings
        lead = lead_sentence(text)
        path = state.path() + ((lead,) if lead else ())
        return StructuredBlock(text, "point", path, None, block.page)
    return StructuredBlock(text, "paragraph", state.path(), None, block.page)


def _clean_heading(text: str) -> str:
    return re.sub(r"\s+", " ", text.lstrip("#").strip()).rstrip("。")
