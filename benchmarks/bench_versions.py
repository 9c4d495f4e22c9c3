"""Regulation versions benchmark on ../shared/corpus (issue 14).

    .venv/bin/python benchmarks/bench_versions.py [--fresh]

1. regulation_versions/qa.jsonl (4 laws in 2-3 versions, 60 questions on articles whose wording
   changed): the share of current questions whose top-1 passage (`search -k 1`) holds the text in
   force, version-aware (default search) and version-unaware (all versions searched); the share
   of `as_of` questions answered from the version then in force, with --as-of (search and the
   extractive answer service) and with the date written in the question ("2016年时《…》…").
2. Named titles contained in one another (regulations/: 信访条例 / 信访工作条例 and the rest):
   article hit@1 of "《short title》第N条是怎么规定的？" over every article of every document.

manifest.jsonl is read here only to score (which file is which version); the product never sees
it. The library (24 files) is built in benchmarks/results/versions_lib/. The questions are split
in two halves by a stable hash (nothing is tuned on them; both halves are reported).
Results: benchmarks/results/versions.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.answering import Filters  # noqa: E402
from assistant.container import build_assistant  # noqa: E402
from assistant.settings import load_settings  # noqa: E402
from index.structure import parse_article_number  # noqa: E402
from index.versions import normalise_title  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
VERSIONS = CORPUS / "regulation_versions"
REGULATIONS = CORPUS / "regulations"
RESULTS = ROOT / "benchmarks" / "results"
_PUNCT = re.compile(r"[\s\u3000，。、；：！？,.;:!?“”\"'（）()《》【】\-—]")


def half(key: str) -> str:
    return "a" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 2 == 0 else "b"


def compact(text: str) -> str:
    return _PUNCT.sub("", text)


def build(fresh: bool):
    settings = load_settings(ROOT / "settings.yaml" if (ROOT / "settings.yaml").exists() else None)
    settings.data.data_dir = RESULTS / "versions_lib"
    settings.llm.mode = "extractive"
    if fresh and settings.data.data_dir.exists():
        shutil.rmtree(settings.data.data_dir)
    assistant = build_assistant(settings)
    started = time.perf_counter()
    report = assistant.library.ingest([VERSIONS / "docs", REGULATIONS])
    rejected = [r.message for r in report.results if r.status == "rejected"]
    print(f"library: {len(assistant.library.documents())} documents, ingest "
          f"{time.perf_counter() - started:.1f}s, rejected {rejected}", file=sys.stderr)
    return assistant


def version_of(hit, manifest: dict[str, str]) -> str:
    return manifest.get(hit.metadata["source"], "")


def right_version(hits, row: dict, manifest: dict[str, str], *, strict: bool = False) -> bool:
    """Top-1 passage is the asked article holding the text in force (strict: and comes from
    the very file qa.jsonl names, although another version may word the article the same)."""
    if not hits:
        return False
    top = hits[0]
    same_article = parse_article_number(top.metadata.get("article") or "") == parse_article_number(
        f"第{row['article']}条"
    )
    if strict:
        return same_article and version_of(top, manifest) == row["gold_version_date"]
    return same_article and holds_gold_text(top.page_content, row)


def holds_gold_text(text: str, row: dict) -> bool:
    """The passage holds the text in force rather than the other wording."""
    passage = compact(text)
    gold, other = compact(row["gold"]), compact(row["other"])
    return gold[:60] in passage and (gold in passage or other not in passage)


def dated_question(row: dict) -> str:
    year = row["as_of"][:4]
    return f"{year}年时{row['question']}"


def score_qa(assistant, rows: list[dict], manifest: dict[str, str]) -> dict:
    library = assistant.library
    all_ids = [d.doc_id for d in library.documents()]
    out: dict[str, dict[str, list[bool]]] = {}

    def add(name: str, row: dict, ok: bool) -> None:
        bucket = out.setdefault(name, {"a": [], "b": []})
        bucket[half(row["question"] + str(row["as_of"]))].append(ok)

    for row in rows:
        if row["as_of"] is None:
            hits = library.search(row["question"], k=1)
            add("current: top-1 holds the text in force (version-aware)", row,
                right_version(hits, row, manifest))
            add("current: top-1 from the file qa.jsonl names (strict)", row,
                right_version(hits, row, manifest, strict=True))
            unaware = library.search(row["question"], k=1, doc_ids=all_ids)
            add("current: top-1 holds the text in force (version-unaware)", row,
                right_version(unaware, row, manifest))
            continue
        on = date.fromisoformat(row["as_of"])
        hits = library.search(row["question"], k=1, as_of=on)
        add("as_of: top-1 holds the text then in force (search --as-of)", row,
            right_version(hits, row, manifest))
        add("as_of: top-1 from the file qa.jsonl names (strict)", row,
            right_version(hits, row, manifest, strict=True))
        add("as_of: date in the question (2016年时《…》…)", row,
            right_version(library.search(dated_question(row), k=1), row, manifest))
        answer = assistant.answers.answer(row["question"], filters=Filters(as_of=on))
        first = answer.sources[0] if answer.sources else None
        ok = first is not None and manifest.get(
            library.get_document(first.doc_id).filename, ""
        ) == row["gold_version_date"] and holds_gold_text(answer.text, row)
        add("as_of: answer (ask --as-of, extractive) quotes the text then in force", row, ok)
    return {name: _rates(b) for name, b in out.items()}


def named_title_questions(library) -> list[tuple[str, str, int, str]]:
    """(question, doc_id, article number, short title) for every article of every document."""
    questions = []
    titles = {normalise_title(d.title) for d in library.documents()}
    for doc in library.documents():
        short = normalise_title(doc.title)
        numbers = sorted({
            n for b in library.blocks_of(doc.doc_id)
            if b.article and (n := parse_article_number(b.article)) is not None
        })
        # Every article of the titles that contain or are contained in another, every third
        # article elsewhere (CPU time on a shared 2-core machine).
        step = 1 if any(short != t and (_within(short, t) or _within(t, short)) for t in titles) else 3
        questions.extend((f"《{short}》第{_cn(n)}条是怎么规定的？", doc.doc_id, n, short)
                         for n in numbers[::step])
    return questions


def score_named(library) -> dict:
    """Article hit@1 on named titles; versions not in force are expected to lose to theirs."""
    from index.version_groups import excluded_doc_ids

    excluded = excluded_doc_ids(library.documents(), date.today())
    buckets: dict[str, list[bool]] = {"a": [], "b": []}
    contained: list[bool] = []
    titles = {normalise_title(d.title) for d in library.documents()}
    misses = []
    for question, doc_id, number, short in named_title_questions(library):
        if doc_id in excluded:
            continue
        hits = library.search(question, k=1)
        ok = bool(hits) and hits[0].metadata["doc_id"] == doc_id and parse_article_number(
            hits[0].metadata.get("article") or "") == number
        buckets[half(question)].append(ok)
        if any(t != short and (_within(t, short) or _within(short, t)) for t in titles):
            contained.append(ok)
        if not ok and len(misses) < 10:
            misses.append(question)
    rates = _rates(buckets)
    rates["titles contained in one another"] = _rate(contained)
    rates["misses (first 10)"] = misses
    return rates


def _within(short: str, long: str) -> bool:
    """`short` reads inside `long`, in order (信访条例 in 信访工作条例, 保险法 in 社会保险法)."""
    chars = iter(long)
    return all(c in chars for c in short)


def _cn(n: int) -> str:
    from index.structure import int_to_cn_numeral

    return int_to_cn_numeral(n)


def _rate(values: list[bool]) -> dict:
    return {"n": len(values), "rate": round(sum(values) / len(values), 3) if values else None}


def _rates(buckets: dict[str, list[bool]]) -> dict:
    both = buckets["a"] + buckets["b"]
    return {"all": _rate(both), "half a": _rate(buckets["a"]), "half b": _rate(buckets["b"])}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fresh", action="store_true", help="rebuild the library from scratch")
    args = parser.parse_args()
    if not VERSIONS.exists():
        sys.exit(f"corpus not found: {VERSIONS}")
    assistant = build(args.fresh)
    manifest = {
        r["file"]: r["version_date"]
        for r in map(json.loads, (VERSIONS / "manifest.jsonl").read_text().splitlines())
    }
    rows = [json.loads(line) for line in (VERSIONS / "qa.jsonl").read_text().splitlines()]
    started = time.perf_counter()
    results = {"qa": score_qa(assistant, rows, manifest)}
    results["named titles: article hit@1"] = score_named(assistant.library)
    results["seconds"] = round(time.perf_counter() - started, 1)
    results["date"] = date.today().isoformat()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "versions.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
