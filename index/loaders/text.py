"""Plain text and Markdown → one Block per line (these files keep one paragraph per line)."""

from __future__ import annotations

import re
from pathlib import Path

from index.encoding import decode_text
from index.models import Block, ParsedFile

_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_MD_TABLE_ROW = re.compile(r"^\|.*\|$")
_MD_TABLE_RULE = re.compile(r"^\|?[\s:|-]+\|?$")
_MD_RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")
_MD_LIST_OR_QUOTE = re.compile(r"^(?:[-*+]\s+|>\s?)+")
_INLINE = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images carry no text worth indexing
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"(?<!\*)\*(?![\s*])(.+?)(?<![\s*])\*(?!\*)"), r"\1"),  # italic with *
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
)


def load_text(path: Path) -> ParsedFile:
    """Decode a .txt or .md file (encoding detected) and split it into line blocks."""
    text, encoding = decode_text(path.read_bytes(), path.name)
    is_markdown = path.suffix.lower() in (".md", ".markdown")
    lines = _lines(text)
    blocks = markdown_blocks(lines) if is_markdown else plain_blocks(lines)
    kind = "md" if is_markdown else "txt"
    return ParsedFile(path=path, kind=kind, blocks=blocks, encoding=encoding)


def plain_blocks(lines: list[str]) -> list[Block]:
    """Every non-blank line is a paragraph; indentation (全角空格) is dropped."""
    return [Block(line) for line in lines if line]


def markdown_blocks(lines: list[str]) -> list[Block]:
    """Headings → heading<N>, table rows → table, HTML comments and emphasis markers dropped."""
    text = _HTML_COMMENT.sub("", "\n".join(lines))
    blocks = []
    for line in _lines(text):
        block = markdown_line_block(line)
        if block is not None:
            blocks.append(block)
    return blocks


def markdown_line_block(line: str) -> Block | None:
    """The Block for one stripped Markdown line, or None when it carries no text."""
    if not line or _MD_RULE.match(line):
        return None
    if heading := _MD_HEADING.match(line):
        text = strip_inline_markup(heading.group(2))
        return Block(text, style=f"heading{len(heading.group(1))}") if text else None
    if _MD_TABLE_ROW.match(line):
        if _MD_TABLE_RULE.match(line):
            return None
        cells = [strip_inline_markup(c.strip()) for c in line.strip("|").split("|")]
        return Block(" | ".join(cells), style="table")
    text = strip_inline_markup(_MD_LIST_OR_QUOTE.sub("", line)).strip()
    return Block(text) if text else None


def strip_inline_markup(text: str) -> str:
    """Remove Markdown emphasis, links, images and code markers, keeping the words."""
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


def _lines(text: str) -> list[str]:
    # splitlines also breaks on \f and \x1c-\x1e, which old converters leave between pages.
    return [line.strip() for line in text.splitlines()]
