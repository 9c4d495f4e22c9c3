"""Every format on real regulations: text kept, articles found, and time to load.

    .venv/bin/python benchmarks/bench_formats.py [--regs N] [--fresh]

Each regulation in ../shared/corpus/regulations (Markdown, the text copy) is written as .docx
(python-docx), .doc and .rtf (LibreOffice from that .docx), .ofd (tests/fixtures/ofd_writer.py,
A4 pages, every line split into two shuffled TextObjects) and a government web page (.html,
GB2312, navigation/share/footer around the article). All copies go into one library; for each
format we report:
  - text kept: share of the source's body lines found (normalised) in what the loader read;
  - articles: 第X条 the structure parser found, against the text copy;
  - article hit@1: "《标题》第X条的内容是什么" within that document's copy → top passage is that article;
  - load seconds per file (LibreOffice conversion included; busy 2-core machine).
No constant was tuned on this corpus (the OFD layout tolerances were set from the format's
units before any run), so there is no held-out split. Results: benchmarks/results/formats.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.container import build_library  # noqa: E402
from assistant.settings import load_settings  # noqa: E402
from index.loaders import load_file  # noqa: E402
from index.structure import parse_structure  # noqa: E402
from tests.fixtures.format_samples import gov_page_html, libreoffice_convert, write_docx  # noqa: E402
from tests.fixtures.ofd_writer import paginate, write_ofd  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "regulations"
FORMATS = ("md", "docx", "doc", "rtf", "ofd", "html")
_PUNCT = re.compile(r"[\s\u3000，。、；：！？,.;:!?“”\"'（）()《》【】\-—#]")
# Regulations about the bureau's own work first; --regs takes the first N.
PREFERRED = ("机关事务管理条例", "公共机构节能条例", "机关团体建设楼堂馆所管理条例", "政府信息公开条例",
             "规章制定程序条例", "法规规章备案审查条例")  # fmt: skip


def source_items(md: Path) -> tuple[str, list[tuple[int | None, str]]]:
    """Title and (heading level or None, text) items of a corpus Markdown regulation."""
    text = re.sub(r"<!--.*?-->", "", md.read_text(encoding="utf-8"), flags=re.S)
    items: list[tuple[int | None, str]] = []
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        m = re.match(r"^(#{1,6})\s+(.*)$", line)
        items.append((len(m.group(1)) - 1, m.group(2)) if m else (None, line))
    return items[0][1], items


def write_copies(md: Path, folder: Path) -> dict[str, Path]:
    """The regulation in every format, named by its title; returns format → path."""
    title, items = source_items(md)
    stem = title
    out = {"md": Path(shutil.copyfile(md, folder / f"{stem}.md"))}
    out["docx"] = write_docx(folder / f"{stem}.docx", items)
    for target in ("doc", "rtf"):
        out[target] = libreoffice_convert(out["docx"], target, folder / f"{stem}.{target}")
    paragraphs = [text for _, text in items[1:]]
    out["ofd"] = write_ofd(folder / f"{stem}.ofd", paginate(paragraphs, title=title), title=title)
    html = gov_page_html(title=title, paragraphs=paragraphs)
    out["html"] = folder / f"{stem}.html"
    out["html"].write_bytes(html.encode("gb18030"))
    return out


def normalise(text: str) -> str:
    return _PUNCT.sub("", text)


def text_kept(source: Path, copy: Path) -> tuple[float, float, int]:
    """(share of source body lines found in the copy's text, load seconds, articles found)."""
    _, items = source_items(source)
    started = time.perf_counter()
    parsed = load_file(copy, max_bytes=100 * 1024 * 1024)
    seconds = time.perf_counter() - started
    loaded = normalise(parsed.text)
    lines = [normalise(text) for level, text in items if level is None and len(normalise(text)) >= 4]
    kept = sum(1 for line in lines if line in loaded) / max(len(lines), 1)
    articles = {b.article for b in parse_structure(parsed) if b.article}
    return kept, seconds, len(articles)


def article_hits(library, doc_id: str, title: str) -> tuple[int, int]:
    """(articles whose lookup returns that article first, articles) within one document."""
    articles = sorted({c.article for c in library.chunks_of(doc_id) if c.article})
    hits = 0
    for article in articles:
        top = library.search(f"《{title}》{article}的内容是什么", k=1, doc_ids=[doc_id])
        hits += bool(top) and top[0].metadata.get("article") == article
    return hits, len(articles)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--regs", type=int, default=4, help="how many regulations")
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "results" / "bench_formats")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    if args.fresh and args.data.exists():
        shutil.rmtree(args.data)
    files = folder_files(args.data / "files", args.regs)
    per_format: dict[str, dict] = {f: {"kept": [], "load_s": [], "articles": 0, "hits": 0, "looked_up": 0}
                                   for f in FORMATS}  # fmt: skip
    for md, copies in files:
        for fmt, path in copies.items():
            kept, seconds, n_articles = text_kept(md, path)
            row = per_format[fmt]
            row["kept"].append(kept)
            row["load_s"].append(seconds)
            row["articles"] += n_articles
    settings = load_settings(None)
    settings.data.data_dir = args.data / "library"
    library = build_library(settings)
    started = time.perf_counter()
    report = library.ingest([p for _, copies in files for p in copies.values()])
    ingest_s = time.perf_counter() - started
    for md, copies in files:
        title = source_items(md)[0]
        for fmt, path in copies.items():
            meta = library.get_document(path.name)
            if meta is None:
                continue
            hits, n = article_hits(library, meta.doc_id, title)
            per_format[fmt]["hits"] += hits
            per_format[fmt]["looked_up"] += n
    summary = {fmt: _summary(row) for fmt, row in per_format.items()}
    results = {
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores (busy)",
        "date": time.strftime("%Y-%m-%d"),
        "regulations": [source_items(md)[0] for md, _ in files],
        "rejected": [r.message for r in report.results if r.status == "rejected"],
        "ingest_seconds": round(ingest_s, 1),
        "formats": summary,
    }
    out = ROOT / "benchmarks" / "results" / "formats.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=1))
    print(table(summary))


def folder_files(folder: Path, n: int) -> list[tuple[Path, dict[str, Path]]]:
    folder.mkdir(parents=True, exist_ok=True)
    sources = sorted(CORPUS.glob("*.md"), key=lambda p: _rank(p.stem))[:n]
    return [(md, write_copies(md, folder)) for md in sources]


def _rank(stem: str) -> tuple[int, str]:
    name = re.sub(r"[（(].*$", "", stem)
    return (PREFERRED.index(name) if name in PREFERRED else len(PREFERRED), stem)


def _summary(row: dict) -> dict:
    return {
        "text_kept": round(statistics.mean(row["kept"]), 4),
        "articles_found": row["articles"],
        "article_hit1": f"{row['hits']}/{row['looked_up']}",
        "article_hit1_rate": round(row["hits"] / max(row["looked_up"], 1), 3),
        "load_s_median": round(statistics.median(row["load_s"]), 2),
        "load_s_max": round(max(row["load_s"]), 2),
    }


def table(summary: dict) -> str:
    lines = ["| 格式 | 正文保留 | 识别出的条 | 条文定位 hit@1 | 读取耗时 中位/最长 (s) |", "|---|---|---|---|---|"]
    for fmt, s in summary.items():
        lines.append(
            f"| .{fmt} | {s['text_kept']:.1%} | {s['articles_found']} | {s['article_hit1']} "
            f"({s['article_hit1_rate']:.3f}) | {s['load_s_median']} / {s['load_s_max']} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
