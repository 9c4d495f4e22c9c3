"""OFD: our writer's multi-page packages read in reading order with pages; image pages via OCR."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from index.loaders import load_file
from index.loaders.ofd_text import deltas
from index.models import LoadError
from index.structure import parse_structure
from tests.fixtures.format_samples import write_regulation_ofd, write_zip_bomb
from tests.fixtures.ofd_writer import OfdPageSpec, write_ofd

MAX = 50 * 1024 * 1024


def test_pages_reading_order_and_articles(tmp_path: Path) -> None:
    parsed = load_file(write_regulation_ofd(tmp_path / "示例市公务用车管理办法.ofd"), max_bytes=MAX)
    assert parsed.kind == "ofd"
    texts = [b.text for b in parsed.blocks]
    assert texts[0] == "示例市公务用车管理办法"
    # Each line was two TextObjects written in shuffled order: position decides, not XML order.
    assert any(t.startswith("第四条　节假日期间公务用车应当封存停放在指定地点，确因工作需要使用的") for t in texts)
    assert not any("- 2 -" in t for t in texts)  # the page number is not text
    pages = {b.text[:3]: b.page for b in parsed.blocks}
    assert pages["第一条"] == 1
    assert pages["第三条"] == 2
    structured = parse_structure(parsed)
    article = next(b for b in structured if b.article == "第四条")
    assert article.page == 2
    assert "第二章" in article.heading_path


def test_paragraph_wrapped_over_lines_is_one_block(tmp_path: Path) -> None:
    long = "第九条　" + "公务用车的购置、租赁和运行维护应当纳入部门预算，" * 4 + "不得挪用。"
    path = write_ofd(tmp_path / "长段落.ofd", [OfdPageSpec(paragraphs=[long, "第十条　本办法自发布之日起施行。"])])
    texts = [b.text for b in load_file(path, max_bytes=MAX).blocks]
    assert texts == [long, "第十条　本办法自发布之日起施行。"]


def test_template_text_is_read_once_in_its_place(tmp_path: Path) -> None:
    header, footer = "示例市机关事务管理局文件", "示例市机关事务管理局办公室　2025年3月18日印发"
    body = ["第一条　" + "各单位应当按照规定配备和使用公务用车，" * 3 + "不得超标准。"]
    pages = [OfdPageSpec(paragraphs=body), OfdPageSpec(paragraphs=["第二条　本办法自印发之日起施行。"])]
    path = write_ofd(tmp_path / "带模板.ofd", pages, template=[(60.0, 20.0, header), (28.0, 270.0, footer)])
    texts = [(b.page, b.text) for b in load_file(path, max_bytes=MAX).blocks]
    assert texts == [(1, header), (1, body[0]), (1, footer), (2, "第二条　本办法自印发之日起施行。")]


def test_delta_x_repetitions_expand() -> None:
    assert deltas("g 3 5.2 1 g 2 0.5") == [5.2, 5.2, 5.2, 1.0, 0.5, 0.5]


def test_zip_bomb_posing_as_ofd_is_refused(tmp_path: Path) -> None:
    path = write_zip_bomb(tmp_path / "发票.ofd", "Doc_0/Pages/Page_0/Content.xml")
    with pytest.raises(LoadError, match="发票.ofd.*压缩"):
        load_file(path, max_bytes=MAX)


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ({"readme.txt": "not an ofd"}, "OFD.xml"),
        ({"OFD.xml": "<ofd:OFD><broken"}, "不是有效的 XML"),
        ({"OFD.xml": '<OFD xmlns="http://www.ofdspec.org/2016"><DocBody/></OFD>'}, "DocRoot"),
    ],
)
def test_broken_ofd_packages_name_the_file(tmp_path: Path, members: dict[str, str], expected: str) -> None:
    path = tmp_path / "坏文件.ofd"
    with zipfile.ZipFile(path, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    with pytest.raises(LoadError, match=f"坏文件.ofd.*{expected}"):
        load_file(path, max_bytes=MAX)


def test_entity_expansion_is_refused(tmp_path: Path) -> None:
    lol = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><OFD>&lol2;</OFD>'
    )
    path = tmp_path / "实体.ofd"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("OFD.xml", lol)
    with pytest.raises(LoadError, match="实体.ofd"):
        load_file(path, max_bytes=MAX)


def test_not_a_zip_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "假的.ofd"
    path.write_bytes(b"%PDF-1.7 not an ofd")
    with pytest.raises(LoadError, match="假的.ofd"):
        load_file(path, max_bytes=MAX)


def _cjk_font() -> str | None:
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "-f", "%{file}\n"], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    files = sorted(out.stdout.split(), key=lambda f: ("Regular" not in f, "Sans" not in f))
    path = files[0] if files else ""
    is_cjk = "CJK" in path or "wqy" in path
    return path if is_cjk and Path(path).is_file() else None


def _page_image(lines: list[str]) -> bytes:
    font_path = _cjk_font()
    if font_path is None:
        pytest.skip("no CJK font (Debian fonts-noto-cjk) to draw a scanned page")
    image = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(font_path, 44)
    for i, line in enumerate(lines):
        draw.text((220, 300 + i * 90), line, font=font, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def test_image_only_page_is_read_by_ocr_and_marked(tmp_path: Path) -> None:
    scan = _page_image(["第六条　公务用车处置收入应当", "按照规定全额上缴国库。"])
    path = write_regulation_ofd(tmp_path / "含扫描页.ofd", scanned_page=scan)
    parsed = load_file(path, max_bytes=MAX)
    assert parsed.ocr_pages == [3]
    page3 = " ".join(b.text for b in parsed.blocks if b.page == 3)
    assert "全额上缴国库" in page3
    assert parsed.blocks[-1].page == 3
    assert parsed.blocks[0].page == 1


def test_blank_image_only_ofd_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("L", (400, 560), 255).save(buffer, "PNG")
    path = write_ofd(tmp_path / "空白扫描.ofd", [OfdPageSpec(image=buffer.getvalue())])
    with pytest.raises(LoadError, match="空白扫描.ofd"):
        load_file(path, max_bytes=MAX)
