"""Version groups: which document is the version of a regulation in force on a given date.

Documents with the same normalised title (or the same user-set `version_group`) are versions of
one regulation, ordered by their latest revision. On any date exactly one version of a group is
searched: the one in force then; if none is, the first to take effect after that date (a date
before every version), and none once the group has been repealed. Two versions with the same
date are flagged, and only the later-ingested one is searched: never a silent mix.

Public API:
    group_key(doc) -> str                          "" for documents that are not versioned
    version_groups(docs) -> {key: [doc, …]}        oldest version first
    in_force(group, on, docs=None) -> doc | None   the version in force on `on`
    status_of(doc, docs, today) -> VersionStatus   现行有效 / 已被修订（现行版本：…）/ 已废止 / 尚未施行
    statuses(docs, today) -> {doc_id: VersionStatus}
    excluded_doc_ids(docs, on) -> set[str]         versions not to be searched on `on`
    excluded_in(documents, on) -> set[str]         the same, remembered for a snapshot's map
    other_versions(doc, docs) -> [doc, …]          the rest of its group, oldest first
    article_wordings(doc, article, documents, blocks)  the article's other wordings
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from index.models import DocumentMeta, StructuredBlock
from index.structure import parse_article_number
from index.versions import facts_of, normalise_title, to_date, version_label

StatusKind = Literal["current", "superseded", "repealed", "pending", "duplicate", "none"]

# A notice or decision *about* a regulation (关于贯彻实施《…法》的通知, 国务院关于修改…的决定)
# must never join that regulation's group.
_NOT_A_VERSION = re.compile(
    r"^关于|《|的(?:通知|决定|意见|公告|通告|批复|函|说明|解读|报告)$|(?:通知|解读|说明|释义)$"
)


@dataclass(frozen=True)
class VersionStatus:
    """A document's standing on a date, as the document list shows it."""

    kind: StatusKind
    label: str  # "" when the document is not a versioned regulation
    current: DocumentMeta | None = None  # the version in force, when it is another one
    note: str = ""


def group_key(doc: DocumentMeta) -> str:
    """Key of the document's version group; "" when it is not a versioned regulation."""
    if doc.version_group:
        return "" if doc.version_group == "-" else normalise_title(doc.version_group)
    if doc.doc_type != "regulation" or _NOT_A_VERSION.search(doc.title.strip()):
        return ""
    return normalise_title(doc.title)


def version_groups(docs: Iterable[DocumentMeta]) -> dict[str, list[DocumentMeta]]:
    """Versioned documents by group key, each group ordered oldest version first."""
    groups: dict[str, list[DocumentMeta]] = {}
    for doc in docs:
        key = group_key(doc)
        if key:
            groups.setdefault(key, []).append(doc)
    return {key: sorted(group, key=_order) for key, group in groups.items()}


def in_force(
    group: list[DocumentMeta], on: date, docs: Iterable[DocumentMeta] | None = None
) -> DocumentMeta | None:
    """The version of `group` in force on `on` (repeals read from `docs`); None if none is."""
    return _in_force(group, on, _repeal_dates(docs if docs is not None else group))


def _in_force(
    group: list[DocumentMeta], on: date, repeals: dict[str, tuple[date, str]]
) -> DocumentMeta | None:
    chosen = None
    for doc in sorted(group, key=_order):
        start = _start(doc)
        if (start is None or start <= on) and not _repealed_by(doc, repeals, on):
            chosen = doc
    return chosen


def status_of(doc: DocumentMeta, docs: Iterable[DocumentMeta], today: date) -> VersionStatus:
    """现行有效 / 已被修订（现行版本：…）/ 已废止 / 尚未施行 of `doc` on `today`."""
    all_docs = list(docs)
    if all(d.doc_id != doc.doc_id for d in all_docs):
        all_docs.append(doc)
    return statuses(all_docs, today)[doc.doc_id]


def statuses(docs: Iterable[DocumentMeta], today: date) -> dict[str, VersionStatus]:
    """status_of for every document at once (groups and repeals are worked out once)."""
    all_docs = list(docs)
    groups = version_groups(all_docs)
    repeals = _repeal_dates(all_docs)
    out = {}
    for doc in all_docs:
        key = group_key(doc)
        group = groups.get(key, [doc])
        out[doc.doc_id] = _status(doc, group, repeals, today) if key else _NONE
    return out


_NONE = VersionStatus("none", "")


def _status(
    doc: DocumentMeta,
    group: list[DocumentMeta],
    repeals: dict[str, tuple[date, str]],
    today: date,
) -> VersionStatus:
    repealed = _repealed_by(doc, repeals, today)
    if repealed:
        return VersionStatus("repealed", "已废止", note=repealed)
    twin = _twin(doc, group)
    if twin is not None:
        return VersionStatus(
            "duplicate", f"版本待核对（与{twin.filename}日期相同）", twin,
            "两个版本的修订日期相同，只检索较晚导入的一个；请在元数据中更正日期",
        )
    start = _start(doc)
    current = _in_force(group, today, repeals)
    if start is not None and start > today and (current is None or _order(doc) > _order(current)):
        return VersionStatus("pending", f"尚未施行（{start.isoformat()}起施行）", current)
    if current is None or current.doc_id == doc.doc_id:
        return VersionStatus("current", "现行有效", note=doc.version_note)
    return VersionStatus("superseded", f"已被修订（现行版本：{describe(current)}）", current)


def excluded_doc_ids(docs: Iterable[DocumentMeta], on: date) -> set[str]:
    """Versions that must not be searched on `on`: one version per group stays searchable."""
    all_docs = list(docs)
    repeals = _repeal_dates(all_docs)
    excluded: set[str] = set()
    for group in version_groups(all_docs).values():
        keep = _in_force(group, on, repeals)
        if keep is None:
            alive = [d for d in group if not _repealed_by(d, repeals, on)]
            keep = alive[0] if alive else None  # the first to take effect after `on`
        excluded.update(d.doc_id for d in group if keep is None or d.doc_id != keep.doc_id)
    return excluded


_EXCLUDED_MEMO: list[tuple[Mapping[str, DocumentMeta], date, set[str]]] = []


def excluded_in(documents: Mapping[str, DocumentMeta], on: date) -> set[str]:
    """excluded_doc_ids for a snapshot's documents, remembered while the snapshot is current.

    Every search asks this; a snapshot's document map is never mutated (a change publishes a
    new map), so the identity of the map is a safe key.
    """
    memo = _EXCLUDED_MEMO[0] if _EXCLUDED_MEMO else None
    if memo is not None and memo[0] is documents and memo[1] == on:
        return memo[2]
    excluded = excluded_doc_ids(documents.values(), on)
    _EXCLUDED_MEMO[:] = [(documents, on, excluded)]
    return excluded


def add_version_notes(results: Sequence[Any], documents: Mapping[str, DocumentMeta]) -> None:
    """Tell the user, in each ingest result, what is doubtful about a regulation's version:
    dates taken from the document itself, or the same dates as another version."""
    status = statuses(documents.values(), date.today())
    for result in results:
        doc = documents.get(result.doc_id)
        if doc is None or result.status == "unchanged" or not group_key(doc):
            continue
        found = status[doc.doc_id]
        twin = f"{found.label}：{found.note}" if found.kind == "duplicate" else ""
        notes = [n for n in (doc.version_note, twin) if n]
        if notes:
            result.message = "；".join([result.message, *notes])


def other_versions(doc: DocumentMeta, docs: Iterable[DocumentMeta]) -> list[DocumentMeta]:
    """The other documents of `doc`'s version group, oldest first."""
    key = group_key(doc)
    if not key:
        return []
    group = version_groups(docs).get(key, [])
    return [d for d in group if d.doc_id != doc.doc_id]


def describe(doc: DocumentMeta) -> str:
    """"中华人民共和国统计法（2024年修正）" or the file name when the title is shared."""
    return f"{doc.title}{version_label(doc)}" if version_label(doc) else doc.filename


# ----- internals ------------------------------------------------------------------------


def _order(doc: DocumentMeta) -> tuple[str, str, str, str]:
    facts = facts_of(doc)
    return (facts.version_date, facts.in_force_from, doc.ingested_at, doc.filename)


def _start(doc: DocumentMeta) -> date | None:
    return to_date(facts_of(doc).in_force_from)


def _twin(doc: DocumentMeta, group: list[DocumentMeta]) -> DocumentMeta | None:
    """A later-ordered version with the same version date: `doc` then yields to it."""
    mine = facts_of(doc).version_date
    if not mine:
        return None
    later = [d for d in group if d.doc_id != doc.doc_id and facts_of(d).version_date == mine]
    later = [d for d in later if _order(d) > _order(doc)]
    return later[-1] if later else None


def _repeal_dates(docs: Iterable[DocumentMeta]) -> dict[str, tuple[date, str]]:
    """Group key -> (date, why) of repeals stated by other documents ("…同时废止")."""
    out: dict[str, tuple[date, str]] = {}
    for doc in docs:
        own = group_key(doc) or normalise_title(doc.title)
        when = _start(doc)
        for title in doc.repeals:
            key = normalise_title(title)
            if key and key != own and when is not None:
                prior = out.get(key)
                if prior is None or when < prior[0]:
                    out[key] = (when, f"被《{doc.title}》废止（{when.isoformat()}起）")
    return out


def _repealed_by(doc: DocumentMeta, repeals: dict[str, tuple[date, str]], on: date) -> str:
    """Why `doc` is repealed on `on` ("" when it is not)."""
    user = to_date(doc.repealed)
    if user is not None and user <= on:
        return f"已于{user.isoformat()}废止"
    stated = repeals.get(group_key(doc) or normalise_title(doc.title))
    own = _start(doc)
    if stated and stated[0] <= on and (own is None or own < stated[0]):
        return stated[1]
    return ""


def article_wordings(
    doc: DocumentMeta,
    article: str,
    documents: Mapping[str, DocumentMeta],
    blocks: Mapping[str, Sequence[StructuredBlock]],
) -> list[tuple[DocumentMeta, str]]:
    """The same-numbered article in the other versions of `doc`, where its wording differs."""
    number = parse_article_number(article)
    key = group_key(doc)
    if number is None or not key:
        return []
    # Cheap substring test first: a search must not normalise every title of a large library.
    candidates = [d for d in documents.values() if key in d.title or d.version_group]
    mine = _article_text(blocks.get(doc.doc_id, ()), number)
    out = []
    for other in other_versions(doc, [doc, *candidates]):
        text = _article_text(blocks.get(other.doc_id, ()), number)
        if _compact(text) != _compact(mine):
            out.append((other, text))
    return out


def _article_text(blocks: Iterable[StructuredBlock], number: int) -> str:
    """Text of article `number` (its paragraphs joined); "" when the version lacks it."""
    parts = [b.text for b in blocks if b.article and parse_article_number(b.article) == number]
    return "\n".join(parts)


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
