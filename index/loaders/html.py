"""Web pages saved from a government site (.html/.htm/.mhtml) → the article only, with its metadata.

trafilatura (offline, lxml-based) finds the article and drops navigation, breadcrumbs, share
buttons, related links and the footer. The page title and the 发布时间/来源 line become
header fields (标题/发布日期/发布单位), read by index.metadata like a 索引号 table.
"""

from __future__ import annotations

import email
import email.policy
import functools
import re
from configparser import ConfigParser
from email.message import EmailMessage
from pathlib import Path

import lxml.html
import trafilatura
from trafilatura.settings import use_config

from index.encoding import decode_text
from index.loaders.header_table import KNOWN_KEYS, MIN_KNOWN_KEYS, parse_header_row
from index.loaders.text import markdown_blocks
from index.models import Block, LoadError, ParsedFile

_META_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_GB_FAMILY = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "gb18030", "euc-cn", "hz-gb-2312"}
_DATE = r"(\d{4}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}\s*日?)"
_DATE_LINE = re.compile(rf"(?:发布时间|发布日期|发文日期|成文日期|日期|时间)\s*[:：]\s*{_DATE}")
_SOURCE_LINE = re.compile(r"(?:信息来源|来源|发布机构|发布单位)\s*[:：]\s*([^\s|｜<>，,。:：]{2,40})")
# Page furniture that sits inside the article container on many government sites.
_FURNITURE = re.compile(
    r"^[【\[]?\s*(?:字体|字号)\s*[:：]|打印本页|关闭窗口|^[【\[]?\s*(?:打印|关闭|返回顶部)\s*[】\]]?$"
    r"|^分享到|^扫一扫|浏览次数|访问量|阅读次数|^上一篇|^下一篇|^责任编辑|^相关链接|^【.{1,6}】$"
)
_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜| - | — |--)\s*")
_TITLE_METAS = ("ArticleTitle", "og:title", "title")
_DATE_METAS = ("PubDate", "pubdate", "publishdate", "article:published_time", "firstpublishedtime")
_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5",
               "h6", "table", "section")  # fmt: skip
_MAX_INFO_LINE = 100  # longer lines are body text, not 索引号/文号 entries
_DATE_KEYS = ("发布日期", "发布时间", "成文日期", "发文日期", "公开日期")
_ISSUER_KEYS = ("发布单位", "发布机构", "发文机关", "发文单位", "发文机构", "信息来源", "来源")
_SOURCE_METAS = ("ContentSource", "source", "author")


def load_html(path: Path) -> ParsedFile:
    """Read a saved web page (.html/.htm, or .mht/.mhtml web archive) as its article."""
    return load_html_bytes(path.read_bytes(), path)


def load_html_bytes(raw: bytes, path: Path) -> ParsedFile:
    """The article of an HTML page or MHTML archive given as bytes; `path` names it in messages."""
    if raw.lstrip()[:200].lower().startswith(b"mime-version") or path.suffix.lower() in (
        ".mht",
        ".mhtml",
    ):
        raw, charset = mhtml_page(raw, path)
        html = decode_html(raw, path.name, declared=charset)
    else:
        html = decode_html(raw, path.name)
    return parse_html(html, path)


def parse_html(html: str, path: Path) -> ParsedFile:
    """Article blocks and header fields of a decoded page."""
    tree = _tree(html, path)
    fields = page_fields(tree)
    # trafilatura may keep the 信息公开 table (anywhere in the text): it is in the fields now.
    blocks = [b for b in _article_blocks(html, tree) if not _is_info_row(b)]
    title = fields.get("标题", "") or fields.get("名称", "")
    if title and not (blocks and _same(blocks[0].text, title)):
        blocks.insert(0, Block(title, style="title"))
    elif blocks and _same(blocks[0].text, title):
        blocks[0].style = "title"
    return ParsedFile(path=path, kind="html", blocks=blocks, header_fields=fields)


def decode_html(raw: bytes, filename: str, *, declared: str | None = None) -> str:
    """Decode by BOM, then the declared/meta charset (GB2312 read as GB18030), then detection."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            return raw[len(bom) :].decode(codec, errors="replace")
    charset = declared or _meta_charset(raw)
    if charset:
        codec = "gb18030" if charset.lower() in _GB_FAMILY else charset
        try:
            return raw.decode(codec)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; detection below decides
    return decode_text(raw, filename)[0]


def mhtml_page(raw: bytes, path: Path) -> tuple[bytes, str | None]:
    """The first text/html part of a web archive and its declared charset."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                return payload, _part_charset(part)
    raise LoadError(f"网页存档“{path.name}”中没有找到网页正文（text/html 部分），无法读取。")


def page_fields(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """标题/发布日期/发布单位 (and 文号, 索引号 … from a 信息公开 table) for index.metadata.

    Sources, best first: the page's 索引号/发布机构/文号 table, the meta tags government sites
    carry (ArticleTitle, PubDate, ContentSource), the <h1>/<title>, the 发布时间/来源 line.
    """
    metas = {
        (m.get("name") or m.get("property") or "").strip(): (m.get("content") or "").strip()
        for m in tree.iter("meta")
    }
    title = _first(metas, _TITLE_METAS) or _page_title(tree)
    tables = info_table_fields(tree)
    lines = _visible_lines(tree)[:120]
    info = tables or info_list_fields(lines)
    page_text = " ".join(lines)
    fields = {"标题": title, **info}
    if not any(info.get(k) for k in _DATE_KEYS):
        fields["发布日期"] = _first(metas, _DATE_METAS) or _match(_DATE_LINE, page_text)
    if not any(info.get(k) for k in _ISSUER_KEYS):
        fields["发布单位"] = _first(metas, _SOURCE_METAS) or _match(_SOURCE_LINE, page_text)
    return {key: value for key, value in fields.items() if value}


def info_table_fields(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """Label/value cells of the 信息公开 table (索引号、发布机构、文号、成文日期 …), if the page has one."""
    fields: dict[str, str] = {}
    for row in tree.iter("tr"):
        # "文号：" | "示机管〔2025〕3号": the label's colon would read as an empty inline value.
        cells = [" ".join(c.text_content().split()).rstrip("：:") for c in row if c.tag in ("td", "th")]
        pairs = parse_header_row(Block(" | ".join(cells), style="table")) if len(cells) >= 2 else None
        for key, value in (pairs or {}).items():
            if value and key in KNOWN_KEYS:
                fields.setdefault(key, value)
    return fields if len(fields) >= MIN_KNOWN_KEYS else {}


def _article_blocks(html: str, tree: lxml.html.HtmlElement) -> list[Block]:
    markdown = trafilatura.extract(
        html, output_format="markdown", include_tables=True, include_links=False,
        include_images=False, include_comments=False, deduplicate=False, config=_config(),
    )  # fmt: skip
    lines = markdown.splitlines() if markdown else _visible_lines(tree)
    kept = [line.strip() for line in lines if not _is_furniture(line.strip())]
    return markdown_blocks(kept)


def info_list_fields(lines: list[str]) -> dict[str, str]:
    """The same fields written as lines ("文号：示机管〔2025〕3号", or "文号：" above its value)."""
    fields: dict[str, str] = {}
    for i, line in enumerate(lines):
        if len(line) > _MAX_INFO_LINE:
            continue
        pairs = parse_header_row(Block(line)) or {}
        for key, value in pairs.items():
            if not value and i + 1 < len(lines) and not parse_header_row(Block(lines[i + 1])):
                value = lines[i + 1]
            # A value holding another "标签：" ran into a label we do not know (浏览次数：…).
            if key in KNOWN_KEYS and value and not re.search(r"[:：]", value):
                fields.setdefault(key, value)
    return fields if len(fields) >= MIN_KNOWN_KEYS else {}


@functools.cache
def _config() -> ConfigParser:
    # A notice of three short articles is a whole article: trafilatura's defaults (250 and 1
    # characters) would drop it and leave us the whole page, navigation included.
    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "20")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "10")
    return config


def _is_info_row(block: Block) -> bool:
    """A table row made only of 索引号/文号/发布机构 … labels and their values."""
    if block.style != "table":
        return False
    cells = [cell.strip().rstrip("：:") for cell in block.text.split("|")]
    pairs = parse_header_row(Block(" | ".join(cells), style="table")) or {}
    return bool(pairs) and all(key in KNOWN_KEYS for key in pairs)


def _is_furniture(line: str) -> bool:
    """Share/print/font-size buttons, view counters and the 发布时间/来源 line (now metadata)."""
    if _FURNITURE.search(line):
        return True
    return len(line) < 120 and bool(_DATE_LINE.search(line)) and bool(_SOURCE_LINE.search(line))


def _tree(html: str, path: Path) -> lxml.html.HtmlElement:
    try:
        # lxml refuses str input that declares an encoding; the text is decoded already.
        return lxml.html.document_fromstring(re.sub(r"^\s*<\?xml[^>]*>", "", html))
    except (ValueError, lxml.etree.ParserError) as exc:
        raise LoadError(f"网页“{path.name}”无法解析（{exc}），无法读取。") from exc


def _visible_lines(tree: lxml.html.HtmlElement) -> list[str]:
    body = tree.find("body")
    root = body if body is not None else tree
    for bad in root.xpath(".//script|.//style|.//noscript|.//nav|.//header|.//footer"):
        bad.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):  # text_content() would run paragraphs together
        element.tail = "\n" + (element.tail or "")
    text = root.text_content()
    return [line.strip() for line in text.splitlines() if line.strip()]


def _page_title(tree: lxml.html.HtmlElement) -> str:
    h1 = tree.find(".//h1")
    if h1 is not None and len(h1.text_content().strip()) >= 4:
        return " ".join(h1.text_content().split())
    title = tree.findtext(".//title") or ""
    # "关于…的通知_通知公告_示例市机关事务管理局": the article title comes first.
    parts = [p for p in _TITLE_SEPARATORS.split(title.strip()) if p]
    return parts[0] if parts and len(parts[0]) >= 4 else title.strip()


def _first(metas: dict[str, str], names: tuple[str, ...]) -> str:
    lowered = {k.lower(): v for k, v in metas.items()}
    return next((lowered[n.lower()] for n in names if lowered.get(n.lower())), "")


def _match(pattern: re.Pattern[str], text: str) -> str:
    m = pattern.search(text)
    return re.sub(r"\s+", "", m.group(1)) if m else ""


def _meta_charset(raw: bytes) -> str | None:
    m = _META_CHARSET.search(raw[:4096])
    return m.group(1).decode("ascii").strip(".:-") if m else None


def _part_charset(part: EmailMessage) -> str | None:
    charset = part.get_content_charset()
    return charset or _meta_charset(part.get_payload(decode=True) or b"")  # type: ignore[arg-type]


def _same(a: str, b: str) -> bool:
    return re.sub(r"\s+", "", a) == re.sub(r"\s+", "", b)
