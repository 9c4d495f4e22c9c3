"""Word-level differences between two wordings of an article, for marking changed words."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher

_REFERENCE = re.compile(r"第[零〇一二三四五六七八九十百千\d]+条(之[一二三四五六七八九十]+)?")


@dataclass(frozen=True)
class Segment:
    """A run of text, changed (deleted from the old or inserted in the new wording) or not."""

    text: str
    changed: bool


@functools.lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    return jieba


def _words(text: str) -> list[str]:
    """Lossless word split (jieba) so marks fall on whole words, not stray characters."""
    return list(_jieba().cut(text, HMM=False))


def word_diff(old: str, new: str) -> tuple[list[Segment], list[Segment]]:
    """The old wording with deleted words marked and the new wording with inserted words marked."""
    a, b = _words(old), _words(new)
    # Compared by canonical form so a half-width ":" for "：" is not a change; shown as written.
    matcher = SequenceMatcher(None, [canonical(w) for w in a], [canonical(w) for w in b],
                              autojunk=False)
    old_out: list[Segment] = []
    new_out: list[Segment] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = tag != "equal"
        _append(old_out, "".join(a[i1:i2]), changed)
        _append(new_out, "".join(b[j1:j2]), changed)
    return old_out, new_out


def renumbered_only(old: str, new: str, new_label_of: Mapping[str, str]) -> bool:
    """True when the wordings differ only in cross-references to renumbered articles."""
    if not _REFERENCE.search(old):
        return False
    mapped = _REFERENCE.sub(lambda m: new_label_of.get(m.group(0), m.group(0)), old)
    return canonical(mapped) == canonical(new)


def canonical(text: str) -> str:
    """Text as compared: full- and half-width punctuation alike, white space ignored."""
    return _squash(unicodedata.normalize("NFKC", text))


def _append(out: list[Segment], text: str, changed: bool) -> None:
    if not text:
        return
    if out and out[-1].changed == changed:
        out[-1] = Segment(out[-1].text + text, changed)
    else:
        out.append(Segment(text, changed))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)
