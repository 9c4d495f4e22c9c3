"""Detect title, issuer, year, date, 文号 and type of a document from its text.

Every field is a best guess the user can correct later; an unknown field is "" (or None).
"""

from __future__ import annotations

import re
from pathlib import Path

from index.models import ParsedFile, StructuredBlock
from index.structure import ARTICLE_RE, heading_level

_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO_RE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DOC_NUMBER_RE = re.compile(
    # An order of promulgation (国务院令第621号, 示例市人民政府令第18号), starting after a date's 日
    # or where no other Chinese text runs into it; or a 文号 such as 示机管〔2025〕7号.
    r"(?:(?:(?<=\d日)|(?<![\u4e00-\u9fa5\d]))[\u4e00-\u9fa5]{2,20}?令第\d+号"
    r"|[\u4e00-\u9fa5]{1,12}[〔［\[【(（]\d{4}[〕］\]】)）]\s*\d+\s*号)"
)
_ORG_SUFFIX = r"(?:局|委员会|委|厅|办公室|办公厅|政府|中心|部|署|院|会|处|所|办|组|队|司|行|指挥部)"
_ISSUER_FROM_TITLE = re.compile(rf"^(.{{2,30}}?{_ORG_SUFFIX})(?:关于|\d{{4}}\s*年|印发|通告|公告)")
_PROMULGATION = re.compile(r"公布|发布|修订|修正")
_ADOPTION = re.compile(r"通过|批准")
_HEADLINE_MAX_CHARS = 60
_ISSUER_ONLY = re.compile(rf"^.{{2,20}}{_ORG_SUFFIX}$")
_JOINT_NOTICE = re.compile(
    r"^[^。！？]{2,120}?关于[^。！？]{2,100}?的(?:紧急)?(?:通知|通告|公告|意见|决定|批复|函|办法|方案|指南)"
)
_GENERIC_TITLES = re.compile(r"^(?:.{0,4}(?:报告|总结|通知|公告|通告|意见|方案|计划))$")
_HEADER_KEYS = {
    "issuer": ("发布单位", "发文机关", "发文单位", "发布机构", "发文机构"),
    "publish_date": ("发布日期", "成文日期", "发文日期"),
    "doc_number": ("文号", "发文字号"),
    "title": ("标题", "名称"),
}
_REGULATION = re.compile(r"条例|办法|规定|细则|规则|章程|法$|法》")
_REPORT = re.compile(r"报告|总结")
_PLAN = re.compile(r"计划|规划|方案|要点")


def detect_metadata(parsed: ParsedFile, blocks: list[StructuredBlock]) -> dict:
    """Best-guess document metadata: title, issuer, year, publish_date, doc_number, doc_type."""
    header = _header(parsed.header_fields or _leading_table_fields(blocks))
    title = header.get("title") or detect_title(parsed, blocks)
    preamble = _preamble(blocks)
    publish_date = _iso(header.get("publish_date", "")) or _publish_date(preamble, blocks)
    return {
        "title": title,
        "issuer": re.sub(r"\s+", " ", header.get("issuer") or _issuer(title, preamble, blocks)),
        "year": _year(title, blocks, publish_date),
        "publish_date": publish_date,
        "doc_number": header.get("doc_number") or _doc_number(title, preamble, publish_date),
        "doc_type": detect_doc_type(title, blocks),
    }


def _header(fields: dict[str, str]) -> dict[str, str]:
    """Map header-table fields (keys may contain spaces: "文 号") to our field names."""
    compact = {re.sub(r"\s+", "", k): v.strip() for k, v in fields.items() if v and v.strip()}
    out: dict[str, str] = {}
    for name, keys in _HEADER_KEYS.items():
        value = next((compact[k] for k in keys if k in compact), "")
        if value:
            out[name] = value
    return out


def _leading_table_fields(blocks: list[StructuredBlock]) -> dict[str, str]:
    """索引号/发布单位 rows left in the body when no loader split them off: key | value | …"""
    fields: dict[str, str] = {}
    for b in blocks[:6]:
        if b.kind != "table":
            break
        cells = [c.strip() for c in b.text.split("|")]
        fields.update({k: v for k, v in zip(cells[::2], cells[1::2], strict=False) if k})
    return fields


def detect_title(parsed: ParsedFile, blocks: list[StructuredBlock]) -> str:
    """Document title; the file name stem when the text only offers a generic word."""
    title = next(
        (
            b.text
            for b in blocks
            if b.kind == "heading" and not b.heading_path and heading_level(b.text) is None
        ),
        "",
    )
    stem = clean_stem(parsed.path)
    informative_stem = len(re.findall(r"[\u4e00-\u9fa5]", stem)) >= 4
    if informative_stem and (not title or (_GENERIC_TITLES.match(title) and title in stem)):
        return stem
    title = _joint_title(title.strip().lstrip("#").strip(), blocks)
    return title or (stem if informative_stem else _leading_clause(blocks))


def _joint_title(title: str, blocks: list[StructuredBlock]) -> str:
    """"交通运输部" + "国家发展改革委 … 关于…的通知": a joint notice whose first issuer was
    taken for the whole title."""
    if not _ISSUER_ONLY.match(title):
        return title
    body = next((b.text for b in blocks if b.kind != "heading" and b.text.strip()), "")
    joint = _JOINT_NOTICE.match(f"{title} {body}")
    return re.sub(r"\s+", " ", joint.group(0)) if joint else title


def _leading_clause(blocks: list[StructuredBlock]) -> str:
    """For untitled text named by an id: its headline, else its opening clause.

    Flattened news and notices put the headline first, ended by a space ("湖北黄冈：新冠肺炎重症
    患者一人一诊疗方案 新华社武汉…"); a joint notice opens with its issuers separated by spaces,
    then "关于…的通知".
    """
    first = next((b.text.strip() for b in blocks if b.text.strip()), "")
    headline = re.split(r"\s", first, maxsplit=1)[0]
    joint = _JOINT_NOTICE.match(first)
    if joint and _ISSUER_ONLY.match(headline):
        return re.sub(r"\s+", " ", joint.group(0))
    if 4 <= len(headline) <= _HEADLINE_MAX_CHARS:
        return headline
    clause = re.split(r"[。！？；，,:：\s]", first, maxsplit=1)[0]
    return (clause if len(clause) >= 4 else first)[:40]


def clean_stem(path: Path) -> str:
    """File name without extension, numeric id prefix ("2012_") or date suffix ("(2012-06-28)")."""
    stem = re.sub(r"^\d+[_\-\s]+", "", path.stem)
    return re.sub(r"[（(]\d{4}-\d{2}-\d{2}[)）]$", "", stem).strip()


def _preamble(blocks: list[StructuredBlock]) -> list[str]:
    """Body lines before the first article or numbered heading (promulgation lines, 文号)."""
    out: list[str] = []
    for b in blocks:
        if b.kind in ("article", "point") or (b.kind == "heading" and b.heading_path):
            break
        out.append(b.text)
    return out[:8]


def _iso(text: str) -> str:
    m = _DATE_RE.search(text) or _ISO_RE.search(text)
    return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}" if m else ""


def _publish_date(preamble: list[str], blocks: list[StructuredBlock]) -> str:
    """Latest 公布/修订 date among the promulgation lines, else a date line near the end."""
    dated = [line for line in preamble if _DATE_RE.match(line)]
    for pattern in (_PROMULGATION, _ADOPTION):
        dates = sorted(_iso(line) for line in dated if pattern.search(line))
        if dates:
            return dates[-1]
    for b in reversed(blocks[-6:]):
        m = re.search(rf"{_DATE_RE.pattern}\s*$", b.text)
        if m:
            return _iso(m.group(0))
    return ""


def _issuer(title: str, preamble: list[str], blocks: list[StructuredBlock]) -> str:
    """Issuer from the title, a promulgation line, or the signature above a closing date."""
    m = _ISSUER_FROM_TITLE.match(title)
    if m:
        return m.group(1)
    for line in preamble:
        issuer = _issuer_from_promulgation(line)
        if issuer:
            return issuer
    return _signature(blocks)


def _issuer_from_promulgation(line: str) -> str:
    if not _DATE_RE.match(line) or not _PROMULGATION.search(line):
        return ""
    m = re.search(r"(?:中华人民共和国)?(\S+?)令第\d+号", line)
    if m:
        return m.group(1)
    m = re.search(r"(全国人民代表大会(?:常务委员会)?)", line)
    if m:
        return m.group(1)
    m = re.search(rf"{_DATE_RE.pattern}\s*(\S{{2,20}}?)(?:发布|公布)", line)
    return m.group(4) if m else ""


def _signature(blocks: list[StructuredBlock]) -> str:
    """'某某局' on the line before (or in front of) a closing date line."""
    tail = [b.text.strip() for b in blocks[-6:]]
    for i in range(len(tail) - 1, -1, -1):
        m = re.fullmatch(rf"(.{{0,30}}?)\s*{_DATE_RE.pattern}", tail[i])
        if not m:
            continue
        name = m.group(1).strip() or (tail[i - 1] if i > 0 else "")
        if 2 <= len(name) <= 30 and not re.search(r"[。，,；;：:]", name):
            return name
    return ""


def _year(title: str, blocks: list[StructuredBlock], publish_date: str) -> int | None:
    """Year covered: from the title, else the opening "2019年," of the text, else publication."""
    m = re.search(r"(\d{4})\s*年", title)
    if m:
        return int(m.group(1))
    for b in blocks[:4]:
        m = re.match(r"(\d{4})\s*年(?:度)?[,，]", b.text)
        if m:
            return int(m.group(1))
    return int(publish_date[:4]) if publish_date else None


def _doc_number(title: str, preamble: list[str], publish_date: str) -> str:
    """文号 from the title or the opening lines; for regulations the 国务院令 of promulgation."""
    # The promulgation line of the current version comes first (a revision has its own 令).
    current = [line for line in preamble if publish_date and _iso(line) == publish_date]
    for text in (title, *current, *preamble):
        m = _DOC_NUMBER_RE.search(text)
        if m:
            return re.sub(r"\s+|^中华人民共和国", "", m.group(0))
    return ""


def detect_doc_type(title: str, blocks: list[StructuredBlock]) -> str:
    """regulation / report / plan / other, from the title or the article structure."""
    head = re.sub(r"\s+", "", title)
    for doc_type, pattern in (("report", _REPORT), ("plan", _PLAN)):
        if re.search(rf"(?:{pattern.pattern})$", head):
            return doc_type
    if _REGULATION.search(head):
        return "regulation"
    n_articles = sum(1 for b in blocks if b.kind == "article" and ARTICLE_RE.match(b.text))
    if n_articles >= 3:
        return "regulation"
    for doc_type, pattern in (("report", _REPORT), ("plan", _PLAN)):
        if pattern.search(head):
            return doc_type
    return "other"
