"""Commitment-check benchmark: extraction recall/precision, status agreement, time of one check.

    .venv/bin/python benchmarks/bench_commitments.py [--data DIR] [--llm GGUF] [--threads 2] [--no-semantic]

Labelled sets are benchmarks/data/commitments/*.json: the plan document, the document to check
against, the headings labelled exhaustively (`scope_headings`, for precision) and items with a
status and anchors. National-report labels keep only the opening words of each sentence
(`text_anchor`, `evidence_anchor`): the benchmark resolves them in ../shared/corpus, so no corpus
text is copied here. An item's span is the anchor to the end of its sentence.

Matching: an extracted item and a labelled span match when their character overlap is at least
half the shorter of the two. Recall = labelled items matched; precision = extracted items inside
the scope headings that match a label. Status agreement is over matched labelled items.
Thresholds are calibrated on the national sets not marked `held_out` (2004→05, 2005→06,
2006→07); the sets marked `held_out` (2003→04, 2009→10, 2011→12) are reported, never tuned on.
The check time of a set includes embedding its review sentences (a fresh service per run).
Results go to benchmarks/results/commitments.json and a Markdown table is printed;
`--details FILE` writes every labelled item (label, prediction, evidence, reason) as Markdown.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.commitments import CommitmentService, Thresholds, rule_verdict  # noqa: E402
from assistant.commitments.confidence import DEFAULT_BAR, ConfidenceBar, assess  # noqa: E402
from assistant.commitments.judge import DEFAULT_THRESHOLDS, LLMJudge  # noqa: E402
from assistant.commitments.model_judge import BatchJudge  # noqa: E402
from assistant.commitments.models import HIGH, LOW, MEDIUM  # noqa: E402
from assistant.container import build_library  # noqa: E402
from assistant.settings import load_settings  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "commitments"
RESULTS = ROOT / "benchmarks" / "results"
STATUSES = ("已落实", "部分落实", "未体现")


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def label_span(doc: str, anchor: str, start: int) -> tuple[int, int]:
    """The labelled sentence: from its anchor (first occurrence after `start`) to its 。."""
    pos = doc.find(anchor, start)
    if pos < 0:
        raise ValueError(f"anchor not found: {anchor[:20]}")
    end = doc.find("。", pos + len(anchor) - 1)
    return pos, (end + 1 if end >= 0 else len(doc))


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def matches(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return overlap(a, b) >= 0.5 * min(a[1] - a[0], b[1] - b[0])


@dataclass
class Case:
    name: str
    spec: dict
    plan_path: Path
    against_path: Path


def load_cases(names: list[str] | None) -> list[Case]:
    cases = []
    for path in sorted(DATA.glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        if names and spec["pair"] not in names:
            continue
        cases.append(Case(spec["pair"], spec, (ROOT / spec["plan"]).resolve(),
                          (ROOT / spec["against"]).resolve()))
    return cases


def item_spans(doc: str, items) -> list[tuple[int, int]]:
    """Where each extracted item sits in the flattened plan text (searching forward)."""
    spans, cursor = [], 0
    for item in items:
        text = flat(item.text)
        head = text[:20]  # items may be trimmed (不足 items lose their 主要原因 clause)
        pos = doc.find(head, cursor)
        pos = doc.find(head) if pos < 0 else pos
        spans.append((pos, pos + len(text)) if pos >= 0 else (-1, -1))
        cursor = max(cursor, pos) if pos >= 0 else cursor
    return spans


def _group(items, ext_spans, label: tuple[int, int], best: int) -> list[int]:
    """The extracted items a label covers: one, or every target of a listed-targets sentence."""
    if not items[best].listed:
        return [best]
    inside = [i for i, it in enumerate(items)
              if it.listed and overlap(label, ext_spans[i]) >= 0.5 * (ext_spans[i][1] - ext_spans[i][0])]
    return inside or [best]


def clause_recall(doc: str, anchors: list[str], ext_spans, start: int) -> dict:
    """Share of the listed targets (`target_clauses` anchors) that became an item of their own."""
    found = []
    for anchor in anchors:
        pos = doc.find(flat(anchor), start)
        span = (pos, pos + len(flat(anchor)))
        own = pos >= 0 and any(overlap(span, e) >= 0.8 * max(span[1] - span[0], e[1] - e[0]) for e in ext_spans)
        found.append(own)
    return {"target_clauses": len(anchors), "target_clause_recall": sum(found) / len(anchors) if anchors else None,
            "target_clauses_missed": [a for a, ok in zip(anchors, found, strict=True) if not ok]}


def evaluate_extraction(case: Case, items) -> dict:
    doc = flat(case.plan_path.read_text(encoding="utf-8"))
    labels = case.spec["items"]
    start = 0 if case.name.startswith("sample") else doc.find(case.spec.get("start", "")) or 0
    lab_spans = [label_span(doc, flat(lab["text_anchor"]), 0 if lab["kind"] == "shortcoming" else start)
                 for lab in labels]
    ext_spans = item_spans(doc, items)
    match_of: dict[int, list[int]] = {}
    for li, ls in enumerate(lab_spans):
        best = max(range(len(items)), key=lambda i: overlap(ls, ext_spans[i]), default=None)
        if best is not None and matches(ls, ext_spans[best]):
            match_of[li] = _group(items, ext_spans, ls, best)
    scope = set(case.spec["scope_headings"])
    in_scope = [i for i, it in enumerate(items) if scope & set(it.heading_path)]
    correct = [i for i in in_scope if any(matches(ext_spans[i], ls) for ls in lab_spans)]
    return {"labels": len(labels), "extracted": len(items), "in_scope": len(in_scope),
            "recall": len(match_of) / len(labels),
            "precision": len(correct) / len(in_scope) if in_scope else None,  # None: no exhaustively labelled scope
            **clause_recall(doc, case.spec.get("target_clauses", []), ext_spans, start),
            "match_of": match_of, "missed": [labels[i]["text_anchor"][:30] for i in range(len(labels)) if i not in match_of]}


def combined(statuses: list[str]) -> str:
    """One status for a labelled sentence of several targets, by the labels' convention: the
    reported targets decide (all met: 已落实), none reported: 未体现, otherwise 部分落实."""
    reported = [s for s in statuses if s != "未体现"]
    if not reported:
        return "未体现"
    return "已落实" if all(s == "已落实" for s in reported) else "部分落实"


def agreement(case: Case, match_of: dict, verdicts: dict) -> dict:
    labels = case.spec["items"]
    pairs = [(labels[li]["status"], combined([verdicts[ei].status for ei in eis])) for li, eis in match_of.items()]
    confusion = {g: {p: sum(1 for a, b in pairs if (a, b) == (g, p)) for p in STATUSES} for g in STATUSES}
    same = sum(1 for a, b in pairs if a == b)
    return {"agreement": same / max(1, len(pairs)), "n": len(pairs), "confusion": confusion}


def is_calibration_set(case: Case) -> bool:
    return case.name.startswith("national") and not case.spec.get("held_out")


def calibrate(cal_cases: list[tuple[Case, dict, dict, list]]) -> Thresholds:
    """Grid search of (strong, weak) maximising mean agreement on the calibration sets."""
    best, best_score = Thresholds(), -1.0
    for weak in [x / 20 for x in range(2, 12)]:
        for strong in [x / 20 for x in range(3, 20)]:
            if strong <= weak:
                continue
            th = Thresholds(strong=strong, weak=weak)
            score = sum(agreement(c, ext["match_of"], {ei: rule_verdict(items[ei], ev[ei], th) for ei in ev})["agreement"]
                        for c, ext, ev, items in cal_cases)
            if score > best_score:
                best, best_score = th, score
    return best


def judged(items, ev, bar: ConfidenceBar = DEFAULT_BAR, th: Thresholds = DEFAULT_THRESHOLDS) -> dict:
    """Rule verdicts with their confidence, by item index."""
    out = {}
    for ei in ev:
        verdict = rule_verdict(items[ei], ev[ei], th)
        verdict.confidence = assess(verdict, bar)
        out[ei] = verdict
    return out


def confidence_figures(case: Case, match_of: dict, verdicts: dict) -> dict:
    """Coverage (labelled items with a confident verdict), agreement on those, overall agreement
    counting 待确认 items by their lean, and the items a user has to review in the whole check."""
    labels = case.spec["items"]
    rows = []
    for li, eis in match_of.items():
        group = [verdicts[ei] for ei in eis]
        rows.append((labels[li]["status"], combined([v.status for v in group]),
                     all(v.confidence == HIGH for v in group)))
    sure = [(gold, pred) for gold, pred, ok in rows if ok]
    return {"n": len(rows), "n_confident": len(sure), "coverage": len(sure) / max(1, len(rows)),
            "agreement_confident": sum(1 for g, p in sure if g == p) / len(sure) if sure else None,
            "agreement_overall": sum(1 for g, p, _ in rows if g == p) / max(1, len(rows)),
            "to_review": sum(1 for v in verdicts.values() if v.confidence != HIGH),
            "confidence_counts": {c: sum(1 for v in verdicts.values() if v.confidence == c) for c in (HIGH, MEDIUM, LOW)}}


def pooled(figures: list[dict]) -> dict:
    """Confidence figures summed over several sets."""
    n = sum(f["n"] for f in figures)
    sure = sum(f["n_confident"] for f in figures)
    right = sum(round((f["agreement_confident"] or 0) * f["n_confident"]) for f in figures)
    overall = sum(round(f["agreement_overall"] * f["n"]) for f in figures)
    return {"n": n, "n_confident": sure, "coverage": sure / max(1, n),
            "agreement_confident": right / sure if sure else None, "agreement_overall": overall / max(1, n)}


BAR_GRID = {
    "sure_done": [x / 20 for x in range(10, 21)],
    "sure_margin": [0.0, 0.05, 0.1, 0.15, 0.2, 0.3],
    "sure_lexical": [0.0, 0.2, 0.4, 0.6, 0.8],
    "sure_absent": [0.1, 0.15, 0.17, 0.2, 0.25, 0.3, 0.35],
    "sure_absent_figures": [0.3, 0.4, 0.5],
}


def calibrate_bar(cal_cases: list[tuple[Case, dict, dict, list]], target: float = 0.9) -> ConfidenceBar:
    """The bar giving the most coverage on the tuning sets with pooled confident agreement ≥ target
    (ties: higher agreement); if none reaches it, the bar with the highest agreement."""
    import itertools

    # Only the labelled items count here: assess them alone, not the hundreds of others.
    rules = [(c, ext, {ei: rule_verdict(items[ei], ev[ei]) for eis in ext["match_of"].values() for ei in eis})
             for c, ext, ev, items in cal_cases]
    best, best_key = DEFAULT_BAR, (-1, -1.0, -1.0)
    for values in itertools.product(*BAR_GRID.values()):
        bar = ConfidenceBar(**dict(zip(BAR_GRID, values, strict=True)))
        for _, _, verdicts in rules:
            for v in verdicts.values():
                v.confidence = assess(v, bar)
        figures = pooled([confidence_figures(c, ext["match_of"], verdicts) for c, ext, verdicts in rules])
        agree = figures["agreement_confident"] or 0.0
        key = (int(agree >= target), figures["coverage"] if agree >= target else agree, agree)
        if key > best_key:
            best, best_key = bar, key
    return best


def run_case(case: Case, library, service: CommitmentService) -> tuple[dict, dict, list, float]:
    plan = library.get_document(case.plan_path.name)
    against = library.get_document(case.against_path.name)
    started = time.perf_counter()
    items = service.extract(plan.doc_id)
    ids, _ = service.target_ids(plan.doc_id, against.doc_id, None)
    finder = service.evidence_finder(ids)
    evidence = {i: finder.find(item) for i, item in enumerate(items)}
    judged(items, evidence)
    seconds = time.perf_counter() - started
    ext = evaluate_extraction(case, items)
    return ext, evidence, items, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="library dir to (re)use; default: a temp dir")
    parser.add_argument("--mode", default=None, choices=["openai", "llamacpp"],
                        help="also let this chat model re-judge the 中/低 items (settings from --config)")
    parser.add_argument("--config", default=None, help="settings YAML (llm section) for --mode")
    parser.add_argument("--llm", type=Path, default=None, help="GGUF for the one-item-per-prompt judge (before issue 13)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sets", nargs="*", default=None)
    parser.add_argument("--no-semantic", action="store_true", help="key terms and shared phrases only (no embeddings)")
    parser.add_argument("--details", type=Path, default=None, help="write every labelled item's verdict here (Markdown)")
    args = parser.parse_args()
    settings = load_settings(args.config)
    settings.data.data_dir = args.data or Path(tempfile.mkdtemp(prefix="bench_commitments_"))
    library = build_library(settings)
    cases = load_cases(args.sets)
    started = time.perf_counter()
    library.ingest(sorted({p for c in cases for p in (c.plan_path, c.against_path)}))
    ingest_s = time.perf_counter() - started
    service = CommitmentService(library, semantic=not args.no_semantic)
    runs = {c.name: (c, *run_case(c, library, service)) for c in cases}
    cal = [(c, ext, ev, items) for c, ext, ev, items, _ in runs.values() if is_calibration_set(c)]
    tuned = calibrate(cal) if cal else Thresholds()
    bar = calibrate_bar(cal) if cal else DEFAULT_BAR
    results = {"ingest_seconds": round(ingest_s, 1), "default_thresholds": vars(Thresholds()),
               "calibrated_thresholds": vars(tuned), "default_bar": vars(DEFAULT_BAR), "calibrated_bar": vars(bar),
               "calibration_sets": [c.name for c, *_ in cal], "sets": {}}
    model = _llm(args, settings) if args.llm else None
    chat = _chat_model(args, settings) if args.mode else None
    for name, (case, ext, ev, items, seconds) in runs.items():
        row = {k: v for k, v in ext.items() if k != "match_of"}
        row["check_seconds_rule"] = round(seconds, 1)
        for label, th in (("default", Thresholds()), ("calibrated", tuned)):
            verdicts = {ei: rule_verdict(items[ei], ev[ei], th) for ei in ev}
            row[f"rule_{label}"] = agreement(case, ext["match_of"], verdicts)
        row["confidence"] = confidence_figures(case, ext["match_of"], judged(items, ev))
        row["confidence_calibrated_bar"] = confidence_figures(case, ext["match_of"], judged(items, ev, bar))
        if model is not None:
            row["llm"] = _llm_agreement(case, ext, ev, items, model)
        if chat is not None:
            row["model"] = _model_review(case, ext, ev, items, chat)
        row["held_out"] = bool(case.spec.get("held_out"))
        results["sets"][name] = row
    for group, held in (("tuning", False), ("held_out", True)):
        national = [r["confidence"] for n, r in results["sets"].items() if n.startswith("national") and r["held_out"] == held]
        results[f"pooled_{group}"] = pooled(national) if national else None
    if args.details:
        write_details(args.details, runs)
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "_llm" if model is not None else (f"_{args.mode}" if chat is not None else "")
    (RESULTS / f"commitments{suffix}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print_table(results)
    return 0


def _llm(args, settings):
    from assistant.components.llm import make_chat_model

    settings.llm.mode = "llamacpp"
    settings.llm.gguf_path = args.llm
    settings.llm.n_threads = args.threads
    settings.llm.max_tokens = 80  # one JSON line
    return make_chat_model(settings.llm, settings.data.data_dir)


def _chat_model(args, settings):
    """The configured chat model in --mode (openai: llm.openai_base_url / openai_model)."""
    from assistant.components.llm import make_chat_model

    settings.llm.mode = args.mode
    settings.llm.max_tokens = max(settings.llm.max_tokens, 400)  # one JSON line per item of a batch
    return make_chat_model(settings.llm, settings.data.data_dir)


def _model_review(case, ext, ev, items, chat) -> dict:
    """The whole check's 中/低 items re-judged by the model in batches, as `check` does."""
    verdicts = judged(items, ev)
    started = time.perf_counter()
    answered = BatchJudge(chat).review(list(verdicts.values()))
    seconds = time.perf_counter() - started
    result = confidence_figures(case, ext["match_of"], verdicts)
    result.update(seconds=round(seconds, 1), answered=answered)
    return result


def _llm_agreement(case, ext, ev, items, model) -> dict:
    """LLM verdicts for the matched items only (a full check of hundreds of items is too slow)."""
    judge = LLMJudge(model)
    started = time.perf_counter()
    verdicts = {ei: judge.judge(items[ei], ev[ei]) for eis in ext["match_of"].values() for ei in eis}
    seconds = time.perf_counter() - started
    result = agreement(case, ext["match_of"], verdicts)
    result["seconds"] = round(seconds, 1)
    result["seconds_per_item"] = round(seconds / max(1, len(verdicts)), 2)
    result["judged_by_llm"] = sum(1 for v in verdicts.values() if v.judged_by == "llm")
    return result


def write_details(path: Path, runs: dict) -> None:
    """Every labelled item with the default-threshold verdict, disagreements marked ✗."""
    lines = []
    for name, (case, ext, ev, items, _) in runs.items():
        lines.append(f"## {name}\n")
        for li, eis in sorted(ext["match_of"].items()):
            label = case.spec["items"][li]
            for ei in eis:
                verdict = rule_verdict(items[ei], ev[ei], DEFAULT_THRESHOLDS)
                mark = "✓" if verdict.status == label["status"] else "✗"
                lines.append(f"- {mark} **{label['id']}** label {label['status']} / rule {verdict.status}: "
                             f"{items[ei].text[:80]}")
                lines.append(f"  - labelled evidence: {label.get('evidence_anchor') or '—'}")
                for e in ev[ei]:
                    lines.append(f"  - [{e.score:.2f} {e.role}] {e.text[:100]}")
                lines.append(f"  - reason: {verdict.reason} {verdict.promised} {verdict.found}".rstrip())
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def _f(x) -> str:
    return "—" if x is None else f"{x:.2f}"


def print_table(results: dict) -> None:
    print(f"calibrated on {', '.join(results['calibration_sets'])}: {results['calibrated_thresholds']}; "
          f"confidence bar {results['calibrated_bar']}; ingest {results['ingest_seconds']}s")
    print("| set | labelled | extracted (in scope) | recall | target clauses | precision | rule (lean) | "
          "coverage | agreement confident | to review | check s | model: coverage / agreement confident / overall / s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r in results["sets"].items():
        c = r["confidence"]
        m = r.get("model")
        model = f"{m['coverage']:.2f} / {_f(m['agreement_confident'])} / {m['agreement_overall']:.2f} / {m['seconds']}" if m else "—"
        name = f"{name} (held out)" if r.get("held_out") else name
        print(f"| {name} | {r['labels']} | {r['extracted']} ({r['in_scope']}) | {r['recall']:.2f} | "
              f"{_f(r.get('target_clause_recall'))} | {_f(r['precision'])} | {c['agreement_overall']:.2f} | "
              f"{c['coverage']:.2f} ({c['n_confident']}/{c['n']}) | {_f(c['agreement_confident'])} | "
              f"{c['to_review']} | {r['check_seconds_rule']} | {model} |")
    for group in ("tuning", "held_out"):
        p = results.get(f"pooled_{group}")
        if p:
            print(f"pooled national {group}: coverage {p['coverage']:.2f} ({p['n_confident']}/{p['n']}), "
                  f"agreement confident {_f(p['agreement_confident'])}, overall {p['agreement_overall']:.2f}")


if __name__ == "__main__":
    sys.exit(main())
