"""Retrieval benchmark on ../shared/corpus: quality (BM25 / vectors / fusion), article lookup,
ingest throughput and query latency.

    .venv/bin/python benchmarks/bench_retrieval.py [--data DIR] [--limit N] [--fresh]

Results go to benchmarks/results/retrieval.json; the quality table is printed as Markdown.

The questions are split in two halves by a stable hash of their document id: constants are
chosen on "dev" only, and "test" is the held-out figure (both halves are always reported).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import re
import shutil
import statistics
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.container import build_library  # noqa: E402
from assistant.settings import load_settings  # noqa: E402
from index.search import _rrf  # noqa: E402
from index.structure import parse_article_number  # noqa: E402
from index.tokenizer import tokenize  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
_PUNCT = re.compile(r"[\s\u3000，。、；：！？,.;:!?“”\"'（）()《》【】\-—]")


def normalise(text: str) -> str:
    return _PUNCT.sub("", text)


def is_hit(answer: str, passage: str, max_chars: int) -> bool:
    """The passage contains the answer, or most of it (answers spanning several chunks)."""
    a, p = normalise(answer), normalise(passage)
    if not a:
        return False
    if a in p:
        return True
    match = SequenceMatcher(None, a, p, autojunk=False).find_longest_match(0, len(a), 0, len(p))
    return match.size >= 0.5 * len(a)


def ingest(library, paths: list[Path]) -> dict:
    started = time.perf_counter()
    first_searchable: dict[str, float] = {}

    def progress(stage: str, done: int, total: int, detail: str) -> None:
        if stage == "embed" and "embed" not in first_searchable:
            first_searchable["embed"] = time.perf_counter() - started

    report = library.ingest(paths, progress=progress)
    total = time.perf_counter() - started
    return {
        "files": len(report.results),
        "rejected": [r.message for r in report.results if r.status == "rejected"],
        "chars": report.n_chars,
        "embedded_chunks": report.embedded_chunks,
        "seconds_total": round(total, 2),
        "seconds": {k: round(v, 2) for k, v in report.seconds.items()},
        "keyword_search_ready_after_s": round(first_searchable.get("embed", total), 2),
    }


def split_of(question: dict) -> str:
    """'dev' or 'test', from a hash of the question's document id (stable across runs)."""
    digest = hashlib.sha1(question["doc_ids"][0].encode("utf-8")).digest()
    return "dev" if digest[0] % 2 == 0 else "test"


def rank_of_hit(rows: list[int], state, answer: str, max_chars: int) -> int | None:
    for rank, row in enumerate(rows[:5], start=1):
        if is_hit(answer, state.chunks[row].text, max_chars):
            return rank
    return None


def evaluate_quality(library, questions: list[dict], settings) -> tuple[dict, list[float], list[dict]]:
    state = library.snapshot()
    cfg = settings.retrieval
    max_chars = settings.ingest.chunk_max_chars
    ranks: dict[str, list[int | None]] = {"bm25": [], "vector": [], "fusion": []}
    variants = {f"rrf bm25:vector={w}:1": w for w in (1.0, 2.0, 3.0)}
    ranks.update({name: [] for name in variants})
    latencies = []
    for q in questions:
        started = time.perf_counter()
        hits = library.search(q["question"], k=5)
        latencies.append(time.perf_counter() - started)
        keyword = state.bm25.search(tokenize(q["question"]), cfg.fetch_k)
        vector = state.vectors.search(library._embed_query(q["question"]), cfg.fetch_k)
        ranks["bm25"].append(rank_of_hit([r for r, _ in keyword], state, q["answer"], max_chars))
        ranks["vector"].append(rank_of_hit([r for r, _ in vector], state, q["answer"], max_chars))
        rows = [_row_of(state, h.metadata["chunk_id"]) for h in hits]
        ranks["fusion"].append(rank_of_hit(rows, state, q["answer"], max_chars))
        for name, weight in variants.items():
            fused = list(_rrf([(keyword, weight), (vector, 1.0)], cfg.rrf_k))
            ranks[name].append(rank_of_hit(fused, state, q["answer"], max_chars))
    halves = {"all": [True] * len(questions)}
    halves.update({h: [split_of(q) == h for q in questions] for h in ("dev", "test")})
    quality = {
        name: {h: _metrics([r for r, keep in zip(rs, mask, strict=True) if keep])
               for h, mask in halves.items()}
        for name, rs in ranks.items()
    }
    misses = [
        {"id": q["id"], "split": split_of(q), "question": q["question"],
         "gold_title": _title_of(state, q["doc_ids"][0])}
        for q, rank in zip(questions, ranks["fusion"], strict=True) if rank is None
    ]
    return quality, latencies, misses


def _title_of(state, filename_stem: str) -> str:
    return next((d.title for d in state.documents.values() if Path(d.filename).stem == filename_stem), "")


def _row_of(state, chunk_id: str) -> int:
    if not hasattr(state, "_row_index"):
        state._row_index = {c.chunk_id: i for i, c in enumerate(state.chunks)}
    return state._row_index[chunk_id]


def _metrics(ranks: list[int | None]) -> dict:
    n = max(len(ranks), 1)
    return {
        "n": len(ranks),
        "hit@1": round(sum(1 for r in ranks if r == 1) / n, 4),
        "hit@5": round(sum(1 for r in ranks if r) / n, 4),
        "mrr": round(sum(1 / r for r in ranks if r) / n, 4),
    }


def chunk_sizes(library) -> dict:
    lengths = sorted(len(c.text) for c in library.snapshot().chunks)
    return {
        "chunks": len(lengths), "median": statistics.median(lengths), "max": lengths[-1],
        "under_100": sum(n < 100 for n in lengths), "under_200": sum(n < 200 for n in lengths),
    }


def quality_table(quality: dict) -> str:
    """Markdown rows: retriever, then hit@1 / hit@5 / MRR for dev, test and all."""
    lines = ["| retriever | dev hit@1 / hit@5 / MRR | test hit@1 / hit@5 / MRR | all hit@1 / hit@5 / MRR |",
             "|---|---|---|---|"]
    for name, halves in quality.items():
        cells = [" / ".join(f"{halves[h][m]:.3f}" for m in ("hit@1", "hit@5", "mrr"))
                 for h in ("dev", "test", "all")]
        lines.append(f"| {name} (n={halves['dev']['n']}/{halves['test']['n']}/{halves['all']['n']}) | "
                     + " | ".join(cells) + " |")
    return "\n".join(lines)


def evaluate_articles(library, names: list[str]) -> dict:
    results = {}
    for name in names:
        doc = next(d for d in library.documents() if d.title == name)
        articles = sorted(
            {c.article for c in library.chunks_of(doc.doc_id) if c.article},
            key=lambda a: _article_no(a),
        )
        failures = []
        for article in articles:
            hits = library.search(f"《{name}》{article}的内容是什么", k=1)
            top = hits[0].metadata if hits else {}
            if not (top.get("doc_id") == doc.doc_id and top.get("article") == article):
                failures.append(article)
        results[name] = {"articles": len(articles), "rank1": len(articles) - len(failures),
                         "failures": failures}
    return results


def _article_no(article: str) -> int:
    return parse_article_number(article) or 0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "results" / "bench_data")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents' questions")
    parser.add_argument("--fresh", action="store_true", help="delete the data dir (and cache) first")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "retrieval.json")
    args = parser.parse_args()
    if args.fresh and args.data.exists():
        shutil.rmtree(args.data)

    results: dict = {"machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores",
                     "date": time.strftime("%Y-%m-%d")}
    # Articles: the regulations library.
    reg_settings = load_settings(None)
    reg_settings.data.data_dir = args.data / "regulations"
    regs = build_library(reg_settings)
    results["ingest_regulations"] = ingest(regs, [CORPUS / "regulations"])
    results["articles"] = evaluate_articles(regs, ["机关事务管理条例", "公共机构节能条例"])

    settings = load_settings(None)
    settings.data.data_dir = args.data / "ncp"
    library = build_library(settings)
    docs_dir = CORPUS / "ncppolicies_dev" / "docs"
    questions = [json.loads(line) for line in (CORPUS / "ncppolicies_dev" / "qa.jsonl").open()]
    results["ingest_first"] = ingest(library, [docs_dir])
    results["ingest_unchanged"] = ingest(library, [docs_dir])
    if args.limit:
        questions = questions[: args.limit]
    results["chunk_sizes"] = chunk_sizes(library)
    results["quality"], latencies, results["fusion_misses"] = evaluate_quality(library, questions, settings)
    results["latency_ms"] = {
        "p50": round(1000 * statistics.median(latencies), 1),
        "p95": round(1000 * percentile(latencies, 0.95), 1),
    }
    out = args.out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=1))
    print(quality_table(results["quality"]))
    for miss in results["fusion_misses"]:
        print(f"miss ({miss['split']}): {miss['question']}  [gold: {miss['gold_title']}]")


if __name__ == "__main__":
    main()
