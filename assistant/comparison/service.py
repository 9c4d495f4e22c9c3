"""CompareService: a regulation's versions in the library → the 新旧条文对照表 between two of them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from assistant.comparison.articles import articles_of
from assistant.comparison.table import TableRow, build_table, counts
from index.models import DocumentMeta
from index.versions import facts_of, normalise_title, version_label


class CompareError(Exception):
    """The comparison cannot be made; the message is shown to the user as is."""


@dataclass(frozen=True)
class Version:
    """One version of a regulation in the library."""

    doc: DocumentMeta
    version_date: str  # yyyy-mm-dd of its text (latest revision), "" when unknown
    in_force_from: str

    @property
    def label(self) -> str:
        """《中华人民共和国统计法》（2024年修正）."""
        return f"《{self.doc.title}》{version_label(self.doc)}"


@dataclass(frozen=True)
class Comparison:
    """Two versions and the rows that tell them apart."""

    title: str
    old: Version
    new: Version
    rows: list[TableRow]

    @property
    def counts(self) -> dict[str, int]:
        return counts(self.rows)

    def summary(self) -> str:
        """One line: which versions, and how many articles of each kind."""
        c = self.counts
        return (f"{self.old.label} → {self.new.label}：修改{c['修改']}条，新增{c['新增']}条，"
                f"删除{c['删除']}条，未变{c['未变']}条")


class CompareService:
    """Finds a regulation's versions in the library and compares two of them article by article."""

    def __init__(self, library: Any) -> None:
        self._library = library

    def groups(self) -> dict[str, list[Version]]:
        """Every regulation kept in two or more versions, oldest version first."""
        by_key: dict[str, list[DocumentMeta]] = {}
        for doc in self._library.documents():
            if doc.doc_type == "regulation":
                by_key.setdefault(normalise_title(doc.title), []).append(doc)
        return {key: _ordered(docs) for key, docs in by_key.items() if len(docs) > 1}

    def versions(self, title: str) -> list[Version]:
        """The versions of the regulation named `title` (《》, 中华人民共和国 and suffixes optional)."""
        key = normalise_title(title)
        docs = [d for d in self._library.documents() if normalise_title(d.title) == key]
        if not docs:
            doc = self._library.get_document(title)
            docs = [d for d in self._library.documents()
                    if doc and normalise_title(d.title) == normalise_title(doc.title)]
        if not docs:
            raise CompareError(f"资料库中没有《{title.strip('《》')}》。")
        return _ordered(docs)

    def compare(self, title: str, *, since: date | None = None, until: date | None = None) -> Comparison:
        """The version in force on `since` (default: the one before the latest) against the one
        in force on `until` (default: today's)."""
        versions = self.versions(title)
        if len(versions) < 2:
            raise CompareError(f"资料库中《{versions[0].doc.title}》只有一个版本，无法对照。"
                               "请先导入其他版本的文本。")
        new = _in_force(versions, until or date.today()) or versions[-1]
        older = [v for v in versions if v is not new and v.version_date <= new.version_date]
        old = _in_force(versions, since) if since else (older[-1] if older else None)
        if old is None and since:
            raise CompareError(f"{since} 时《{versions[0].doc.title}》尚无资料库中的版本生效。")
        if old is None:
            raise CompareError(f"{new.label}是资料库中最早的版本，没有更早的版本可对照。")
        if old.doc.doc_id == new.doc.doc_id:
            raise CompareError(f"{since} 与 {until or '今天'} 适用的是同一版本（{new.label}），没有差别。")
        return self._compare(old, new)

    def compare_documents(self, old_doc_id: str, new_doc_id: str) -> Comparison:
        """Two chosen documents of one version group, the older one as 原条文."""
        versions = {v.doc.doc_id: v for g in self.groups().values() for v in g}
        if old_doc_id not in versions or new_doc_id not in versions:
            raise CompareError("所选文档不是同一法规的两个版本，请重新选择。")
        if old_doc_id == new_doc_id:
            raise CompareError("请选择两个不同的版本。")
        return self._compare(versions[old_doc_id], versions[new_doc_id])

    def _compare(self, old: Version, new: Version) -> Comparison:
        if (old.version_date, old.doc.filename) > (new.version_date, new.doc.filename):
            old, new = new, old
        old_articles, new_articles = self._articles(old), self._articles(new)
        if not old_articles or not new_articles:
            empty = old if not old_articles else new
            raise CompareError(f"{empty.label}中未识别出“第X条”条文，无法逐条对照。")
        rows = build_table(old_articles, new_articles)
        return Comparison(title=new.doc.title, old=old, new=new, rows=rows)

    def _articles(self, version: Version) -> list:
        return articles_of(self._library.blocks_of(version.doc.doc_id))


def _ordered(docs: Sequence[DocumentMeta]) -> list[Version]:
    versions = []
    for doc in docs:
        facts = facts_of(doc)
        versions.append(Version(doc, facts.version_date, facts.in_force_from))
    return sorted(versions, key=lambda v: (v.version_date, v.doc.filename))


def _in_force(versions: Sequence[Version], on: date | None) -> Version | None:
    """The latest version in force on `on` (its text dated, or put in force, on or before it)."""
    if on is None:
        return None
    day = on.isoformat()
    started = [v for v in versions if (v.in_force_from or v.version_date) and
               (v.in_force_from or v.version_date) <= day]
    return started[-1] if started else None
