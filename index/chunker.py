"""Chunk structured blocks along the 公文 structure.

Headings are not chunks: their text travels in heading_path. One article (with its paragraphs
and items) is one chunk and is never merged with another; a 一是/二是 point is likewise its own
chunk, so its lead sentence stays in its heading path. Other blocks are merged while one of
the neighbours is shorter than min_chars and the result fits in max_chars: under the same
heading, and also across sibling sub-headings that share a parent heading (a list whose items
have their own short headings), in which case the sub-headings become lines of the chunk text
and the chunk's path is the shared parent. Anything longer than max_chars is split at sentence
ends with an overlap of whole sentences; a single sentence longer than max_chars is hard-split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.models import Chunk, StructuredBlock

_SENTENCE = re.compile(r"[^。！？；;!?]*(?:[。！？；;!?]+[”’」』）)]*|$)")


@dataclass
class _Piece:
    """A sentence (or a whole block) with where it came from."""

    text: str
    page: int | None
    new_block: bool  # joined to the previous piece with a newline


@dataclass
class _Unit:
    """Consecutive pieces that end up in one chunk."""

    pieces: list[_Piece]
    path: tuple[str, ...]
    key: tuple[str, ...]  # heading path without a point's own lead
    article: str | None
    mergeable: bool = True
    paths: set[tuple[str, ...]] = field(default_factory=set)
    tail_key: tuple[str, ...] | None = None  # key of the last unit merged in

    @property
    def text(self) -> str:
        return _join(self.pieces)


def _join(pieces: list[_Piece]) -> str:
    parts = [("\n" if p.new_block and i else "") + p.text for i, p in enumerate(pieces)]
    return "".join(parts)


def chunk_document(
    blocks: list[StructuredBlock],
    doc_id: str,
    *,
    max_chars: int = 500,
    min_chars: int = 200,
    overlap_chars: int = 60,
) -> list[Chunk]:
    """Turn structured blocks into retrievable chunks, in document order.

    Args:
        blocks: output of parse_structure.
        doc_id: id of the document the chunks belong to.
        max_chars: upper bound of a chunk's text.
        min_chars: neighbours are merged while one of them is shorter than this.
        overlap_chars: overlap (whole sentences) between pieces of a split passage.
    """
    units = _units(blocks)
    split = [p for u in units for p in _split_unit(u, max_chars, overlap_chars)]
    merged = _merge(split, min_chars, max_chars)
    return [_to_chunk(u, doc_id, i) for i, u in enumerate(merged)]


_YISHI = re.compile(r"^[一二三四五六七八九十]+是")


def _units(blocks: list[StructuredBlock]) -> list[_Unit]:
    """One unit per block, except that all blocks of one article form one unit."""
    units: list[_Unit] = []
    for b in blocks:
        if b.kind == "heading" or not b.text.strip():
            continue
        piece = _Piece(b.text.strip(), b.page, True)
        prev = units[-1] if units else None
        if b.article and prev and prev.article == b.article and prev.path == b.heading_path:
            prev.pieces.append(piece)
            continue
        # Articles and 一是/二是 points stay one per chunk (exact lookup, precise section
        # paths); short numbered items (1. 2. …) may share one so a list is retrieved whole.
        alone = bool(b.article) or (b.kind == "point" and _YISHI.match(b.text) is not None)
        units.append(_Unit([piece], b.heading_path, _merge_key(b), b.article, not alone))
    return units


def _merge_key(block: StructuredBlock) -> tuple[str, ...]:
    """Heading path without the lead sentence a point adds for itself."""
    path = block.heading_path
    if block.kind == "point" and path and block.text.startswith(path[-1]):
        return path[:-1]
    return path


def _split_unit(unit: _Unit, max_chars: int, overlap_chars: int) -> list[_Unit]:
    """Split a unit longer than max_chars at sentence ends, with overlap."""
    if len(unit.text) <= max_chars:
        return [unit]
    sentences = [s for p in unit.pieces for s in _sentences(p, max_chars)]
    groups: list[list[_Piece]] = [[]]
    for s in sentences:
        current = groups[-1]
        if current and len(_join([*current, s])) > max_chars:
            current = _overlap(current, s, max_chars, overlap_chars)
            groups.append(current)
        current.append(s)
    return [_Unit(g, unit.path, unit.key, unit.article, unit.mergeable) for g in groups if g]


def _overlap(prev: list[_Piece], nxt: _Piece, max_chars: int, overlap_chars: int) -> list[_Piece]:
    """Trailing whole sentences of prev (at most overlap_chars) to repeat in the next group."""
    tail: list[_Piece] = []
    for s in reversed(prev[1:]):  # never repeat the whole previous group
        candidate = [s, *tail]
        if len(_join(candidate)) > overlap_chars or len(_join([*candidate, nxt])) > max_chars:
            break
        tail = candidate
    return [_Piece(p.text, p.page, p.new_block) for p in tail]


def _sentences(piece: _Piece, max_chars: int) -> list[_Piece]:
    """Sentences of one block; a sentence longer than max_chars is cut into hard pieces."""
    out: list[_Piece] = []
    for m in _SENTENCE.finditer(piece.text):
        text = m.group(0)
        if not text:
            continue
        out.extend(_Piece(t, piece.page, False) for t in _hard_split(text, max_chars))
    if out:
        out[0].new_block = piece.new_block
    return out


def _hard_split(text: str, max_chars: int) -> list[str]:
    """Cut an over-long sentence, preferring a space or comma in the second half of a window."""
    pieces: list[str] = []
    while len(text) > max_chars:
        window = text[:max_chars]
        cut = max(window.rfind(c) for c in " ，,、")
        cut = cut + 1 if cut >= max_chars // 2 else max_chars
        pieces.append(text[:cut])
        text = text[cut:]
    return [*pieces, text] if text else pieces


def _merge(units: list[_Unit], min_chars: int, max_chars: int) -> list[_Unit]:
    """Merge small neighbours that share a heading; articles and 一是 points stay alone."""
    out: list[_Unit] = []
    for unit in units:
        unit.paths = unit.paths or {unit.path}
        merged = _merged(out[-1], unit, min_chars, max_chars) if out else None
        if merged is None:
            out.append(unit)
            continue
        prev = out[-1]
        prev.pieces, prev.key = merged
        prev.paths.add(unit.path)
        prev.tail_key = unit.key
    return out


def _merged(
    a: _Unit, b: _Unit, min_chars: int, max_chars: int
) -> tuple[list[_Piece], tuple[str, ...]] | None:
    """Pieces and key of a and b as one unit, or None when they stay apart.

    Sibling items under different sub-headings (a list whose items have their own short
    headings) may become one passage; the sub-headings they do not share are kept as lines of
    text, since the merged passage's path is only the heading both share.
    """
    if not (a.mergeable and b.mergeable):
        return None
    if len(a.text) >= min_chars and len(b.text) >= min_chars:
        return None
    common = _common_prefix(a.key, b.key)
    if not common and a.key != b.key:
        return None
    in_force = _common_prefix(a.tail_key or a.key, b.key)  # headings b shares with a's end
    head_a = [_Piece(h, None, True) for h in a.key[len(common):]]
    head_b = [_Piece(h, None, True) for h in b.key[len(in_force):]]
    pieces = [*head_a, *a.pieces, *head_b, *b.pieces]
    return (pieces, common) if len(_join(pieces)) <= max_chars else None


def _common_prefix(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _to_chunk(unit: _Unit, doc_id: str, ordinal: int) -> Chunk:
    pages = [p.page for p in unit.pieces if p.page is not None]
    path = unit.path if len(unit.paths) <= 1 else unit.key
    return Chunk(
        doc_id=doc_id,
        ordinal=ordinal,
        text=unit.text.strip(),
        heading_path=path,
        article=unit.article,
        page=pages[0] if pages else None,
        page_end=pages[-1] if pages else None,
    )
