"""Version facts of a regulation: when it was adopted, amended, promulgated, put in force.

A regulation's text opens with its history ("1983年12月8日…通过", "…第一次修正", "…修订",
"…国务院令第406号公布"), often ends with "本法自…起施行", and a replacing regulation may say
"…《某条例》同时废止". These facts are read once at ingest into `DocumentMeta` (persisted as
JSON in the snapshot) and can be corrected by the user. Documents whose normalised titles agree
form a version group (see `index.version_groups`).

Public API:
    normalise_title(title) -> str              key shared by all versions of one regulation
    VersionFacts                               adopted / revisions / promulgated / effective / repeals
    parse_version_facts(blocks_or_text, meta)  facts from the text (history, final article)
    facts_of(doc) / with_facts(doc, facts)     read / write the facts on a DocumentMeta
    version_label(doc) -> "（2024年修正）"      how a citation names the version
    question_date(question) -> date | None     "2020年时《统计法》…" -> 2020-12-31
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from index.models import DocumentMeta, StructuredBlock

RevisionKind = Literal["修正", "修订"]
FactsSource = Literal["history", "document", "user"]

# DocumentMeta fields holding version facts that the user may correct.
VERSION_FIELDS = (
    "adopted", "revisions", "promulgated", "effective", "repeals", "repealed", "version_group"
)

_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# History lines come before the first article; a combined line "（…通过 根据…修正 …修订）" is
# split at each date, and each piece is classified by the verb after its date.
_HISTORY_VERBS = re.compile(r"通过|批准|公布|发布|修正|修订|施行")
_HISTORY_MAX_LINES = 16
_FINAL_EFFECTIVE = re.compile(
    rf"本(?:法|条例|办法|规定|细则|规则|决定|准则|章程)[^。；]{{0,20}}?自\s*({_DATE.pattern})\s*起施行"
)
_REPEALS_SENTENCE = re.compile(r"[^。；]*同时废止")
_BOOK = re.compile(r"《([^》]+)》")

# What a user or a file name adds to a title without changing which regulation it is.
_VERSION_SUFFIX = re.compile(
    r"(?:[（(][^（）()]*[）)]|[_\-][A-Za-z0-9]{1,3}|[_\-]?\d{4}(?:-\d{1,2}){0,2}"
    r"|修正文本|修订文本|修正版|修订版|修正本|修订本|最新版|全文)$"
)
_QUOTES = re.compile(r"[《》〈〉<>“”\"'‘’「」『』\s]")
_NATIONAL = re.compile(r"^中华人民共和国")

# "2020年时", "2020年6月1日的时候", "在2019年…", "截至2016年底": the date the question is about.
_QUESTION_DATE = re.compile(
    r"(?:(?:在|截至|截止|到|于)\s*)?(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?"
    r"(?:底|末)?\s*(?:时|的时候|当时|那时|期间|时候|施行的|有效的)"
)
_QUESTION_DATE_PREFIX = re.compile(
    r"(?:在|截至|截止|于)\s*(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?(?:底|末)?\s*[，,]?\s*《"
)


@dataclass
class VersionFacts:
    """Dates of one version of a regulation; ISO yyyy-mm-dd strings, "" when unknown."""

    adopted: str = ""  # 通过 / 批准 of the original text
    amendments: list[tuple[str, RevisionKind]] = field(default_factory=list)  # oldest first
    promulgated: str = ""  # 公布 / 发布 (of the original text, or as the document says)
    effective: str = ""  # 施行, as stated (history line or final article)
    repeals: list[str] = field(default_factory=list)  # titles this text says it repeals
    source_of_dates: FactsSource = "history"
    note: str = ""  # shown to the user, e.g. why the document's own date was used

    @property
    def version_date(self) -> str:
        """Date of this version's text: its latest revision, else adoption / promulgation."""
        if self.amendments:
            return max(d for d, _ in self.amendments)
        return max(self.promulgated, self.adopted)

    @property
    def in_force_from(self) -> str:
        """When this version took (or takes) effect: a stated later 施行 date, else its date."""
        own = self.version_date
        if self.effective and (not own or self.effective >= own):
            return self.effective
        return own or self.effective

    @property
    def latest_kind(self) -> str:
        """修正 / 修订 of the latest revision, "" for an original text."""
        return max(self.amendments)[1] if self.amendments else ""


def normalise_title(title: str) -> str:
    """Key shared by every version of one regulation.

    "中华人民共和国" is optional, quotes and spaces are ignored, and version suffixes such as
    （2024年修正）, (2019-10-22) or a file-name tail _a are dropped.
    """
    text = unicodedata.normalize("NFKC", title or "")
    text = _QUOTES.sub("", text)
    previous = None
    while previous != text:
        previous = text
        text = _VERSION_SUFFIX.sub("", text)
    return _NATIONAL.sub("", text)


def parse_version_facts(
    blocks_or_text: Iterable[StructuredBlock] | str, meta: Mapping[str, Any] | DocumentMeta | None
) -> VersionFacts:
    """Version facts from a document's history lines and final article.

    Without history lines the document's own dates (`meta["publish_date"]`) are used and
    `note` says so.
    """
    lines = _lines(blocks_or_text)
    history = _history_lines(lines)
    facts = VersionFacts()
    for when, verb in _history_events(history):
        _record(facts, when, verb)
    body = "\n".join(lines[-12:])
    stated = _FINAL_EFFECTIVE.search(body)
    if stated and not facts.effective:
        facts.effective = _iso(stated.group(1))
    facts.repeals = _repeals(body)
    if not (facts.adopted or facts.promulgated or facts.amendments):
        _fall_back_to_document(facts, meta)
    return facts


def facts_of(doc: DocumentMeta) -> VersionFacts:
    """The version facts stored on a document."""
    amendments: list[tuple[str, RevisionKind]] = []
    for item in doc.revisions:
        parsed = parse_revision(item)
        if parsed:
            amendments.append(parsed)
    return VersionFacts(
        adopted=doc.adopted, amendments=sorted(amendments), promulgated=doc.promulgated,
        effective=doc.effective, repeals=list(doc.repeals),
        source_of_dates=doc.version_source or "document", note=doc.version_note,  # type: ignore[arg-type]
    )


def with_facts(doc: DocumentMeta, facts: VersionFacts) -> DocumentMeta:
    """A copy of `doc` carrying `facts` (fields the user corrected are kept)."""
    fields = facts_fields(facts)
    for name in doc.user_edited:
        fields.pop(name, None)
    return doc.model_copy(update=fields)


def facts_fields(facts: VersionFacts) -> dict[str, Any]:
    """DocumentMeta fields that hold `facts`."""
    return {
        "adopted": facts.adopted, "promulgated": facts.promulgated,
        "revisions": [f"{d} {k}" for d, k in facts.amendments], "effective": facts.effective,
        "repeals": list(facts.repeals), "version_source": facts.source_of_dates,
        "version_note": facts.note,
    }


def parse_revision(text: str) -> tuple[str, RevisionKind] | None:
    """"2024-09-13 修正" (or "2024年9月13日修订") -> ("2024-09-13", "修正")."""
    when = parse_date(text)
    if not when:
        return None
    kind: RevisionKind = "修订" if "修订" in text else "修正"
    return when, kind


def parse_date(text: str) -> str:
    """ISO date from "2024-09-13", "2024/9/13" or "2024年9月13日"; "" when none."""
    text = (text or "").strip()
    m = _DATE.search(text) or re.search(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", text)
    if not m:
        return ""
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return ""


def version_label(doc: DocumentMeta) -> str:
    """How a citation names the version: （2024年修正）, （2009年修订）, （2000年版）; "" if unknown."""
    if doc.doc_type != "regulation" or doc.version_source not in ("history", "user"):
        return ""
    facts = facts_of(doc)
    when = facts.version_date
    if not when:
        return ""
    return f"（{when[:4]}年{facts.latest_kind or '版'}）"


def question_date(question: str) -> date | None:
    """The date a question asks about ("2020年时《统计法》第七条…" -> 2020-12-31), else None.

    A year alone means its last day: the text in force during that year, as it stood at its end.
    """
    m = _QUESTION_DATE.search(question) or _QUESTION_DATE_PREFIX.search(question)
    if not m:
        return None
    year, month, day = int(m[1]), m[2], m[3]
    if not 1949 <= year <= 2100:
        return None
    try:
        if month is None:
            return date(year, 12, 31)
        if day is None:
            return _month_end(year, int(month))
        return date(year, int(month), int(day))
    except ValueError:
        return None


def to_date(iso: str) -> date | None:
    """date from an ISO string; None for "" or nonsense."""
    m = _ISO.match(iso or "")
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


# ----- internals ------------------------------------------------------------------------


def _lines(blocks_or_text: Iterable[StructuredBlock] | str) -> list[str]:
    if isinstance(blocks_or_text, str):
        return [line.strip() for line in blocks_or_text.splitlines() if line.strip()]
    return [b.text.strip() for b in blocks_or_text if b.text.strip()]


def _history_lines(lines: list[str]) -> list[str]:
    """Dated lines before the first article or chapter: the regulation's history."""
    out = []
    for line in lines[:_HISTORY_MAX_LINES]:
        if re.match(r"第[一二三四五六七八九十百零〇\d]+[条章编节]", line.lstrip("#（( ")):
            break
        if _DATE.search(line) and _HISTORY_VERBS.search(line):
            out.append(line)
    return out


def _history_events(history: list[str]) -> list[tuple[str, str]]:
    """(date, verb) for each date in the history, the verb being the first one after it."""
    events = []
    for line in history:
        matches = list(_DATE.finditer(line))
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
            verb = _verb(line[m.end() : end])
            if verb:
                events.append((_iso(m.group(0)), verb))
    return events


def _verb(piece: str) -> str:
    """修订 / 修正 / 施行 / 公布 / 通过 named in one history piece ("…决定》第一次修正")."""
    for verb, pattern in (
        ("修订", r"修订"), ("修正", r"修正|修改"), ("施行", r"施行"),
        ("公布", r"公布|发布"), ("通过", r"通过|批准"),
    ):
        if re.search(pattern, piece):
            return verb
    return ""


def _record(facts: VersionFacts, when: str, verb: str) -> None:
    if verb in ("修正", "修订"):
        if when != facts.adopted and when not in {d for d, _ in facts.amendments}:
            facts.amendments.append((when, verb))  # type: ignore[arg-type]
            facts.amendments.sort()
    elif verb == "施行":
        facts.effective = facts.effective or when
    elif verb == "公布":
        facts.promulgated = facts.promulgated or when
    elif not facts.adopted:
        facts.adopted = when


def _repeals(tail: str) -> list[str]:
    """Titles named in a "…同时废止" sentence near the end of the text."""
    titles: list[str] = []
    for sentence in _REPEALS_SENTENCE.findall(tail):
        titles.extend(t for t in _BOOK.findall(sentence) if t not in titles)
    return titles


def _fall_back_to_document(facts: VersionFacts, meta: Mapping[str, Any] | DocumentMeta | None) -> None:
    published = _meta_get(meta, "publish_date") or _meta_get(meta, "filename")
    facts.source_of_dates = "document"
    facts.promulgated = published
    if published:
        facts.note = f"未找到修订历史，版本日期按文档自身的日期（发布日期或文件名）{published}"
    else:
        facts.note = "未找到修订历史或发布日期，无法判断版本先后，请在元数据中补充"


def _meta_get(meta: Mapping[str, Any] | DocumentMeta | None, key: str) -> str:
    if meta is None:
        return ""
    value = meta.get(key) if isinstance(meta, Mapping) else getattr(meta, key, "")
    return parse_date(str(value or ""))


def _iso(text: str) -> str:
    return parse_date(text)


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date.fromordinal(date(year, month + 1, 1).toordinal() - 1)
