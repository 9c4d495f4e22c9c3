"""What parsing each file in a bounded child process costs, and how fast hostile files are stopped.

    .venv/bin/python benchmarks/bench_parse_isolation.py [--limit N]

Parses ../shared/corpus/ncppolicies_dev/docs and ../shared/corpus/regulations in this process and
in a child per file (index/loaders/sandbox.py), then times a 1 GB zip bomb (.docx), a parse that
hangs (killed after the no-progress limit) and one that tries to take 4 GB. Writes
benchmarks/results/parse_isolation.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index.loaders.sandbox import ParseLimits, parse_file, run_isolated  # noqa: E402
from index.models import LoadError  # noqa: E402
from tests.index.test_guard import _docx_bomb  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def parse_all(paths: list[Path], limits: ParseLimits | None) -> float:
    started = time.perf_counter()
    for path in paths:
        with contextlib.suppress(LoadError):  # refused files cost their refusal
            parse_file(path, max_bytes=50 * 1024 * 1024, limits=limits)
    return time.perf_counter() - started


def refusal(func, *args, limits: ParseLimits) -> dict:
    started = time.perf_counter()
    try:
        run_isolated(func, *args, filename="probe", limits=limits)
        message = "(not refused)"
    except LoadError as exc:
        message = str(exc)
    return {"seconds": round(time.perf_counter() - started, 2), "message": message}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    paths = sorted((CORPUS / "ncppolicies_dev" / "docs").iterdir()) + sorted((CORPUS / "regulations").iterdir())
    paths = [p for p in paths if p.is_file()][: args.limit]
    parse_all(paths[:3], ParseLimits())  # start the forkserver once, as a running app has
    results: dict = {"files": len(paths)}
    results["in_process_s"] = round(parse_all(paths, None), 2)
    results["isolated_s"] = round(parse_all(paths, ParseLimits()), 2)
    results["overhead_ms_per_file"] = round(
        1000 * (results["isolated_s"] - results["in_process_s"]) / len(paths), 1
    )
    with tempfile.TemporaryDirectory() as tmp:
        bomb = _docx_bomb(Path(tmp) / "bomb.docx", 1024**3)
        started = time.perf_counter()
        try:
            parse_file(bomb, max_bytes=50 * 1024 * 1024, limits=ParseLimits())
            results["zip_bomb"] = {"message": "(not refused)"}
        except LoadError as exc:
            results["zip_bomb"] = {"message": str(exc)}
        results["zip_bomb"].update(seconds=round(time.perf_counter() - started, 2),
                                   file_mb=round(bomb.stat().st_size / 1024**2, 1))
    results["hang"] = refusal(time.sleep, 600, limits=ParseLimits(timeout_s=2.0))
    results["memory"] = refusal(bytearray, 4 * 1024**3, limits=ParseLimits(max_memory_mb=2048))
    out = ROOT / "benchmarks" / "results" / "parse_isolation.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
