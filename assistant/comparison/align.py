"""Align two versions' articles by content, not by number, and classify each row.

An inserted article renumbers everything after it, so numbers cannot pair articles. Pairs are
chosen by text similarity with an order-preserving alignment (revisions rarely move articles),
then articles left over on both sides may still pair when they are clearly the same text moved
elsewhere. Whatever stays unpaired was added or removed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from assistant.comparison.articles import Article
from assistant.comparison.wording import canonical

ChangeKind = Literal["新增", "删除", "修改", "未变"]

# Below this similarity two articles are different provisions (a rewrite shows as 删除 + 新增).
# Pairs must also keep the order of both versions, so a low bar only pairs an article with the
# rewrite standing in its place (checked on the four laws of regulation_versions: every pair
# between 0.3 and 0.45 was the same provision rewritten).
MIN_SIMILARITY = 0.3
# Cheap filter before the exact ratio: every pair chosen on the four laws of regulation_versions
# shares at least 0.35 of its character bigrams (Dice), so 0.25 drops only unrelated pairs.
MIN_BIGRAM_DICE = 0.25
# Articles outside the order-preserving alignment pair only when they are clearly the same text.
MOVED_SIMILARITY = 0.7


@dataclass(frozen=True)
class Row:
    """One line of the 新旧条文对照表."""

    kind: ChangeKind
    old: Article | None
    new: Article | None
    similarity: float = 0.0
    moved: bool = False

    @property
    def renumbered(self) -> bool:
        return bool(self.old and self.new and self.old.label != self.new.label)


def align_articles(old: Sequence[Article], new: Sequence[Article]) -> list[Row]:
    """Rows in the new version's order, removed articles placed after their predecessor."""
    sims = _similarities(old, new)
    ordered = _monotone_pairs(sims, len(old), len(new))
    moved = _moved_pairs(sims, ordered)
    return _rows(old, new, ordered, moved, sims)


def same_text(a: str, b: str) -> bool:
    """Equal but for white space (line breaks between 款 are layout) and punctuation width."""
    return canonical(a) == canonical(b)


def _similarities(old: Sequence[Article], new: Sequence[Article]) -> dict[tuple[int, int], float]:
    """Similarity (difflib ratio) of every pair that shares enough character bigrams."""
    texts_old = [canonical(a.body) for a in old]
    texts_new = [canonical(b.body) for b in new]
    grams_old = [_bigrams(t) for t in texts_old]
    sims: dict[tuple[int, int], float] = {}
    matcher = SequenceMatcher(autojunk=False)
    for j, b in enumerate(texts_new):
        matcher.set_seq2(b)  # difflib caches its index of the second sequence
        gb = _bigrams(b)
        for i, a in enumerate(texts_old):
            ga = grams_old[i]
            if not ga or not gb or 2 * len(ga & gb) / (len(ga) + len(gb)) < MIN_BIGRAM_DICE:
                continue
            if a == b:
                sims[i, j] = 1.0
                continue
            matcher.set_seq1(a)
            if matcher.real_quick_ratio() < MIN_SIMILARITY or matcher.quick_ratio() < MIN_SIMILARITY:
                continue
            ratio = matcher.ratio()
            if ratio >= MIN_SIMILARITY:
                sims[i, j] = ratio
    return sims


def _monotone_pairs(sims: dict[tuple[int, int], float], n: int, m: int) -> list[tuple[int, int]]:
    """The order-preserving set of pairs with the largest total similarity (dynamic programming)."""
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, prev = best[i], best[i - 1]
        for j in range(1, m + 1):
            value = max(prev[j], row[j - 1])
            sim = sims.get((i - 1, j - 1))
            if sim is not None:
                value = max(value, prev[j - 1] + sim)
            row[j] = value
    pairs: list[tuple[int, int]] = []
    i, j = n, m
    while i and j:
        sim = sims.get((i - 1, j - 1))
        if sim is not None and abs(best[i][j] - (best[i - 1][j - 1] + sim)) < 1e-9:
            pairs.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return pairs[::-1]


def _moved_pairs(
    sims: dict[tuple[int, int], float], pairs: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Greedy pairs among the leftovers, for an article moved to another place."""
    used_old = {i for i, _ in pairs}
    used_new = {j for _, j in pairs}
    found: list[tuple[int, int]] = []
    for (i, j), sim in sorted(sims.items(), key=lambda kv: -kv[1]):
        if sim >= MOVED_SIMILARITY and i not in used_old and j not in used_new:
            found.append((i, j))
            used_old.add(i)
            used_new.add(j)
    return found


def _rows(
    old: Sequence[Article], new: Sequence[Article], ordered: list[tuple[int, int]],
    moved: list[tuple[int, int]], sims: dict[tuple[int, int], float],
) -> list[Row]:
    old_of_new = {j: i for i, j in ordered + moved}
    removed_after = _removed_positions(len(old), ordered, {i for i, _ in ordered + moved})
    moved_set = set(moved)
    rows = [Row("删除", old[i], None) for i in removed_after.get(-1, [])]
    for j, article in enumerate(new):
        i = old_of_new.get(j)
        if i is None:
            rows.append(Row("新增", None, article))
        else:
            kind: ChangeKind = "未变" if same_text(old[i].body, article.body) else "修改"
            rows.append(Row(kind, old[i], article, sims[i, j], moved=(i, j) in moved_set))
        rows.extend(Row("删除", old[k], None) for k in removed_after.get(j, []))
    return rows


def _removed_positions(
    n_old: int, ordered: list[tuple[int, int]], paired: set[int]
) -> dict[int, list[int]]:
    """Each removed old article goes after the new article that its predecessor became."""
    new_of_old = dict(ordered)
    after: dict[int, list[int]] = {}
    last = -1
    for i in range(n_old):
        if i in new_of_old:
            last = new_of_old[i]
        elif i not in paired:
            after.setdefault(last, []).append(i)
    return after


def _bigrams(text: str) -> set[str]:
    return {text[k : k + 2] for k in range(len(text) - 1)}
