"""Split the plan section into individual commitments and the 不足 section into items."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.commitments.models import Commitment, ItemKind
from assistant.commitments.sections import plan_ranges, shortcoming_ranges
from assistant.commitments.targets import extract_targets
from index.models import StructuredBlock

# Words that promise action; 要 only counts outside 重要/主要/需要/要求.
_PROMISE = re.compile(
    r"将|要|持续|继续|确保|不少于|不低于|力争|争取|努力|拟|计划|预期|目标|控制在|实现|"
    r"加强|加快|推进|推动|深化|完善|健全|建立|实施|落实|提高|扩大|严格|坚持|开展|组织|做好|"
    r"抓好|抓紧|着力|强化|促进|支持|鼓励|引导|增加|减少|降低|保持|巩固|规范|发挥|稳定|启动|"
    r"完成|达到|上线|建成|出台|制定|修订|公布|率|控制|遏制|防止|制止|禁止|不得|不予|不能|不要|"
    r"发展|改善|改革|保护|解决|厉行|减轻|调整|优化|培育|清理|整顿|治理"
)
_NOT_PROMISE = re.compile(r"重要|主要|需要|要求|必要|纲要|要素")
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
_CLAUSE = re.compile(r"[^；;]+[；;]?")
_ENUM_LEAD = re.compile(r"^(?:[一二三四五六七八九十]+是|[（(]?[一二三四五六七八九十\d]+[）)、.．])")
_CAUSE = re.compile(r"[，,；;]\s*(?:主要)?原因(?:是|在于).*$")
MIN_CHARS = 8
MAX_CHARS = 160
POINT_MAX_CHARS = 240  # an enumerated point up to this length is one commitment


def is_promise(sentence: str) -> bool:
    """A sentence that commits to an action or a target."""
    return bool(_PROMISE.search(_NOT_PROMISE.sub("", sentence)))


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; over-long sentences are split at semicolons."""
    out: list[str] = []
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0).strip()
        if len(sentence) > MAX_CHARS and "；" in sentence:
            out.extend(c.group(0).strip() for c in _CLAUSE.finditer(sentence))
        elif sentence:
            out.append(sentence)
    return out


def evidence_sentences(text: str) -> list[str]:
    """Sentences of a passage, a short enumerated lead ("七是推进数字法治政府建设。") joined to the
    sentence after it: alone it only repeats the plan's heading."""
    out: list[str] = []
    for sentence in split_sentences(text):
        if out and _ENUM_LEAD.match(out[-1]) and len(out[-1]) <= 20 and not _ENUM_LEAD.match(sentence):
            out[-1] += sentence
        else:
            out.append(sentence)
    return out


def _pieces(block: StructuredBlock, kind: ItemKind) -> list[str]:
    """A short enumerated point stays whole (一是…。…。); other paragraphs split into sentences."""
    text = _CAUSE.sub("。", block.text) if kind == "shortcoming" else block.text
    if block.kind == "point" and _ENUM_LEAD.match(text) and len(text) <= POINT_MAX_CHARS:
        return [text.strip()]
    return split_sentences(text)


def _items_of_block(block: StructuredBlock, index: int, kind: ItemKind) -> list[Commitment]:
    items = []
    for sentence in _pieces(block, kind):
        if len(sentence) < MIN_CHARS or sentence.endswith(("：", ":")):
            continue  # an introduction ("我局将重点抓好以下工作：") promises nothing itself
        if kind == "commitment" and not is_promise(sentence):
            continue
        items.append(Commitment(
            text=sentence, kind=kind, heading_path=block.heading_path, block_index=index,
            page=block.page, targets=extract_targets(sentence) if kind == "commitment" else [],
        ))
    return items


def _merge_short_leads(items: list[Commitment]) -> list[Commitment]:
    """"一是加强组织领导。" alone says little: join it to the sentence that follows."""
    out: list[Commitment] = []
    for item in items:
        prev = out[-1] if out else None
        if prev and prev.block_index == item.block_index and _ENUM_LEAD.match(prev.text) \
                and len(prev.text) <= 20 and not _ENUM_LEAD.match(item.text):
            prev.text += item.text
            prev.targets += item.targets
            continue
        out.append(item)
    return out


def _collect(blocks: Sequence[StructuredBlock], ranges: list[range], kind: ItemKind) -> list[Commitment]:
    items: list[Commitment] = []
    for r in ranges:
        for i in r:
            if blocks[i].kind in ("paragraph", "point", "article"):
                items.extend(_items_of_block(blocks[i], i, kind))
    return _merge_short_leads(items)


def extract_commitments(blocks: Sequence[StructuredBlock]) -> list[Commitment]:
    """Commitments of the plan section, in document order (empty when there is none)."""
    return _collect(blocks, plan_ranges(blocks), "commitment")


def extract_shortcomings(blocks: Sequence[StructuredBlock]) -> list[Commitment]:
    """Items of the 存在的不足 section, which the next report should show addressed."""
    return _collect(blocks, shortcoming_ranges(blocks), "shortcoming")


def extract_items(blocks: Sequence[StructuredBlock], *, shortcomings: bool = True) -> list[Commitment]:
    """Plan commitments followed by 不足 items."""
    items = extract_commitments(blocks)
    return items + extract_shortcomings(blocks) if shortcomings else items
