"""Scanned or photographed pages (.jpg/.png/.tif, multi-page TIFF) → OCR'd ParsedFile."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageOps

from index.hashing import file_sha256
from index.loaders.layout import blank_pages, pages_to_blocks
from index.loaders.ocr import OcrOptions, PageProgress, check_page_limit, ocr_pages
from index.models import LoadError, ParsedFile

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")
# Photos from phones reach 50 Mpx; OCR needs no more than this on the long side.
MAX_SIDE = 2500


def load_image(
    path: Path, options: OcrOptions | None = None, progress: PageProgress | None = None
) -> ParsedFile:
    """OCR every frame of an image file; each frame is one page."""
    options = options or OcrOptions()
    n_frames = _frame_count(path)
    check_page_limit(path.name, n_frames, options.max_pages)
    pages = ocr_pages(
        lambda n: _frame(path, n), range(1, n_frames + 1), name=path.name,
        file_sha=file_sha256(path), options=options, progress=progress,
    )
    blocks = pages_to_blocks(pages, name=path.name)
    return ParsedFile(
        path=path, kind="image", blocks=blocks, warnings=blank_page_warnings(path.name, pages),
        ocr_pages=[p.page for p in pages],
    )


def blank_page_warnings(name: str, pages: list) -> list[str]:
    """A warning naming the pages where OCR found no text, if any."""
    blank = blank_pages(pages)
    if not blank:
        return []
    return [f"“{name}”第 {'、'.join(map(str, blank))} 页是扫描页，但没有识别出文字（可能是空白页）。"]


def _frame_count(path: Path) -> int:
    """Frames in the file, checked now so a broken file fails before any OCR."""
    with _opened(path) as image:
        n = getattr(image, "n_frames", 1)
        _frame_of(image, n)  # decoding the last frame catches truncated files
    return n


def _frame(path: Path, number: int) -> Image.Image:
    """Frame `number` (1-based) as an upright RGB image; frames are read one at a time."""
    with _opened(path) as image:
        return _frame_of(image, number)


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[Image.Image]:
    try:
        with Image.open(path) as image:
            yield image
    except LoadError:
        raise
    except Image.DecompressionBombError as exc:
        raise LoadError(f"图片文件“{path.name}”像素过多（超过安全上限），未导入。") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:  # PIL's errors for broken files
        raise LoadError(
            f"图片文件“{path.name}”已损坏或不是可识别的图片格式，无法读取（{type(exc).__name__}）。"
        ) from exc


def _frame_of(image: Image.Image, number: int) -> Image.Image:
    image.seek(number - 1)
    return _upright(image)


def _upright(frame: Image.Image) -> Image.Image:
    image = ImageOps.exif_transpose(frame.convert("RGB"))  # phone photos are stored sideways
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    return image

