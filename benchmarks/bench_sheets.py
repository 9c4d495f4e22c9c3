"""Spreadsheet rows: does a question about one figure find the row, with its column names?

    .venv/bin/python benchmarks/bench_sheets.py [--fresh]

Two fictional statistics tables (40 units each; "energy" chose the row format, "housing" is
held out) are stored three ways and each ingested into its own library:
  - xlsx: our sheet loader, every row "列名：值；列名：值" (index/loaders/sheets.py);
  - docx: the same table in Word, read by the DOCX loader (header row once, cells " | ");
  - md:   a Markdown table (header once, cells " | ").
For two columns of every unit we ask "示例市X局的<列名>是多少？" and check the top passage:
  - row@1: it holds that unit's row with the asked value;
  - answerable@1: it also names the asked column (the header travels with the row), so a
    reader or a model can tell which figure is the answer.
Results: benchmarks/results/sheets.json (busy 2-core machine).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import sys
import time
from pathlib import Path

import docx
import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.container import build_library  # noqa: E402
from assistant.settings import load_settings  # noqa: E402

UNITS = [f"示例市{u}" for u in ["发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水务局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "城市管理局", "林业局", "体育局", "信访局", "机关事务管理局", "国有资产监督管理委员会", "人民政府办公室", "外事办公室", "民族宗教事务局", "地方金融监督管理局", "粮食和物资储备局", "数据局", "档案馆", "地方志办公室", "行政审批局", "人民防空办公室"]]  # noqa: SIM905
TABLES = {
    "energy": ("2024年示例市公共机构能源资源消耗统计表",
               ["用电量（万千瓦时）", "用水量（万吨）", "天然气（万立方米）", "汽油（吨）", "人均综合能耗（千克标准煤）"]),
    "housing": ("示例市党政机关办公用房面积统计表",
                ["编制人数", "实有人数", "办公室面积（平方米）", "服务用房面积（平方米）", "设备用房面积（平方米）"]),
}  # fmt: skip
FORMATS = ("xlsx", "docx", "md")


def table_rows(name: str, seed: int) -> tuple[str, list[str], list[list[str]]]:
    """Title, header and rows of one fictional table (values fixed by the seed)."""
    rng = random.Random(seed)
    title, columns = TABLES[name]
    # One decimal that is never 0, so every variant writes the same figure (841.0 reads as 841).
    rows = [[unit, *[f"{rng.randint(10, 999)}.{rng.randint(1, 9)}" for _ in columns]] for unit in UNITS]
    return title, ["单位名称", *columns], rows


def write_variants(folder: Path, name: str, seed: int) -> dict[str, Path]:
    title, header, rows = table_rows(name, seed)
    out = {fmt: folder / f"{title}.{fmt}" for fmt in FORMATS}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "统计"
    sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append([row[0], *[float(v) for v in row[1:]]])
    book.save(str(out["xlsx"]))
    document = docx.Document()
    document.add_heading(title, level=0)
    table = document.add_table(rows=0, cols=len(header))
    for row in [header, *rows]:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value
    document.save(str(out["docx"]))
    lines = [f"# {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    out["md"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def questions(name: str, seed: int) -> list[tuple[str, str, str, str]]:
    """(question, unit, column, value): two columns per unit, chosen by the seed."""
    _, header, rows = table_rows(name, seed)
    rng = random.Random(seed + 1)
    out = []
    for row in rows:
        for col in rng.sample(range(1, len(header)), 2):
            column = header[col]
            short = column.split("（")[0]
            out.append((f"{row[0]}的{short}是多少？", row[0], column, row[col]))
    return out


def evaluate(library, asked: list[tuple[str, str, str, str]]) -> dict:
    row_hits = answerable = 0
    for question, unit, column, value in asked:
        top = library.search(question, k=1)
        text = top[0].page_content if top else ""
        lines = [ln for ln in text.splitlines() if unit in ln and value in ln]
        row_hits += bool(lines)
        answerable += bool(lines) and column in text
    n = len(asked)
    return {"questions": n, "row_at_1": round(row_hits / n, 3), "answerable_at_1": round(answerable / n, 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "results" / "bench_sheets")
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    if args.fresh and args.data.exists():
        shutil.rmtree(args.data)
    results: dict = {"machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores (busy)",
                     "date": time.strftime("%Y-%m-%d"), "sets": {}}  # fmt: skip
    for seed, name in enumerate(TABLES, start=11):
        folder = args.data / name / "files"
        folder.mkdir(parents=True, exist_ok=True)
        variants = write_variants(folder, name, seed)
        asked = questions(name, seed)
        results["sets"][name] = {}
        for fmt, path in variants.items():
            settings = load_settings(None)
            settings.data.data_dir = args.data / name / fmt
            library = build_library(settings)
            library.ingest([path])
            results["sets"][name][fmt] = evaluate(library, asked)
            print(name, fmt, results["sets"][name][fmt], flush=True)
    out = ROOT / "benchmarks" / "results" / "sheets.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
