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
from assistant.commitments.judge import DEFAULT_THRESHOLDS, LLMJudge  # noqa: E402
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


def evaluate_extraction(case: Case, items) -> dict:
    doc = flat(case.plan_path.read_text(encoding="utf-8"))
    labels = case.spec["items"]
    start = 0 if case.name.startswith("sample") else doc.find(case.spec.get("start", "")) or 0
    lab_spans = [label_span(doc, flat(lab["text_anchor"]), 0 if lab["kind"] == "shortcoming" else start)
                 for lab in labels]
    ext_spans = item_spans(doc, items)
    match_of = {}
    for li, ls in enumerate(lab_spans):
        best = max(range(len(items)), key=lambda i: overlap(ls, ext_spans[i]), default=None)
        if best is not None and matches(ls, ext_spans[best]):
            match_of[li] = best
    scope = set(case.spec["scope_headings"])
    in_scope = [i for i, it in enumerate(items) if scope & set(it.heading_path)]
    correct = [i for i in in_scope if any(matches(ext_spans[i], ls) for ls in lab_spans)]
    return {"labels": len(labels), "extracted": len(items), "in_scope": len(in_scope),
            "recall": len(match_of) / len(labels),
            "precision": len(correct) / len(in_scope) if in_scope else None,  # None: no exhaustively labelled scope
            "match_of": match_of, "missed": [labels[i]["text_anchor"][:30] for i in range(len(labels)) if i not in match_of]}


def agreement(case: Case, match_of: dict, verdicts: dict) -> dict:
    labels = case.spec["items"]
    pairs = [(labels[li]["status"], verdicts[ei].status) for li, ei in match_of.items()]
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


def run_case(case: Case, library, service: CommitmentService) -> tuple[dict, dict, list, float]:
    plan = library.get_document(case.plan_path.name)
    against = library.get_document(case.against_path.name)
    started = time.perf_counter()
    items = service.extract(plan.doc_id)
    ids, _ = service.target_ids(plan.doc_id, against.doc_id, None)
    finder = service.evidence_finder(ids)
    evidence = {i: finder.find(item) for i, item in enumerate(items)}
    for i, item in enumerate(items):
        rule_verdict(item, evidence[i])
    seconds = time.perf_counter() - started
    ext = evaluate_extraction(case, items)
    return ext, evidence, items, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="library dir to (re)use; default: a temp dir")
    parser.add_argument("--llm", type=Path, default=None, help="GGUF for the LLM judgement")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--sets", nargs="*", default=None)
    parser.add_argument("--no-semantic", action="store_true", help="key terms and shared phrases only (no embeddings)")
    parser.add_argument("--details", type=Path, default=None, help="write every labelled item's verdict here (Markdown)")
    args = parser.parse_args()
    settings = load_settings()
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
    results = {"ingest_seconds": round(ingest_s, 1), "default_thresholds": vars(Thresholds()),
               "calibrated_thresholds": vars(tuned),
               "calibration_sets": [c.name for c, *_ in cal], "sets": {}}
    model = _llm(args, settings) if args.llm else None
    for name, (case, ext, ev, items, seconds) in runs.items():
        row = {k: v for k, v in ext.items() if k != "match_of"}
        row["check_seconds_rule"] = round(seconds, 1)
        for label, th in (("default", Thresholds()), ("calibrated", tuned)):
            verdicts = {ei: rule_verdict(items[ei], ev[ei], th) for ei in ev}
            row[f"rule_{label}"] = agreement(case, ext["match_of"], verdicts)
        if model is not None:
            row["llm"] = _llm_agreement(case, ext, ev, items, model)
        row["held_out"] = bool(case.spec.get("held_out"))
        results["sets"][name] = row
    if args.details:
        write_details(args.details, runs)
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = "_llm" if model is not None else ""
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


def _llm_agreement(case, ext, ev, items, model) -> dict:
    """LLM verdicts for the matched items only (a full check of hundreds of items is too slow)."""
    judge = LLMJudge(model)
    started = time.perf_counter()
    verdicts = {ei: judge.judge(items[ei], ev[ei]) for ei in set(ext["match_of"].values())}
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
        for li, ei in sorted(ext["match_of"].items()):
            label = case.spec["items"][li]
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


def print_table(results: dict) -> None:
    print(f"calibrated on {', '.join(results['calibration_sets'])}: {results['calibrated_thresholds']}; "
          f"ingest {results['ingest_seconds']}s")
    print("| set | labelled | extracted (in scope) | recall | precision | rule default | rule calibrated | llm | check s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, r in results["sets"].items():
        llm = f"{r['llm']['agreement']:.2f}" if "llm" in r else "—"
        name = f"{name} (held out)" if r.get("held_out") else name
        print(f"| {name} | {r['labels']} | {r['extracted']} ({r['in_scope']}) | {r['recall']:.2f} | "
              f"{'—' if r['precision'] is None else format(r['precision'], '.2f')} | {r['rule_default']['agreement']:.2f} | "
              f"{r['rule_calibrated']['agreement']:.2f} | {llm} | {r['check_seconds_rule']} |")


if __name__ == "__main__":
    sys.exit(main())
