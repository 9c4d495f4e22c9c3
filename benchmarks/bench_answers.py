"""Answer benchmark: accuracy, citations, refusals, latency and grounding-check effect.

    .venv/bin/python benchmarks/bench_answers.py --index DIR [--mode extractive] [--limit N]
        [--style quote_and_summary|quote_only|summary_only]

DIR is a library already built with `python -m assistant --index DIR ingest …` over
../shared/corpus/ncppolicies_dev/docs (for the QA set). Results go to
benchmarks/results/answers_<mode>.json; a Markdown summary is printed. Figures are given for
the dev and held-out test halves of the questions (bench_retrieval's split_of) and for all.
Quote length: characters between the quote marks of the quoted units (资料原文).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.answering import Answer, AnswerService  # noqa: E402
from assistant.answering.grounding import check_answer  # noqa: E402
from assistant.answering.text import normalize  # noqa: E402
from assistant.container import build_assistant  # noqa: E402
from assistant.settings import load_settings  # noqa: E402
from benchmarks.bench_retrieval import split_of  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
QA = CORPUS / "ncppolicies_dev" / "qa.jsonl"
UNANSWERABLE = ROOT / "benchmarks" / "data" / "unanswerable.jsonl"
RESULTS = ROOT / "benchmarks" / "results"
_PUNCT = re.compile(r"[\s\u3000，。、；：！？,.;:!?“”\"'（）()《》【】\-—…]")
_MARKER = re.compile(r"\[(\d+)\]")
_FLAGGED = re.compile(r"【待核实：[^】]*】")
_QUOTED = re.compile(r"“(.*?)”\[\d+\]", re.DOTALL)
SPLITS = ("dev", "test", "all")


def squash(text: str) -> str:
    """Width-normalised text without punctuation or spaces, for containment tests."""
    return _PUNCT.sub("", normalize(text))


def read_jsonl(path: Path, limit: int | None) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows[:limit] if limit else rows


def timed_answer(service: AnswerService, question: str) -> tuple[Answer, dict[str, float]]:
    """The answer and its timings: first text (quote or token), quote, first model token, total."""
    started = time.perf_counter()
    marks: dict[str, float] = {}
    answer = None
    for event in service.stream(question):
        now = round(time.perf_counter() - started, 3)
        if event.kind in ("quote", "token"):
            marks.setdefault("ttft_s", now)
            marks.setdefault(f"{event.kind}_s", now)
        if event.kind == "final":
            answer = event.answer
    marks["total_s"] = round(time.perf_counter() - started, 3)
    marks.setdefault("ttft_s", marks["total_s"])
    assert answer is not None
    return answer, marks


def quote_chars(answer: Answer) -> int | None:
    """Characters quoted from the passages (between the quote marks), None without a quote."""
    quoted = _QUOTED.findall(answer.quote)
    return sum(len(q) for q in quoted) if quoted and not answer.refused else None


def cited_files(answer: Answer, library: Any) -> set[str]:
    """File stems of the sources the answer text actually cites."""
    numbers = {int(n) for n in _MARKER.findall(answer.text)}
    stems = set()
    for source in answer.sources:
        if source.n in numbers:
            meta = library.get_document(source.doc_id)
            stems.add(Path(meta.filename).stem if meta else source.doc_id)
    return stems


def untraceable(text: str, answer: Answer) -> bool:
    """A claim shown as fact that the sources do not back (or no citation at all)."""
    grounding = check_answer(_FLAGGED.sub("", text), answer.sources)
    claims = [f for f in grounding.flags if f.kind in ("figure", "name")]
    return bool(claims) or not grounding.cited


def score_qa(row: dict, answer: Answer, library: Any, marks: dict[str, float]) -> dict:
    gold = squash(row["answer"])
    return {
        "id": row["id"], "question": row["question"], "split": split_of(row),
        "correct": bool(gold) and gold in squash(answer.text),
        "quote_correct": bool(gold) and gold in squash(answer.quote),
        "summary_correct": bool(gold) and gold in squash(answer.summary),
        "summary_status": answer.summary_status,
        "summary_shown": answer.summary_status == "shown", "quote_chars": quote_chars(answer),
        "citation_ok": bool(cited_files(answer, library) & set(row["doc_ids"])),
        "refused": answer.refused, "supported": answer.supported,
        "unsupported_before": not answer.refused and untraceable(answer.raw_text, answer),
        "unsupported_after": not answer.refused and answer.supported
        and untraceable(answer.text, answer),
        "n_flags": len(answer.flags), **marks, "answer": answer.text,
    }


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def share(rows: list[dict], key: str) -> float | None:
    return round(sum(bool(r[key]) for r in rows) / len(rows), 3) if rows else None


def median_of(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return statistics.median(values) if values else None


def by_split(qa_rows: list[dict]) -> dict:
    """Accuracy, citation, false refusals and median quote length per half (dev/test/all)."""
    out = {}
    for name in SPLITS:
        rows = [r for r in qa_rows if name == "all" or r["split"] == name]
        out[name] = {"n": len(rows), "answer_accuracy": share(rows, "correct"),
                     "citation_accuracy": share(rows, "citation_ok"),
                     "false_refusal_rate": share(rows, "refused"),
                     "median_quote_chars": median_of(rows, "quote_chars")}
    return out


def summarise(qa_rows: list[dict], unans_rows: list[dict], mode: str, style: str = "") -> dict:
    # Latency of answers the model actually wrote (a refusal never reaches the model).
    answered = [r for r in qa_rows + unans_rows if not r.get("refused")] or qa_rows + unans_rows
    ttft = [r["ttft_s"] for r in answered]
    total = [r["total_s"] for r in answered]
    quote = [r["quote_s"] for r in answered if "quote_s" in r]
    token = [r["token_s"] for r in answered if "token_s" in r]
    return {
        "mode": mode, "style": style, "n_questions": len(qa_rows),
        "n_unanswerable": len(unans_rows),
        "answer_accuracy": share(qa_rows, "correct"),
        "quote_accuracy": share(qa_rows, "quote_correct"),
        "summary_accuracy": share(qa_rows, "summary_correct"),
        "summaries_shown": share(qa_rows, "summary_shown"),
        "median_quote_chars": median_of(qa_rows, "quote_chars"),
        "citation_accuracy": share(qa_rows, "citation_ok"),
        "false_refusal_rate": share(qa_rows, "refused"),
        "refusal_rate_unanswerable": share(unans_rows, "refused"),
        "unsupported_share_before_check": share(qa_rows, "unsupported_before"),
        "unsupported_share_after_check": share(qa_rows, "unsupported_after"),
        "ttft_p50_s": percentile(ttft, 0.5), "ttft_p95_s": percentile(ttft, 0.95),
        "quote_p50_s": percentile(quote, 0.5), "quote_p95_s": percentile(quote, 0.95),
        "model_token_p50_s": percentile(token, 0.5), "model_token_p95_s": percentile(token, 0.95),
        "total_p50_s": percentile(total, 0.5), "total_p95_s": percentile(total, 0.95),
        "median_total_s": statistics.median(total) if total else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "splits": by_split(qa_rows),
    }


def run(args: argparse.Namespace) -> dict:
    settings = load_settings(args.config)
    settings.data.data_dir = Path(args.index)
    settings.llm.mode = args.mode
    if args.style:
        settings.answer.style = args.style
    assistant = build_assistant(settings)
    service = assistant.answers
    if args.mode != "extractive" and assistant.extractive:
        raise SystemExit(assistant.model_notice)  # never report extractive figures as a model's
    service.answer("预热")  # load the embedder (and model) before anything is timed
    qa_rows = []
    for row in read_jsonl(Path(args.qa), args.limit):
        answer, marks = timed_answer(service, row["question"])
        qa_rows.append(score_qa(row, answer, assistant.library, marks))
    unans_rows = []
    for row in read_jsonl(Path(args.unanswerable), args.limit):
        answer, marks = timed_answer(service, row["question"])
        unans_rows.append({"id": row["id"], "question": row["question"], "refused": answer.refused,
                           **marks, "answer": answer.text})
    return {"summary": summarise(qa_rows, unans_rows, args.mode, service.style), "qa": qa_rows,
            "unanswerable": unans_rows}


def print_markdown(summary: dict) -> None:
    print("| metric | value |\n|---|---|")
    for key, value in summary.items():
        if key != "splits":
            print(f"| {key} | {value} |")
    print("\n| half | n | answer accuracy | citation accuracy | false refusals | median quote chars |")
    print("|---|---|---|---|---|---|")
    for name, row in summary["splits"].items():
        print(f"| {name} | {row['n']} | {row['answer_accuracy']} | {row['citation_accuracy']} "
              f"| {row['false_refusal_rate']} | {row['median_quote_chars']} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, help="data directory of an ingested library")
    parser.add_argument("--mode", default="extractive",
                        choices=["extractive", "llamacpp", "openai", "fake"])
    parser.add_argument("--limit", type=int, default=None, help="first N questions of each set")
    parser.add_argument("--config", default=None, help="settings YAML")
    parser.add_argument("--style", default=None,
                        choices=["quote_and_summary", "quote_only", "summary_only"],
                        help="answer.style (default: the settings' value)")
    parser.add_argument("--qa", default=str(QA))
    parser.add_argument("--unanswerable", default=str(UNANSWERABLE))
    parser.add_argument("--out", default=None, help="JSON file (default results/answers_<mode>.json)")
    args = parser.parse_args(argv)
    results = run(args)
    suffix = f"_{args.style}" if args.style else ""
    out = Path(args.out) if args.out else RESULTS / f"answers_{args.mode}{suffix}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print_markdown(results["summary"])
    print(f"\nresults: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
