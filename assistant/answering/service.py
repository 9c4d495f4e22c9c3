"""AnswerService: question (+ history, filters) → checked Answer with numbered sources.

Chain: condense follow-up → hybrid retrieval → sentence selection → prompt → chat model →
grounding checks. With no chat model (extractive mode) the best sentences are quoted instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.runnables import RunnableLambda, RunnablePassthrough

from assistant.answering.condense import History, model_condense, rule_condense
from assistant.answering.extractive import extractive_answer
from assistant.answering.formatting import refusal_text
from assistant.answering.grounding import (
    UNSUPPORTED_WARNING,
    check_answer,
    says_not_found,
    says_nothing,
)
from assistant.answering.models import Answer, AnswerEvent, Filters, Flag, Source
from assistant.answering.passages import (
    MAX_PASSAGES,
    PASSAGE_BUDGET_CHARS,
    build_sources,
    format_passages,
    relevance_of,
)
from assistant.answering.version_notes import with_version_notes
from assistant.prompts import Prompt, load_prompt
from assistant.settings import Settings

SearchFn = Callable[..., list[Document]]
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
        self._model = chat_model
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
        """Events: the sources, token deltas, then the final checked Answer."""
        ctx = self._prepare.invoke(
            {"question": question, "history": list(history), "filters": filters or Filters()}
        )
        sources: list[Source] = ctx["sources"]
        if not self._relevant(sources):
            answer = self._refusal(ctx)
            yield AnswerEvent("token", text=answer.text)
            yield AnswerEvent("final", answer=answer)
            return
        yield AnswerEvent("sources", sources=tuple(sources))
        if self._generate is None:
            answer = self._extractive(ctx)
            yield AnswerEvent("token", text=answer.text)
        else:
            raw = ""
            for delta in self._generate.stream(ctx):
                raw += delta
                yield AnswerEvent("token", text=delta)
            answer = self._checked(ctx, raw)
        yield AnswerEvent("final", answer=answer)

    # --- chain steps -------------------------------------------------------------------------

    def _standalone(self, ctx: dict) -> str:
        if not ctx["history"]:
            return ctx["question"]
        if self._model is None:
            return rule_condense(ctx["question"], ctx["history"])
        return model_condense(ctx["question"], ctx["history"], self._model, self._condense)

    def _retrieve(self, ctx: dict) -> list[Document]:
        filters: Filters = ctx["filters"]
        return self._search(ctx["standalone"], k=self._retrieval.k, **filters.as_kwargs())

    def _select(self, ctx: dict) -> list[Source]:
        docs: Sequence[Document] = ctx["docs"]
        floor = self._retrieval.min_relevance * RELATED_SHARE
        kept = [d for d in docs if relevance_of(d, ctx["standalone"]) >= floor] or list(docs[:1])
        return build_sources(kept, ctx["standalone"], max_passages=self._max_passages,
                             budget=self._budget)

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
        text = extractive_answer(ctx["standalone"], ctx["sources"])
        if not text:
            return self._refusal(ctx)
        return self._finish(ctx, text)

    def _checked(self, ctx: dict, raw: str) -> Answer:
        grounding = check_answer(raw, ctx["sources"])
        gave_up = not grounding.cited and (says_not_found(raw) or not raw.strip())
        # "资料编号：[1][2]": citations around nothing is giving up too, not an answer.
        if gave_up or (grounding.cited and says_nothing(raw)):
            if max(s.relevance for s in ctx["sources"]) >= CONFIDENT_RELEVANCE:
                quoted = extractive_answer(ctx["standalone"], ctx["sources"])
                if quoted:
                    return self._finish(ctx, f"{MODEL_GAVE_UP_NOTE}\n{quoted}", raw=raw)
            return self._refusal(ctx, raw)
        return self._finish(ctx, raw)

    def _finish(self, ctx: dict, text_in: str, raw: str | None = None) -> Answer:
        grounding = check_answer(text_in, ctx["sources"])
        text, flags = grounding.text, list(grounding.flags)
        text = with_version_notes(text, ctx["sources"])  # a cited article worded otherwise elsewhere
        if not grounding.supported:
            text = f"{UNSUPPORTED_WARNING}\n{text}"
            flags.append(Flag("unsupported", "", "回答没有任何有效引用"))
        return self._base(ctx, text=text, sources=ctx["sources"], supported=grounding.supported,
                          flags=flags, raw_text=text_in if raw is None else raw)


def build_messages(
    system: str, user_prompt: Prompt, sources: Sequence[Source], question: str
) -> list[BaseMessage]:
    """System message first (constant, so llama.cpp reuses its KV cache), then passages + question."""
    user = user_prompt.render(passages=format_passages(sources), question=question)
    return [SystemMessage(content=system), HumanMessage(content=user)]
