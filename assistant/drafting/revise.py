"""Revise a drafted paragraph (shorten, expand, formalise, rewrite) without losing its citations."""

from __future__ import annotations

import dataclasses
import re

from langchain_core.language_models import BaseChatModel

from assistant.drafting.composer import apply_trace, clean_model_text, trace
from assistant.drafting.condense import sentences
from assistant.drafting.models import EXTRACTIVE_BANNER, Draft
from assistant.drafting.prompting import draft_messages
from assistant.drafting.traceability import CITATION_RE, MARK_RE

OPERATIONS = {
    "shorten": "压缩篇幅至原文一半左右，保留全部事实和数字",
    "expand": "在不新增事实的前提下，适当展开做法和成效的表述",
    "formalise": "改为更规范、正式的公文表述",
    "rewrite": "换一种表述方式重写，事实不变",
}
# Colloquial words and their 公文 equivalents, for formalising without a model.
FORMAL_WORDS = {"搞好": "做好", "搞": "开展", "弄": "做", "很多": "大量", "一直": "始终",
                "马上": "及时", "想办法": "研究措施", "差不多": "基本", "挺": "较为", "老百姓": "群众"}


def revise_draft(draft: Draft, operation: str, chat_model: BaseChatModel | None = None,
                 instruction: str = "") -> Draft:
    """A new Draft whose text is revised as asked, citations kept and re-checked."""
    if operation not in OPERATIONS:
        raise ValueError(f"未知的修改方式：{operation}（可选：{'、'.join(OPERATIONS)}）")
    original = MARK_RE.sub(r"\1", draft.text)
    if chat_model is None:
        text, banner = _revise_without_model(original, operation)
    else:
        text, banner = _revise_with_model(draft, original, operation, instruction, chat_model)
    revised = dataclasses.replace(draft, banner=banner or draft.banner)
    apply_trace(revised, trace(revised, keep_citations(original, text)))
    return revised


def keep_citations(original: str, revised: str) -> str:
    """Re-attach any [n] of the original that the revision dropped, after the sentence sharing most words."""
    missing = [c for c in dict.fromkeys(CITATION_RE.findall(original)) if c not in revised]
    for cite in missing:
        revised = _attach(revised, cite, _cited_sentence(original, cite))
    return revised


def _cited_sentence(text: str, cite: str) -> str:
    return next((s for s in sentences(text) if cite in s), "")


def _attach(text: str, cite: str, source_sentence: str) -> str:
    sents = sentences(text)
    if not sents:
        return text + cite
    best = max(sents, key=lambda s: len(set(s) & set(source_sentence)))
    head = best.rstrip("。！？；")
    return text.replace(best, head + cite + best[len(head):], 1)


def _revise_with_model(draft: Draft, text: str, operation: str, instruction: str,
                       chat_model: BaseChatModel) -> tuple[str, str]:
    sources = "\n".join(f"[{s.n}] {s.label}：{s.text}" for s in draft.sources) or "（无）"
    wanted = OPERATIONS[operation] + (f"；{instruction}" if instruction else "")
    prompt = draft_messages("draft_revise", instruction=wanted, text=text, sources=sources)
    limit = len(text) * 2 if operation == "expand" else max(len(text), 100)
    return clean_model_text(str(chat_model.invoke(prompt).content), limit), ""


def _revise_without_model(text: str, operation: str) -> tuple[str, str]:
    if operation == "shorten":
        return _shorten(text), EXTRACTIVE_BANNER
    if operation == "formalise":
        return re.sub("|".join(FORMAL_WORDS), lambda m: FORMAL_WORDS[m.group(0)], text), EXTRACTIVE_BANNER
    return text, "【未配置语言模型，无法扩写或改写，原文未改动】"


def _shorten(text: str) -> str:
    # Keep each paragraph's first sentence and any sentence carrying a citation.
    out = []
    for para in text.splitlines():
        sents = sentences(para)
        kept = [s for i, s in enumerate(sents) if i == 0 or CITATION_RE.search(s)]
        out.append("".join(kept))
    return "\n".join(p for p in out if p)
