"""OFD (GB/T 33190) → text in reading order, page by page; pages that are images go to OCR.

OFD.xml names the document root (DocRoot); Document.xml lists the pages; each page's
Content.xml holds TextObjects (a Boundary box, a font size, TextCode runs at X/Y with DeltaX
glyph advances). Runs are placed on the page, grouped into lines by baseline, ordered left to
right, and the lines joined into paragraphs like a PDF's. XML is parsed with defusedxml (no
DTDs, no entity expansion) and every member is read with a size cap, after the zip-bomb check.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from PIL import Image

from index.hashing import file_sha256
from index.loaders.guard import check_zip_archive, read_zip_member
from index.loaders.layout import pages_to_blocks
from index.loaders.ocr import OcrOptions, ocr_pages
from index.loaders.ofd_text import TextRun, page_lines, text_runs
from index.loaders.paragraphs import Line, join_lines
from index.models import Block, LoadError, ParsedFile

MAX_XML_BYTES = 32 * 1024 * 1024  # one page's Content.xml; real ones are kilobytes
MAX_IMAGE_BYTES = 64 * 1024 * 1024
A4_MM = (210.0, 297.0)
_OCR_PX_PER_MM = 200 / 25.4  # page images are composed at 200 dpi for OCR


@dataclass
class OfdPage:
    """One page: its number, size in mm, text runs and the images placed on it."""

    number: int
    size_mm: tuple[float, float]
    runs: list[TextRun]
    images: list[tuple[str, tuple[float, float, float, float]]]  # (media path, boundary)


def load_ofd(path: Path, options: OcrOptions | None = None) -> ParsedFile:
    """Read every page of an OFD file; image-only pages are read by OCR (and marked so)."""
    check_zip_archive(path)
    try:
        with zipfile.ZipFile(path) as archive:
            package = _Package(archive, path.name)
            pages = package.pages()
            scanned = [p for p in pages if not any(r.text.strip() for r in p.runs) and p.images]
            blocks = _text_blocks(pages, {p.number for p in scanned})
            ocr_blocks, warnings = _ocr_blocks(path, package, scanned, options or OcrOptions())
            if not ocr_blocks and not blocks and warnings:
                raise LoadError(warnings[0])
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, Image.DecompressionBombError) as exc:
        raise LoadError(f"OFD 文件“{path.name}”已损坏，无法读取（{type(exc).__name__}：{exc}）。") from exc
    # Pages keep their order; within a page the text keeps its reading order (stable sort).
    blocks = sorted(blocks + ocr_blocks, key=lambda b: b.page or 0)
    parsed = ParsedFile(path=path, kind="ofd", blocks=blocks, warnings=warnings)
    parsed.ocr_pages = [p.number for p in scanned]
    return parsed


def _text_blocks(pages: list[OfdPage], skip: set[int]) -> list[Block]:
    lines: list[Line] = []
    for page in pages:
        if page.number not in skip:
            lines.extend(page_lines(page.runs, page.number))
    return [Block(p.text, page=p.page) for p in join_lines(lines)]


def _ocr_blocks(
    path: Path, package: _Package, scanned: list[OfdPage], options: OcrOptions
) -> tuple[list[Block], list[str]]:
    """OCR the image-only pages (cached by file hash and page, like a scanned PDF's)."""
    if not scanned:
        return [], []
    by_number = {p.number: p for p in scanned}
    pages = ocr_pages(
        lambda n: package.page_image(by_number[n]), list(by_number), name=path.name,
        file_sha=file_sha256(path), options=options,
    )  # fmt: skip
    try:
        return pages_to_blocks(pages, name=path.name), []
    except LoadError as exc:  # no text on any image page: fatal only if no page has text
        return [], [str(exc)]



class _Package:
    """Paths and XML of one OFD zip; every read is capped and parsed without DTDs."""

    def __init__(self, archive: zipfile.ZipFile, name: str) -> None:
        self.archive = archive
        self.name = name

    def xml(self, member: str) -> Element:
        data = read_zip_member(self.archive, member, max_bytes=MAX_XML_BYTES, filename=self.name)
        try:
            return fromstring(data, forbid_dtd=True)
        except (ParseError, DefusedXmlException) as exc:
            raise LoadError(f"OFD 文件“{self.name}”中的 {member} 不是有效的 XML，无法读取。") from exc

    def pages(self) -> list[OfdPage]:
        """The pages of the first document, in the order Document.xml lists them."""
        root = _child_text(self.xml(self._member("OFD.xml")), "DocBody", "DocRoot")
        if not root:
            raise LoadError(f"文件“{self.name}”不是有效的 OFD 文件（OFD.xml 中没有 DocRoot）。")
        doc_path = _resolve("", root)
        document = self.xml(self._member(doc_path))
        default_size = _page_size(_find(document, "CommonData", "PageArea")) or A4_MM
        media = self._media(document, doc_path)
        templates = self._templates(document, doc_path)
        pages = []
        for number, page in enumerate(_find_all(_find(document, "Pages"), "Page"), start=1):
            content_path = _resolve(doc_path, page.get("BaseLoc", ""))
            content = self.xml(self._member(content_path))
            size = _page_size(_find(content, "Area")) or default_size
            images = [(media[r], box) for r, box in _image_objects(content) if r in media]
            runs = text_runs(content) + templates.runs_for(content)
            pages.append(OfdPage(number, size, runs, images))
        if not pages:
            raise LoadError(f"OFD 文件“{self.name}”中没有页面。")
        return pages

    def page_image(self, page: OfdPage) -> Image.Image:
        """The page's images composed on a white page, for OCR."""
        width, height = (round(v * _OCR_PX_PER_MM) for v in page.size_mm)
        canvas = Image.new("RGB", (width, height), "white")
        for member, (x, y, w, h) in page.images:
            data = read_zip_member(self.archive, member, max_bytes=MAX_IMAGE_BYTES, filename=self.name)
            image = Image.open(io.BytesIO(data)).convert("RGB")
            size = (max(1, round(w * _OCR_PX_PER_MM)), max(1, round(h * _OCR_PX_PER_MM)))
            canvas.paste(image.resize(size), (round(x * _OCR_PX_PER_MM), round(y * _OCR_PX_PER_MM)))
        return canvas

    def _templates(self, document: Element, doc_path: str) -> _Templates:
        paths = {
            t.get("ID", ""): _resolve(doc_path, t.get("BaseLoc", ""))
            for t in _find_all(_find(document, "CommonData"), "TemplatePage")
        }
        return _Templates(self, paths)

    def _media(self, document: Element, doc_path: str) -> dict[str, str]:
        """Resource ID → member path of the images listed in DocumentRes/PublicRes."""
        media: dict[str, str] = {}
        for tag in ("DocumentRes", "PublicRes"):
            for ref in _find_all(_find(document, "CommonData"), tag):
                res_path = _resolve(doc_path, (ref.text or "").strip())
                if res_path not in self.archive.namelist():
                    continue
                res = self.xml(res_path)
                base = _resolve(res_path, res.get("BaseLoc", "")) + "/"
                for item in res.iter():
                    if _local(item.tag) == "MultiMedia" and item.get("ID"):
                        file = _child_text(item, "MediaFile")
                        media[item.get("ID", "")] = _resolve(base + "x", file)
        return media

    def _member(self, member: str) -> str:
        """The zip member for a package path, matched case-insensitively as Windows tools write."""
        names = self.archive.namelist()
        if member in names:
            return member
        lowered = {n.lower(): n for n in names}
        if member.lower() in lowered:
            return lowered[member.lower()]
        raise LoadError(f"OFD 文件“{self.name}”缺少部件 {member}，文件不完整，无法读取。")


class _Templates:
    """Template pages (an invoice's printed labels, a 红头): their text joins the first page
    that uses each template, placed by position among the page's own text; later pages skip it,
    so a running header is read once."""

    def __init__(self, package: _Package, paths: dict[str, str]) -> None:
        self.package = package
        self.paths = paths
        self.used: set[str] = set()

    def runs_for(self, content: Element) -> list[TextRun]:
        runs: list[TextRun] = []
        for ref in _find_all(content, "Template"):
            template_id = ref.get("TemplateID", "")
            if template_id in self.used or template_id not in self.paths:
                continue
            self.used.add(template_id)
            runs += text_runs(self.package.xml(self.package._member(self.paths[template_id])))
        return runs


def _resolve(base_file: str, ref: str) -> str:
    """A package path: absolute ("/Doc_0/…") from the root, else relative to base_file's folder."""
    ref = ref.strip().replace("\\", "/")
    joined = ref.lstrip("/") if ref.startswith("/") else posixpath.join(posixpath.dirname(base_file), ref)
    return posixpath.normpath(joined).lstrip("/")


def _image_objects(content: Element) -> list[tuple[str, tuple[float, float, float, float]]]:
    out = []
    for item in content.iter():
        if _local(item.tag) == "ImageObject" and item.get("ResourceID"):
            box = _numbers(item.get("Boundary", ""))
            if len(box) == 4:
                out.append((item.get("ResourceID", ""), (box[0], box[1], box[2], box[3])))
    return out


def _page_size(area: Element | None) -> tuple[float, float] | None:
    box = _numbers(_child_text(area, "PhysicalBox")) if area is not None else []
    return (box[2], box[3]) if len(box) == 4 and box[2] > 0 and box[3] > 0 else None


def _numbers(text: str) -> list[float]:
    try:
        return [float(v) for v in text.split()]
    except ValueError:
        return []


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(element: Element | None, *names: str) -> Element | None:
    for name in names:
        if element is None:
            return None
        element = next((c for c in element if _local(c.tag) == name), None)
    return element


def _find_all(element: Element | None, name: str) -> list[Element]:
    return [c for c in element if _local(c.tag) == name] if element is not None else []


def _child_text(element: Element | None, *names: str) -> str:
    found = _find(element, *names)
    return (found.text or "").strip() if found is not None else ""
