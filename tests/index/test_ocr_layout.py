"""OCR layout (line boxes → paragraphs), the image preparation and the OCR cache, without the engine."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from index.loaders.layout import page_lines, pages_to_blocks, running_texts
from index.loaders.ocr import ENGINE_VERSION, OcrCache, OcrLine, OcrPage, is_blank, prepare_image
from index.loaders.paragraphs import join_lines

W, H = 1240, 1754
CHAR = 33  # pixels of one character at 150 dpi, 16 pt


def _line(text: str, x: float, y: float) -> OcrLine:
    return OcrLine(text, x, y, x + CHAR * len(text), y + CHAR)


def _body(texts: list[tuple[str, int]], x: float = 165, y: float = 220) -> list[OcrLine]:
    """Lines one under the other; the int is the indent in characters."""
    return [_line(t, x + indent * CHAR, y + i * 50) for i, (t, indent) in enumerate(texts)]


def test_rows_become_paragraphs_by_indent_and_articles_get_their_space() -> None:
    lines = _body([
        ("第一条为了规范公务用车管理，节约财政资金，根据有关", 2),
        ("规定，制定本办法。本办法适用于示例市各级机关的公", 0),
        ("务用车。", 0),
        ("第二条公务用车实行编制管理。", 2),
    ])
    blocks = pages_to_blocks([OcrPage(1, W, H, lines)], name="x.pdf")
    assert [b.text for b in blocks] == [
        "第一条 为了规范公务用车管理，节约财政资金，根据有关规定，制定本办法。"
        "本办法适用于示例市各级机关的公务用车。",
        "第二条 公务用车实行编制管理。",
    ]
    assert {b.page for b in blocks} == {1}


def test_a_reference_to_an_article_inside_a_sentence_is_not_split() -> None:
    lines = _body([
        ("各部门应当按照本办法执行。违反本办法的，依照本办法", 2),
        ("第三条规定处理，并由上级机关责令改正，情节严重的依", 0),
        ("法给予处分。", 0),
    ])
    text = pages_to_blocks([OcrPage(1, W, H, lines)], name="x.pdf")[0].text
    assert "依照本办法第三条规定处理" in text


def test_two_columns_are_read_left_column_first_under_a_spanning_title() -> None:
    title = _line("示例市机关事务简报（第三期）", 350, 150)
    left = [_line(f"左栏第{i}行内容文字", 120, 260 + i * 50) for i in range(1, 7)]
    right = [_line(f"右栏第{i}行内容文字", 660, 260 + i * 50) for i in range(1, 7)]
    texts = [ln.text for ln in page_lines(OcrPage(1, W, H, [title, *right, *left]))]
    assert texts[0] == "示例市机关事务简报（第三期）"
    assert texts[1:7] == [ln.text for ln in left]
    assert texts[7:] == [ln.text for ln in right]


def test_boxes_on_one_row_are_joined_left_to_right() -> None:
    row = [_line("第十二条", 231, 300), _line("公务接待实行审批制度。", 231 + 4 * CHAR + 4, 302)]
    texts = [ln.text.strip() for ln in page_lines(OcrPage(1, W, H, list(reversed(row))))]
    assert texts == ["第十二条 公务接待实行审批制度。"]


def test_running_header_and_page_numbers_are_dropped() -> None:
    pages = []
    for n in range(1, 4):
        lines = [_line("示例市公务用车管理办法", 165, 80), _line(f"-{n}一", 590, 1660)]
        lines += _body([(f"第{'一二三'[n - 1]}条 正文内容在第{n}页。", 2)])
        pages.append(OcrPage(n, W, H, lines))
    running = running_texts(pages)
    texts = [ln.text.strip() for p in pages for ln in page_lines(p, running)]
    assert texts == ["第一条 正文内容在第1页。", "第二条 正文内容在第2页。", "第三条 正文内容在第3页。"]


def test_a_paragraph_continues_across_a_page_break() -> None:
    first = OcrPage(1, W, H, _body([("第一条 公务用车应当在定点维修厂维修，单次维修费用超", 2),
                                    ("过八千元的，应当报市机关事务管理局审批，并在每季度", 0)]))
    second = OcrPage(2, W, H, _body([("公开一次。", 0), ("第二条 本办法自发布之日起施行。", 2)]))
    paragraphs = join_lines(page_lines(first) + page_lines(second))
    assert paragraphs[0].text.endswith("并在每季度公开一次。")
    assert paragraphs[0].page == 1
    assert paragraphs[1].page == 2


def test_red_seal_fades_and_black_text_stays() -> None:
    image = np.full((200, 200, 3), 250, dtype=np.uint8)
    image[50:60, 20:180] = (200, 30, 30)  # seal ink
    image[100:110, 20:180] = (20, 20, 20)  # text
    image[55:105, 90:95] = (20, 15, 15)  # text under the seal stays dark
    out = prepare_image(image)
    assert out[55, 30].min() > 180
    assert out[105, 30].max() < 60
    assert out[80, 92].max() < 60


def test_grey_scan_is_left_as_it_is() -> None:
    image = np.full((100, 100), 240, dtype=np.uint8)
    image[40:50] = 10
    out = prepare_image(image)
    assert out.shape == (100, 100, 3)
    assert (out[:, :, 0] == image).all()


def test_cache_round_trip_is_keyed_by_file_page_and_engine(tmp_path: Path) -> None:
    cache = OcrCache(tmp_path)
    page = OcrPage(2, W, H, [OcrLine("第一条 测试", 1.0, 2.0, 3.0, 4.0, 0.98)])
    cache.put("abc", page)
    assert cache.get("abc", 2) == page
    assert cache.get("abc", 1) is None
    assert cache.get("other", 2) is None
    assert ENGINE_VERSION.startswith("rapidocr")
    assert "lines TEXT" in (tmp_path / "ocr_cache.sqlite").read_bytes().decode("latin-1")


def test_blank_page_is_told_apart_from_a_page_with_a_little_text() -> None:
    rng = np.random.default_rng(1)
    paper = np.clip(rng.normal(235, 10, (400, 300, 3)), 0, 255).astype(np.uint8)
    assert is_blank(paper)
    written = paper.copy()
    written[200:215, 40:160] = 30  # one short line of text
    assert not is_blank(written)


def test_a_two_column_table_is_read_row_by_row() -> None:
    rows = [("项目", "2025年预算"), ("公务用车运行费", "120万元"), ("公务接待费", "35万元"),
            ("办公用房维修费", "300万元"), ("会议费", "18万元"), ("培训费", "22万元")]
    lines = []
    for i, (label, value) in enumerate(rows):
        lines += [_line(label, 165, 300 + 60 * i), _line(value, 760, 300 + 60 * i)]
    texts = [ln.text for ln in page_lines(OcrPage(1, W, H, lines))]
    assert texts[1] == "公务用车运行费 120万元"
