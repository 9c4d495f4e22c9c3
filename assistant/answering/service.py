"""AnswerService: question (+ history, filters) → checked Answer with numbered sources.

Chain: condense follow-up → hybrid retrieval → sentence selection → quote → prompt → chat
model → grounding checks. Quote first: the passages' complete units that answer are quoted at
once (资料原文); the model's summary (模型归纳) streams after it and is withheld with a note when
it gives up or fails the checks. `answer.style` can drop the summary or the quote.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import replace
from typing import Any

from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import RunnableLambda, RunnablePassthrough

from assistant.answering.condense import History, is_follow_up, model_condense, rule_condense
from assistant.answering.extractive import extractive_answer
from assistant.answering.formatting import GAVE_UP_NOTE, WITHHELD_NOTE, compose_answer, refusal_text
from assistant.answering.grounding import (
    UNSUPPORTED_WARNING,
    Grounding,
    check_answer,
    says_not_found,
    says_nothing,
)
from assistant.answering.models import Answer, AnswerEvent, AnswerStyle, Filters, Flag, Source
from assistant.answering.passages import (
    MAX_PASSAGES,
    PASSAGE_BUDGET_CHARS,
    build_sources,
    format_passages,
    relevance_of,
)
from assistant.answering.support import SupportScorer
from assistant.answering.version_notes import with_version_notes
from assistant.prompts import Prompt, load_prompt
from assistant.settings import Settings

SearchFn = Callable[..., list[Document]]
Events = Generator[AnswerEvent, None, str]
# Passages far below the refusal threshold only distract a small model.
RELATED_SHARE = 0.5
# A small model often claims "not found" for passages that plainly answer; when retrieval is this
# sure, quote the passages instead of refusing.
CONFIDENT_RELEVANCE = 0.6
MODEL_GAVE_UP_NOTE = "（模型未能根据资料作答，以下为资料原文摘录，请核阅）"


class AnswerService:
    """Answers questions over a library with inline citations [n] and grounding checks."""

    def __init__(
        self,
        library_or_search: Any,
        chat_model: BaseChatModel | None,
        settings: Settings,
        *,
        max_passages: int = MAX_PASSAGES,
        budget_chars: int = PASSAGE_BUDGET_CHARS,
    ) -> None:
        self._search: SearchFn = getattr(library_or_search, "search", library_or_search)
        # The parsed structure lets a quote reach beyond its chunk (a table's header row).
        self._blocks_of = getattr(library_or_search, "blocks_of", None)
        self._model = chat_model
        # Sentence support is judged by the library's embedder too (lexical only without one).
        self._scorer = SupportScorer(getattr(library_or_search, "embeddings", None))
        self._style: AnswerStyle = settings.answer.style
        self._retrieval = settings.retrieval
        self._max_passages, self._budget = max_passages, budget_chars
        self._system = load_prompt("answer_system")
        self._user = load_prompt("answer_user")
        self._condense = load_prompt("condense")
        self._prepare = (
            RunnablePassthrough.assign(standalone=RunnableLambda(self._standalone))
            | RunnablePassthrough.assign(docs=RunnableLambda(self._retrieve))
            | RunnablePassthrough.assign(sources=RunnableLambda(self._select))
        )
        self._generate = (
            None if chat_model is None
            else RunnableLambda(self._messages) | chat_model | StrOutputParser()
        )

    @property
    def mode(self) -> str:
        """'llm' with a chat model, 'extractive' without."""
        return "extractive" if self._model is None else "llm"

    @property
    def style(self) -> AnswerStyle:
        """The answer style in effect: always quote_only without a chat model."""
        return "quote_only" if self._model is None else self._style

    def answer(self, question: str, history: History = (), filters: Filters | None = None) -> Answer:
        """The checked answer (consumes `stream`)."""
        final = None
        for event in self.stream(question, history, filters):
            if event.kind == "final":
                final = event.answer
        assert final is not None  # stream always ends with a final event
        return final

    def stream(
        self, question: str, history: History = (), filters: Filters | None = None
    ) -> Iterator[AnswerEvent]:
        """Events: sources, the quote at once, the summary's token deltas, the final Answer."""
        ctx = self._prepare.invoke(
            {"question": question, "history": list(history), "filters": filters or Filters()}
        )
        if not self._relevant(ctx["sources"]):
            yield from self._refused(ctx)
            return
        yield AnswerEvent("sources", sources=tuple(ctx["sources"]))
        if self.style == "summary_only":
            raw = yield from self._generated(ctx)
            yield AnswerEvent("final", answer=self._checked(ctx, raw))
            return
        quoted = self._extractive(ctx)
        if quoted.refused or self.style == "quote_only":
            if quoted.refused:  # nothing in the passages covers the question: a refusal
                yield AnswerEvent("token", text=quoted.text)
            else:
                yield AnswerEvent("quote", text=quoted.text)
            yield AnswerEvent("final", answer=quoted)
            return
        yield AnswerEvent("quote", text=quoted.text)
        raw = yield from self._generated(ctx)
        yield AnswerEvent("final", answer=self._with_summary(ctx, quoted, raw))

    def _refused(self, ctx: dict) -> Iterator[AnswerEvent]:
        answer = self._refusal(ctx)
        yield AnswerEvent("token", text=answer.text)
        yield AnswerEvent("final", answer=answer)

    def _generated(self, ctx: dict) -> Events:
        """Stream the model's reply as token events; return the whole reply."""
        assert self._generate is not None
        raw = ""
        for delta in self._generate.stream(ctx):
            raw += delta
            yield AnswerEvent("token", text=delta)
        return raw

    # --- chain steps -------------------------------------------------------------------------

    def _standalone(self, ctx: dict) -> str:
        if not ctx["history"]:
            return ctx["question"]
        # A question that stands on its own needs no model call (it would delay the quote).
        if self._model is None or not is_follow_up(ctx["question"]):
            return rule_condense(ctx["question"], ctx["history"])
        return model_condense(ctx["question"], ctx["history"], self._model, self._condense)

    def _retrieve(self, ctx: dict) -> list[Document]:
        filters: Filters = ctx["filters"]
        return self._search(ctx["standalone"], k=self._retrieval.k, **filters.as_kwargs())

    def _select(self, ctx: dict) -> list[Source]:
        docs: Sequence[Document] = ctx["docs"]
        floor = self._retrieval.min_relevance * RELATED_SHARE
        question, scorer = ctx["standalone"], self._scorer
        kept = [d for d in docs if relevance_of(d, question, scorer) >= floor] or list(docs[:1])
        return build_sources(kept, question, max_passages=self._max_passages,
                             budget=self._budget, scorer=scorer)

    def _messages(self, ctx: dict) -> list[BaseMessage]:
        return build_messages(self._system.render(), self._user, ctx["sources"], ctx["standalone"])

    def _relevant(self, sources: Sequence[Source]) -> bool:
        return bool(sources) and max(s.relevance for s in sources) >= self._retrieval.min_relevance

    # --- final answers -----------------------------------------------------------------------

    def _base(self, ctx: dict, **fields: Any) -> Answer:
        return Answer(question=ctx["question"], standalone_question=ctx["standalone"],
                      mode=self.mode, **fields)  # type: ignore[arg-type]

    def _refusal(self, ctx: dict, raw: str = "") -> Answer:
        closest = ctx["sources"]
        return self._base(ctx, text=refusal_text(closest), sources=closest, refused=True,
                          supported=False, raw_text=raw)

    def _extractive(self, ctx: dict) -> Answer:
        text = self._quote_text(ctx)
        if not text:
            return self._refusal(ctx)
        # A quote is the passages' own words: the checks would read their "（1）" items as
        # citation markers and their figures as claims. It is cited by construction.
        shown = with_version_notes(text, ctx["sources"])  # a cited article worded otherwise elsewhere
        return self._base(ctx, text=shown, quote=shown, sources=ctx["sources"], supported=True,
                          raw_text=text)

    def _quote_text(self, ctx: dict) -> str:
        return extractive_answer(ctx["standalone"], ctx["sources"], blocks_of=self._blocks_of)

    def _with_summary(self, ctx: dict, quoted: Answer, raw: str) -> Answer:
        """The quote, then the model's summary when it passes the checks, else a note."""
        grounding = self._check(raw, ctx["sources"])
        if _gave_up(raw, grounding):
            status, summary, note = "gave_up", "", GAVE_UP_NOTE
        elif not _passes(grounding):
            status, summary, note = "withheld", "", WITHHELD_NOTE
        else:
            status, summary, note = "shown", grounding.text, ""
        flags = quoted.flags + ([f for f in grounding.flags if f.kind == "citation"] if summary else [])
        return replace(quoted, text=compose_answer(quoted.quote, summary, note), summary=summary,
                       summary_status=status, note=note, raw_text=raw, flags=flags)  # type: ignore[arg-type]

    def _checked(self, ctx: dict, raw: str) -> Answer:
        grounding = self._check(raw, ctx["sources"])
        if _gave_up(raw, grounding):
            if max(s.relevance for s in ctx["sources"]) >= CONFIDENT_RELEVANCE:
                quoted = self._quote_text(ctx)
                if quoted:  # the note is ours, not a claim: only the quote is checked
                    answer = self._finish(ctx, quoted, raw=raw)
                    return replace(answer, text=f"{MODEL_GAVE_UP_NOTE}\n{answer.text}",
                                   quote=answer.text, summary_status="gave_up")
            return self._refusal(ctx, raw)
        answer = self._finish(ctx, raw)
        return replace(answer, summary=answer.text, summary_status="shown")

    def _check(self, text: str, sources: Sequence[Source]) -> Grounding:
        """The grounding checks every shown text goes through (quote and summary alike)."""
        return check_answer(text, sources, self._scorer)

    def _finish(self, ctx: dict, text_in: str, raw: str | None = None) -> Answer:
        grounding = self._check(text_in, ctx["sources"])
        text, flags = grounding.text, list(grounding.flags)
        text = with_version_notes(text, ctx["sources"])  # a cited article worded otherwise elsewhere
        if not grounding.has_citation:
            text = f"{UNSUPPORTED_WARNING}\n{text}"
            flags.append(Flag("unsupported", "", "回答没有任何有效引用"))
        return self._base(ctx, text=text, sources=ctx["sources"], supported=grounding.supported,
                          flags=flags, raw_text=text_in if raw is None else raw)


def _gave_up(raw: str, grounding: Grounding) -> bool:
    """The model said the passages do not answer, said nothing, or cited around nothing."""
    if not grounding.cited:
        return says_not_found(raw) or not raw.strip()
    return says_nothing(raw)  # "资料编号：[1][2]": citations around nothing


def _passes(grounding: Grounding) -> bool:
    """A summary is shown only when cited and every claim in it traces to its passages."""
    return grounding.supported and all(f.kind == "citation" for f in grounding.flags)


def build_messages(
    system: str, user_prompt: Prompt, sources: Sequence[Source], question: str
) -> list[BaseMessage]:
    """System message first (constant, so llama.cpp reuses its KV cache), then passages + question."""
    user = user_prompt.render(passages=format_passages(sources), question=question)
    return [SystemMessage(content=system), HumanMessage(content=user)]
