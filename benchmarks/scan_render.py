"""Render regulation text as a scanner would: A4 公文 layout, CJK font, 150 dpi, then scan damage.

    .venv/bin/python benchmarks/scan_render.py SOURCE.md OUT.pdf [--dpi 150] [--seed 1]

Used by benchmarks/bench_ocr.py and the OCR tests (tests/fixtures/scans.py). The layout follows
GB/T 9704 loosely: 28 characters a line, first-line indent of two, title and chapter headings
centred, a page number "— N —" at the foot and an optional running header. Scan damage: a slight
rotation, blur, noise, grey paper, JPEG compression; optionally a red seal over the last lines.
Each page's ground truth is the text as laid out, without header and page number.
"""

from __future__ import annotations

import argparse
import io
import math
import random
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

A4_MM = (210, 297)
CHARS_PER_LINE = 28
LINES_PER_PAGE = 22
_FONT_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Droid Sans Fallback")


@dataclass
class Paragraph:
    """A paragraph to lay out: body text (indented) or a centred heading/title."""

    text: str
    kind: str = "body"  # body | title | heading


@dataclass
class ScanOptions:
    """Scanner settings and damage."""

    dpi: int = 150
    seed: int = 1
    rotation_deg: float = 0.6  # the largest tilt; each page draws its own within ±this
    blur: float = 0.7
    noise: float = 10.0  # standard deviation of grey-level noise
    jpeg_quality: int = 70
    running_header: str = ""
    seal_on_last_page: str = ""  # text of a red seal stamped over the end of the document
    columns: int = 1
    lines_per_page: int = LINES_PER_PAGE  # fewer: short pages for quick tests


@dataclass
class ScannedPage:
    image: Image.Image
    truth: list[str] = field(default_factory=list)  # the body lines as printed


def find_cjk_font() -> Path | None:
    """A CJK font file from fontconfig (Debian fonts-noto-cjk), or None."""
    for family in _FONT_FAMILIES:
        try:
            out = subprocess.run(
                ["fc-match", "-f", "%{file}|%{index}", f"{family}:lang=zh-cn"],
                capture_output=True, text=True, timeout=10, check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return None
        path = Path(out.split("|")[0]) if out else None
        if path and path.exists() and re.search(r"(?i)cjk|wqy|droid|zenhei|microhei", path.name):
            return path
    return None


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    # Noto CJK collections: the simplified Chinese face is the third (JP, KR, SC, TC, HK).
    index = 2 if path.suffix.lower() == ".ttc" and "Noto" in path.name else 0
    return ImageFont.truetype(str(path), size, index=index)


def markdown_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs of a corpus regulation (.md): # title, ## headings, body paragraphs."""
    paragraphs = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("<!--"):
            continue
        if line.startswith("# "):
            paragraphs.append(Paragraph(line[2:].strip(), "title"))
        elif line.startswith("#"):
            paragraphs.append(Paragraph(line.lstrip("#").strip(), "heading"))
        else:
            paragraphs.append(Paragraph(line))
    return paragraphs


def lay_out(
    paragraphs: list[Paragraph], columns: int = 1, lines_per_page: int = LINES_PER_PAGE
) -> list[list[tuple[str, str]]]:
    """Pages of (kind, line) pairs; kind is body-first, body, title or heading."""
    width = CHARS_PER_LINE if columns == 1 else (CHARS_PER_LINE - 2) // 2
    rows: list[tuple[str, str]] = []
    for para in paragraphs:
        if para.kind != "body":
            n = width * 16 // 22 if para.kind == "title" else width  # the title's font is larger
            rows += [(para.kind, para.text[i : i + n]) for i in range(0, len(para.text), n)]
            continue
        text, first = para.text, True
        while text:
            n = width - 2 if first else width
            rows.append(("body-first" if first else "body", text[:n]))
            text, first = text[n:], False
    per_page = lines_per_page * columns
    return [rows[i : i + per_page] for i in range(0, len(rows), per_page)]


def render(
    paragraphs: list[Paragraph], font_path: Path, options: ScanOptions | None = None
) -> list[ScannedPage]:
    """Every page as a damaged greyscale scan with its ground-truth lines."""
    options = options or ScanOptions()
    rng = random.Random(options.seed)
    pages = lay_out(paragraphs, options.columns, options.lines_per_page)
    scanned = []
    for number, rows in enumerate(pages, 1):
        image = _print_page(rows, number, font_path, options)
        if options.seal_on_last_page and number == len(pages):
            _stamp(image, options.seal_on_last_page, font_path, options.dpi, len(rows))
        scanned.append(ScannedPage(_damage(image, rng, options), [text for _, text in rows]))
    return scanned


def _px(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


def _print_page(
    rows: list[tuple[str, str]], number: int, font_path: Path, options: ScanOptions
) -> Image.Image:
    dpi = options.dpi
    image = Image.new("RGB", (_px(A4_MM[0], dpi), _px(A4_MM[1], dpi)), "white")
    draw = ImageDraw.Draw(image)
    size = round(16 / 72 * dpi)  # 三号 16 pt
    body, title = _font(font_path, size), _font(font_path, round(22 / 72 * dpi))
    left, top, text_w = _px(28, dpi), _px(37, dpi), _px(156, dpi)
    pitch = _px(225, dpi) / LINES_PER_PAGE
    col_w = text_w if options.columns == 1 else (text_w - 2 * size) / 2
    for i, (kind, text) in enumerate(rows):
        col, row = divmod(i, options.lines_per_page)
        x0 = left + col * (col_w + 2 * size)
        y = top + row * pitch
        font = title if kind == "title" else body
        if kind in ("title", "heading"):
            x = x0 + (col_w - font.getlength(text)) / 2
        else:
            x = x0 + (2 * size if kind == "body-first" else 0)
        draw.text((x, y), text, font=font, fill="black")
    small = _font(font_path, round(12 / 72 * dpi))
    if options.running_header:
        draw.text((left, _px(18, dpi)), options.running_header, font=small, fill="black")
    foot = f"— {number} —"
    draw.text(((image.width - body.getlength(foot)) / 2, _px(280, dpi)), foot, font=body, fill="black")
    return image


def _stamp(image: Image.Image, text: str, font_path: Path, dpi: int, n_rows: int) -> None:
    """A red round seal with its text on an arc, over the last printed lines.

    Ink multiplies: black text under the seal stays black, paper turns red.
    """
    overlay = Image.new("RGB", image.size, "white")
    draw = ImageDraw.Draw(overlay)
    radius = _px(21, dpi)
    pitch = _px(225, dpi) / LINES_PER_PAGE
    cx = image.width * 0.62
    cy = _px(37, dpi) + max(0, n_rows - 2) * pitch
    red = (225, 40, 40)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=red, width=4)
    font = _font(font_path, round(radius / 4))
    for i, ch in enumerate(text):
        angle = math.pi * (1.15 + 0.7 * i / max(1, len(text) - 1))
        x = cx + 0.75 * radius * math.cos(angle)
        y = cy + 0.75 * radius * math.sin(angle)
        draw.text((x, y), ch, font=font, fill=red, anchor="mm")
    star = font.size * 1.5
    draw.regular_polygon((cx, cy, star), 5, fill=red)
    image.paste(ImageChops.multiply(image, overlay))


def _damage(image: Image.Image, rng: random.Random, options: ScanOptions) -> Image.Image:
    """Tilt, blur, noise, grey paper and JPEG artefacts, as from a cheap office scanner."""
    angle = rng.uniform(-options.rotation_deg, options.rotation_deg)
    image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor="white")
    image = image.filter(ImageFilter.GaussianBlur(options.blur))
    array = np.asarray(image, dtype=np.float32) * 0.92 + 8  # grey paper, not quite black ink
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, options.noise, array.shape[:2])
    array = np.clip(array + noise[:, :, None], 0, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="JPEG", quality=options.jpeg_quality)
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def save_pdf(pages: list[ScannedPage], target: Path, dpi: int) -> None:
    """An image-only PDF (no text layer), as a scanner writes it."""
    first, *rest = [p.image for p in pages]
    # A fixed creation date: the same pages give the same bytes (and the same OCR cache key).
    stamp = time.gmtime(0)
    first.save(target, format="PDF", save_all=True, append_images=rest, resolution=dpi,
               creationDate=stamp, modDate=stamp)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--dpi", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    font = find_cjk_font()
    if font is None:
        raise SystemExit("没有找到中文字体：请安装 Debian 的 fonts-noto-cjk（make ocr-deps）。")
    pages = render(
        markdown_paragraphs(args.source.read_text(encoding="utf-8")), font,
        ScanOptions(dpi=args.dpi, seed=args.seed),
    )
    save_pdf(pages, args.target, args.dpi)
    print(f"{args.target}: {len(pages)} pages")


if __name__ == "__main__":
    main()
