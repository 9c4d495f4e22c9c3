"""decode_text: BOMs, strict UTF-8, GBK/GB18030, and rejection of binary or mangled bytes."""

from __future__ import annotations

import pytest

from index.encoding import decode_text, looks_like_text
from index.models import LoadError

NOTICE = "关于做好2025年度办公用房清理工作的通知（示例）\n各有关单位：现将有关事项通知如下。\n"


@pytest.mark.parametrize(
    ("codec", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("gbk", "gbk"),
    ],
)
def test_decodes_common_encodings(codec: str, expected: str) -> None:
    text, encoding = decode_text(NOTICE.encode(codec), "通知.txt")
    assert text == NOTICE
    assert encoding == expected


def test_gb18030_only_characters_are_decoded() -> None:
    # U+20000 and the euro sign exist in GB18030 but not in GBK.
    original = "𠀀字与€符号（示例）"
    text, encoding = decode_text(original.encode("gb18030"), "a.txt")
    assert (text, encoding) == (original, "gb18030")


def test_gbk_file_fixture_is_detected(fixtures_dir) -> None:
    data = (fixtures_dir / "示例通知_gbk.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the fixture really is not UTF-8
    text, encoding = decode_text(data, "示例通知_gbk.txt")
    assert encoding == "gbk"
    assert "节能宣传周" in text


def test_binary_bytes_are_rejected_with_the_file_name() -> None:
    data = bytes(range(256)) * 8
    with pytest.raises(LoadError, match="图片.txt"):
        decode_text(data, "图片.txt")


def test_utf8_text_full_of_control_characters_is_rejected() -> None:
    data = ("正文" + "\x00\x01\x02" * 20).encode("utf-8")
    with pytest.raises(LoadError, match="编码"):
        decode_text(data, "x.txt")


def test_looks_like_text_tolerates_tabs_and_form_feeds() -> None:
    assert looks_like_text("第一页\f第二页\t表格\r\n")
    assert not looks_like_text("乱码\ufffd\ufffd\ufffd")
