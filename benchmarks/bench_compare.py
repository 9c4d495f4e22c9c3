"""Version comparison benchmark: the 新旧条文对照表 of 统计法 and 立法法 against a reference count.

    .venv/bin/python benchmarks/bench_compare.py

Ingests both versions of each law from ../shared/corpus/regulation_versions (files named
neutrally: the library must tell old from new by the text), compares them with the default
`compare TITLE`, and scores the changed / added / removed articles against
benchmarks/data/compare_reference.json (made by reading both texts). Embeddings are the `fake`
provider: comparison does not search, so real vectors would only cost time.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.comparison import CompareService  # noqa: E402
from assistant.container import build_library  # noqa: E402
from assistant.settings import load_settings  # noqa: E402

DOCS = ROOT.parent / "shared" / "corpus" / "regulation_versions" / "docs"
REFERENCE = ROOT / "benchmarks" / "data" / "compare_reference.json"
OUT = ROOT / "benchmarks" / "results" / "compare.json"


def found_sets(comparison) -> dict[str, set[str]]:
    rows = comparison.rows
    return {
        "changed": {f"{r.old_label}→{r.new_label}" for r in rows if r.kind == "修改"},
        "added": {r.new_label for r in rows if r.kind == "新增"},
        "removed": {r.old_label for r in rows if r.kind == "删除"},
    }


def score(found: set[str], gold: set[str]) -> dict:
    hits = len(found & gold)
    return {"found": len(found), "gold": len(gold), "correct": hits,
            "precision": hits / len(found) if found else 1.0,
            "recall": hits / len(gold) if gold else 1.0,
            "extra": sorted(found - gold), "missed": sorted(gold - found)}


def run_law(law: str, spec: dict, data_dir: Path) -> dict:
    settings = load_settings(None, embedding__mode="fake")
    settings.data.data_dir = data_dir
    library = build_library(settings)
    library.ingest([DOCS / spec["old_file"], DOCS / spec["new_file"]])
    started = time.perf_counter()
    comparison = CompareService(library).compare(law)
    seconds = time.perf_counter() - started
    found = found_sets(comparison)
    result = {kind: score(found[kind], set(spec[kind])) for kind in ("changed", "added", "removed")}
    everything = {(k, x) for k in found for x in found[k]}
    gold_all = {(k, x) for k in ("changed", "added", "removed") for x in spec[k]}
    result["all"] = score({f"{k}:{x}" for k, x in everything}, {f"{k}:{x}" for k, x in gold_all})
    result["versions"] = [comparison.old.label + " " + comparison.old.doc.filename,
                          comparison.new.label + " " + comparison.new.doc.filename]
    result["oriented_right"] = (comparison.old.doc.filename == spec["old_file"])
    result["seconds"] = round(seconds, 2)
    result["counts"] = comparison.counts
    return result


def main() -> None:
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))["laws"]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for law, spec in reference.items():
            results[law] = run_law(law, spec, Path(tmp) / law)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print("| law | versions | kind | found | reference | precision | recall |")
    print("|---|---|---|---|---|---|---|")
    for law, res in results.items():
        for kind in ("changed", "added", "removed", "all"):
            s = res[kind]
            print(f"| {law} | {' → '.join(res['versions']) if kind == 'changed' else ''} | {kind} | "
                  f"{s['found']} | {s['gold']} | {s['precision']:.3f} | {s['recall']:.3f} |")
        print(f"<!-- {law}: oriented_right={res['oriented_right']} time={res['seconds']}s "
              f"extra={res['all']['extra']} missed={res['all']['missed']} -->")


if __name__ == "__main__":
    main()
