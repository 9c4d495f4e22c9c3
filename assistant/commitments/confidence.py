"""How sure a rule verdict is (高/中/低), from the evidence that decided it.

高 is the bar: a 高 verdict stands in the table, anything below is shown as 待确认 with its
evidence and the status the tool leans to. What makes a verdict sure:
- figures compared: a headline indicator reported with its figure (or an explicit 没有实现), or
  every target of the promise met by a figure of the material;
- a clear sentence: the best evidence matches almost fully (the bar can also ask for a margin
  over the next candidate and a words-only score; on the tuning pairs neither helped);
- nothing at all: no sentence of the material comes near the promise (for a measurable
  promise: its figures are nowhere and no sentence is close).
Verdicts resting on a middling score, an unreported figure or an admitted problem are 中 or 低.
The bar's values are calibrated on the tuning pairs (benchmarks/bench_commitments.py), the
held-out pairs are reported apart; a model, where one judges, raises or lowers the confidence
(model_judge.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.commitments.models import HIGH, LOW, MEDIUM, Confidence, Evidence, Verdict
from assistant.commitments.targets import indicator_of


@dataclass(frozen=True)
class ConfidenceBar:
    """Scores that make a verdict 高 (see the module docstring).

    Calibrated by benchmarks/bench_commitments.py on the three tuning pairs (the most coverage
    with agreement ≥ 0.9 on the confident items; docs/benchmarks.md section 4): a 已落实 on one
    sentence needs an almost full match (0.95), a margin or a words-only score added nothing
    there; a 未体现 needs nothing above the one-shared-term level (0.17).
    """

    sure_done: float = 0.95  # a 已落实 on words: its best sentence scores at least this…
    sure_margin: float = 0.0  # …and this much above the next candidate
    sure_lexical: float = 0.0  # …and at least this on words alone (meaning alone is not enough)
    sure_absent: float = 0.17  # a 未体现: no sentence scores above this
    sure_absent_figures: float = 0.3  # a measurable promise whose figures are not reported: below this


DEFAULT_BAR = ConfidenceBar()
_ORDER: tuple[Confidence, ...] = (LOW, MEDIUM, HIGH)


def raise_one(confidence: Confidence) -> Confidence:
    """One level up (低 → 中 → 高)."""
    return _ORDER[min(_ORDER.index(confidence) + 1, len(_ORDER) - 1)]


def _best(verdict: Verdict) -> Evidence | None:
    return next((e for e in verdict.review_evidence if e.role == "report"), None)


def margin(verdict: Verdict) -> float:
    """How far the best sentence stands above the next candidate (0 when unknown)."""
    best = verdict.review_evidence[0] if verdict.review_evidence else None
    if best is None or best.runner_up is None:
        return 0.0
    return best.score - best.runner_up


def assess(verdict: Verdict, bar: ConfidenceBar = DEFAULT_BAR) -> Confidence:
    """高/中/低 for a rule verdict, by the rule that decided it (verdict.basis) and its evidence."""
    best = _best(verdict)
    score = best.score if best else 0.0
    basis = verdict.basis
    if basis == "figures_met":
        return HIGH if _headline(verdict) or _all_compared(verdict) else MEDIUM
    if basis == "figures_missed":
        return HIGH if "未实现" in verdict.reason or _headline(verdict) else MEDIUM
    if basis in ("none", "figures_absent"):
        top = max((e.score for e in verdict.review_evidence), default=0.0)
        limit = bar.sure_absent if basis == "none" else bar.sure_absent_figures
        return HIGH if top <= limit else MEDIUM
    if basis == "strong":
        sure = (score >= bar.sure_done and margin(verdict) >= bar.sure_margin
                and best is not None and best.lexical >= bar.sure_lexical)
        return HIGH if sure else MEDIUM
    if basis == "shortfall":
        return MEDIUM
    return LOW  # weak, figures_unreported: the rule itself is unsure


def _all_compared(verdict: Verdict) -> bool:
    """Every target of the promise met a figure of the material (none left unreported)."""
    found = [f for f in verdict.found.split("；") if f]
    return bool(found) and len(found) == len(verdict.commitment.targets)


def _headline(verdict: Verdict) -> bool:
    return any(indicator_of(t) is not None for t in verdict.commitment.targets)
