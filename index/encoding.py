"""Turn the bytes of a text file into str: UTF-8 (with or without BOM), UTF-16 with BOM, GBK/GB18030.

Government text files are often GBK, so strict UTF-8 is tried first, then the Chinese codecs;
charset-normalizer is only a last resort because it guesses wrong on short Chinese texts.
"""

from __future__ import annotations

import codecs
import unicodedata

from index.models import LoadError

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# GBK first so a plain GBK file is reported as such; GB18030 covers the rarer characters.
_STRICT_CODECS = ("utf-8", "gbk", "gb18030")
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
# Share of control or replacement characters above which the "text" is deemed binary or mangled.
MAX_BAD_SHARE = 0.01


def decode_text(data: bytes, filename: str) -> tuple[str, str]:
    """Decode a text file's bytes; returns (text, encoding name) or raises LoadError naming the file."""
    for text, encoding in _candidates(data):
        if looks_like_text(text):
            return text, encoding
    raise LoadError(
        f"无法识别文件“{filename}”的文字编码，或该文件不是文本文件"
        "（支持 UTF-8、GBK/GB18030、UTF-16 编码）。请另存为 UTF-8 编码后重试。"
    )


def looks_like_text(text: str) -> bool:
    """False when too many characters are control codes or U+FFFD (binary or mis-decoded data)."""
    if not text:
        return True
    bad = sum(1 for ch in text if _is_bad_char(ch))
    return bad <= MAX_BAD_SHARE * len(text)


def _is_bad_char(ch: str) -> bool:
    if ch == "\ufffd":
        return True
    return unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS


def _candidates(data: bytes):
    """Yield (text, encoding) decodings in order of trust: BOM, strict codecs, then a guess."""
    bom_decoding = _decode_with_bom(data)
    if bom_decoding is not None:
        yield bom_decoding
        return
    for encoding in _STRICT_CODECS:
        try:
            yield data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    guessed = _guess(data)
    if guessed is not None:
        yield guessed


def _decode_with_bom(data: bytes) -> tuple[str, str] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                return None
    return None


def _guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    return str(best), best.encoding
