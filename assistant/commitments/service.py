"""CommitmentService: last year's plan checked item by item against this year's material."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel

from assistant.commitments.carryover import Carryover, carried_items
from assistant.commitments.confidence import DEFAULT_BAR, ConfidenceBar, assess
from assistant.commitments.decisions import DecisionStore, content_key
from assistant.commitments.evidence import EvidenceFinder, SearchFn
from assistant.commitments.extract import extract_items
from assistant.commitments.judge import DEFAULT_THRESHOLDS, Thresholds, rule_verdict
from assistant.commitments.model_judge import BatchJudge
from assistant.commitments.models import CheckResult, Commitment, Decision, Verdict
from assistant.commitments.review import ReviewSentence, review_sentences
from assistant.commitments.sections import plan_prefixes, under_any
from assistant.commitments.semantic import SentenceVectors

Progress = Callable[[int, int, str], None]  # (done, total, current item)


class CheckError(ValueError):
    """The check cannot run (unknown document, no plan section); the message is for the user."""


def judge_items(
    items: Sequence[Commitment],
    finder: EvidenceFinder,
    chat_model: BaseChatModel | None = None,
    *,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    bar: ConfidenceBar = DEFAULT_BAR,
    progress: Progress | None = None,
) -> list[Verdict]:
    """Judge each item by rule with a confidence; a chat model, if given, re-reads the 中/低 ones."""
    verdicts = []
    for i, item in enumerate(items):
        if progress:
            progress(i, len(items), item.text)
        verdict = rule_verdict(item, finder.find(item), thresholds)
        verdict.confidence = assess(verdict, bar)
        verdicts.append(verdict)
    if chat_model is not None:
        if progress:
            progress(len(items) - 1, len(items), "大模型复核待确认事项")
        BatchJudge(chat_model).review(verdicts)
    return verdicts


class CommitmentService:
    """Extracts commitments from a library document and checks them against other material."""

    def __init__(self, library: Any, chat_model: BaseChatModel | None = None, *,
                 thresholds: Thresholds = DEFAULT_THRESHOLDS, k: int = 5, semantic: bool = True) -> None:
        self.library = library
        self.chat_model = chat_model
        self.thresholds = thresholds
        self.k = k
        self.decisions = DecisionStore(library.data_dir)
        embeddings = getattr(library, "embeddings", None)
        # One cache for the service's lifetime: a review's sentences are embedded on the first check.
        cache = getattr(library, "cache", None)
        self.vectors = SentenceVectors(embeddings, cache=cache) if semantic and embeddings is not None else None

    def extract(self, plan_doc: str, *, shortcomings: bool = True) -> list[Commitment]:
        """Commitments (and 不足 items) of a library document, found by id, file name or title."""
        doc = self._document(plan_doc)
        items = extract_items(self.library.blocks_of(doc.doc_id), shortcomings=shortcomings)
        if not items:
            raise CheckError(f"《{doc.title or doc.filename}》中没有找到工作计划部分（如“下一年度工作计划”“今年主要任务”）。")
        return items

    def check(self, plan_doc: str, *, against: str | None = None, year: int | None = None,
              shortcomings: bool = True, progress: Progress | None = None) -> CheckResult:
        """Check every item of `plan_doc` against one document or the library's documents of `year`."""
        started = time.perf_counter()
        items = self.extract(plan_doc, shortcomings=shortcomings)
        ids, label = self.target_ids(plan_doc, against, year)
        verdicts = judge_items(items, self.evidence_finder(ids), self.chat_model,
                               thresholds=self.thresholds, progress=progress)
        plan = self._document(plan_doc)
        result = CheckResult(plan.title or plan.filename, label, verdicts, time.perf_counter() - started,
                             plan_key=content_key([plan.sha256]), target_key=self._content_key(ids))
        self.decisions.record_check(result)
        self.decisions.apply(result)  # the same check on unchanged documents: decisions come back
        return result

    def carryover(self, plan_doc: str) -> Carryover:
        """The plan's commitments with their status from the latest check of that document."""
        plan = self._document(plan_doc)
        items = self.extract(plan.doc_id, shortcomings=False)
        record = self.decisions.latest_for_plan(content_key([plan.sha256]))
        check = record.get("check", {})
        return Carryover(plan.title or plan.filename, carried_items(items, record),
                         check.get("against", ""), check.get("at", ""))

    def decide(self, result: CheckResult, decided: Sequence[tuple[int, Decision | None]]) -> None:
        """Record the user's decisions (verdict index, decision or None to reopen) and keep them."""
        for index, decision in decided:
            result.verdicts[index].decision = decision
        self.decisions.save(result.plan_key, result.target_key,
                            [(result.verdicts[i].commitment, d) for i, d in decided])

    def _content_key(self, doc_ids: list[str]) -> str:
        docs = [self.library.get_document(d) for d in doc_ids]
        return content_key([d.sha256 for d in docs if d is not None])

    def _document(self, key: str) -> Any:
        doc = self.library.get_document(key)
        if doc is None:
            raise CheckError(f"资料库中没有文档“{key}”，请先导入。")
        return doc

    def target_ids(self, plan_doc: str, against: str | None, year: int | None) -> tuple[list[str], str]:
        """Document ids of the target material and its label for the table heading."""
        if against:
            target = self._document(against)
            return [target.doc_id], target.title or target.filename
        if year is None:
            raise CheckError("请指定核对对象：一份文档（--against）或年份（--year）。")
        plan_id = self._document(plan_doc).doc_id
        ids = [d.doc_id for d in self.library.documents() if d.year == year and d.doc_id != plan_id]
        if not ids:
            raise CheckError(f"资料库中没有{year}年的文档。")
        return ids, f"{year}年资料（{len(ids)}份）"

    def evidence_finder(self, doc_ids: list[str]) -> EvidenceFinder:
        """Evidence from the target documents: retrieval, their review sentences, their meaning."""
        return EvidenceFinder(self._search_in(doc_ids), pool=self.review_pool(doc_ids),
                              semantic=self.vectors)

    def review_pool(self, doc_ids: list[str]) -> list[ReviewSentence]:
        """Every sentence of the target documents outside their plan parts, with its role."""
        pool: list[ReviewSentence] = []
        for doc_id in doc_ids:
            doc = self.library.get_document(doc_id)
            source = doc.filename if doc is not None else ""
            pool.extend(review_sentences(self.library.blocks_of(doc_id), doc_id=doc_id, source=source))
        return pool

    def _search_in(self, doc_ids: list[str]) -> SearchFn:
        """Search restricted to `doc_ids`, skipping their own plan parts (promises are no evidence)."""
        plans = {d: plan_prefixes(self.library.blocks_of(d)) for d in doc_ids}

        def search(query: str, k: int) -> list[Document]:
            hits = self.library.search(query, k=4 * (k or self.k), doc_ids=doc_ids)
            kept = [h for h in hits if not _in_plan(h, plans)]
            return kept[: k or self.k]

        return search


def _in_plan(hit: Document, plans: dict[str, set[tuple[str, ...]]]) -> bool:
    prefixes = plans.get(hit.metadata.get("doc_id", ""), set())
    return under_any(hit.metadata.get("heading_path") or (), prefixes)
