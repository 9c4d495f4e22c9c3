"""Drafting benchmark: traceability of figures per section type, and draft time.

    .venv/bin/python benchmarks/bench_drafting.py [--llm GGUF] [--threads 2] [--sets samples,seeds]

Cases: the fictional consecutive reports in samples/text (notes = the figure sentences of the
2025 report's matching section; last year = the 2024 report in the library) and the real seed
reports in ../shared/corpus/seeds (last year = the seed; notes = its own figure sentences with
every count changed, so copying last year's figures must be flagged). Results go to
benchmarks/results/drafting.json and drafting_sample.md, and a Markdown table is printed.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.container import build_library  # noqa: E402
from assistant.drafting import DraftRequest, DraftService, render_markdown  # noqa: E402
from assistant.drafting.condense import sentences  # noqa: E402
from assistant.drafting.sections import SECTION_TYPES, find_section  # noqa: E402
from assistant.drafting.traceability import MARK_RE  # noqa: E402
from assistant.settings import load_settings  # noqa: E402
from index.loaders import load_file  # noqa: E402
from index.structure import parse_structure  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
SAMPLES = ROOT / "samples"
REGULATIONS = [CORPUS / "regulations" / "机关事务管理条例(2012-06-28).md",
               CORPUS / "regulations" / "公共机构节能条例(2017-03-01).md",
               SAMPLES / "示例市公共机构节能管理办法.md"]
SAMPLE_UNIT = "示例市机关事务管理局"
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def blocks(path: Path):
    return parse_structure(load_file(path, max_bytes=50_000_000))


def figure_notes(section_blocks, limit: int = 5) -> list[str]:
    """Sentences carrying digits (this year's facts), the point titles otherwise."""
    sents = [s for b in section_blocks for s in sentences(b.text)]
    with_figures = [s for s in sents if re.search(r"\d", s) and len(s) <= 120]
    return (with_figures or sents)[:limit]


def perturb(line: str) -> str:
    """Change every count (not years) so last year's figures are not this year's."""
    return NUMBER.sub(lambda m: m.group(0) if len(m.group(0)) == 4 else str(int(float(m.group(0))) + 1), line)


def audit(text: str, notes: str, sources: list[str], context: list[str]) -> list[str]:
    """Arabic numbers left unmarked that appear in neither the notes nor the sources."""
    unmarked = MARK_RE.sub("", re.sub(r"\[\d+\]", "", text))
    known = "\n".join([notes, *sources, *context])
    return [n for n in NUMBER.findall(unmarked) if n not in known]


def cases(sets: list[str]) -> list[dict]:
    out = []
    if "samples" in sets:
        this_year = blocks(next((SAMPLES / "text").glob("*2025*.txt")))
        for key, st in SECTION_TYPES.items():
            notes = figure_notes(find_section(this_year, st))
            out.append(dict(set="samples", file="2024→2025 示例", key=key, year=2025,
                            unit=SAMPLE_UNIT, notes=notes))
    if "seeds" in sets:
        for path in sorted((CORPUS / "seeds").glob("*.txt")):
            year = int(re.search(r"(20\d\d)", path.name).group(1))
            last = blocks(path)
            unit = path.name.split(str(year))[0]
            for key, st in SECTION_TYPES.items():
                notes = [perturb(n) for n in figure_notes(find_section(last, st))]
                out.append(dict(set="seeds", file=path.name[:12], key=key, year=year + 1,
                                unit=unit, notes=notes))
    return out


def run_case(service: DraftService, case: dict) -> tuple[dict, object]:
    notes = "\n".join(case["notes"])
    request = DraftRequest(case["key"], case["year"], case["unit"], notes)
    started = time.perf_counter()
    draft = service.draft_section(request)
    elapsed = time.perf_counter() - started
    sources = [s.text for s in draft.sources] + [draft.last_year_text]
    context = [str(case["year"] + d) for d in (-1, 0, 1)]
    missed = audit(draft.text, notes, sources, context)
    row = dict(set=case["set"], file=case["file"], section=case["key"], notes=len(case["notes"]),
               last_year_found=bool(draft.last_year_text), figures=draft.n_figures,
               traceable=draft.n_figures_traceable,
               flagged=sum(1 for i in draft.unverified if i.kind == "figure"),
               flagged_other=sum(1 for i in draft.unverified if i.kind != "figure"),
               unflagged_untraceable=len(missed), chars=len(draft.text), seconds=round(elapsed, 1))
    return row, draft


def build_service(args) -> DraftService:
    settings = load_settings()
    settings.data.data_dir = Path(args.data or tempfile.mkdtemp(prefix="bench_drafting_"))
    library = build_library(settings)
    library.ingest([next((SAMPLES / "text").glob("*2024*.txt")), *(CORPUS / "seeds").glob("*.txt"),
                    *REGULATIONS])
    for meta in library.documents():  # the bench must not depend on metadata detection
        if "报告" in meta.filename:
            year = int(re.search(r"(20\d\d)", meta.filename).group(1))
            library.update_metadata(meta.doc_id, doc_type="report", year=year)
        else:
            library.update_metadata(meta.doc_id, doc_type="regulation")
    model = None
    if args.llm:
        from assistant.components.llm import make_chat_model

        settings.llm.mode, settings.llm.gguf_path = "llamacpp", Path(args.llm)
        settings.llm.n_threads, settings.llm.max_tokens = args.threads, args.max_tokens
        model = make_chat_model(settings.llm, settings.data.data_dir)
    return DraftService(library, model)


def markdown_table(rows: list[dict]) -> str:
    head = "| set | report | section | notes | figures | traceable | flagged | unflagged untraceable | other flagged | s |"
    lines = [head, "|" + "---|" * 10]
    for r in rows:
        lines.append(f"| {r['set']} | {r['file']} | {r['section']} | {r['notes']} | {r['figures']} | "
                     f"{r['traceable']} | {r['flagged']} | {r['unflagged_untraceable']} | "
                     f"{r['flagged_other']} | {r['seconds']} |")
    return "\n".join(lines)


def sample_markdown(pairs: list[tuple[dict, object]]) -> str:
    out = []
    for case, draft in pairs:
        out += [f"## {draft.heading}", "", "**上年同一部分（节选）**", "",
                "> " + (draft.last_year_text[:400] or "（上年报告中没有对应部分）").replace("\n", "\n> "), "",
                "**本年要点（笔记）**", "", *[f"- {n}" for n in case["notes"]], "",
                "**起草结果**", "", render_markdown(draft).split("## 参考来源")[0].split("\n", 2)[2], ""]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="data directory for the bench library (default: a temp dir)")
    parser.add_argument("--llm", help="GGUF file to draft with llama.cpp (default: extractive)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=400)
    parser.add_argument("--sets", default="samples,seeds")
    parser.add_argument("--sections", default=",".join(SECTION_TYPES))
    parser.add_argument("--verbose", action="store_true", help="print each draft")
    args = parser.parse_args()
    service = build_service(args)
    wanted = args.sections.split(",")
    rows, pairs = [], []
    for case in (c for c in cases(args.sets.split(",")) if c["key"] in wanted):
        row, draft = run_case(service, case)
        rows.append(row)
        pairs.append((case, draft))
        print(json.dumps(row, ensure_ascii=False), flush=True)
        if args.verbose:
            print(draft.text, [(i.text, i.reason) for i in draft.unverified], sep="\n", flush=True)
    mode = "llamacpp" if args.llm else "extractive"
    results = ROOT / "benchmarks" / "results"
    results.mkdir(parents=True, exist_ok=True)
    summary = dict(mode=mode, model=args.llm, threads=args.threads, machine=platform.processor(),
                   figures=sum(r["figures"] for r in rows),
                   traceable=sum(r["traceable"] for r in rows),
                   flagged=sum(r["flagged"] for r in rows),
                   unflagged_untraceable=sum(r["unflagged_untraceable"] for r in rows), rows=rows)
    (results / f"drafting_{mode}.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    samples = [(c, d) for c, d in pairs if c["set"] == "samples"]
    (results / f"drafting_sample_{mode}.md").write_text(sample_markdown(samples), encoding="utf-8")
    print(markdown_table(rows))
    print({k: v for k, v in summary.items() if k != "rows"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
