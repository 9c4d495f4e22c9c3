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
# The lead-in of the sentence listing the year's main targets (主要预期目标是：…；…；…).
_TARGET_LEAD = re.compile(r"^[^；;。]*?(?:主要预期目标|主要目标|预期目标|主要指标)(?:是|为)?[：:]")
# A figure about the past (去年超收…, 从2003年到2006年…) is background, not a task.
_LOOKS_BACK = re.compile(r"^(?:去年|过去|上年|前些年|从\d{4}年到|\d{4}年与\d{4}年相比|“十.五”期间)")
# A part that only sets the frame of a target ("在优化结构…的基础上") is no target of its own.
_FRAME = re.compile(r"(?:基础上|前提下|条件下|情况下)$")
# Words of the indicators a list of targets names; a comma part naming one is a target of its own.
_INDICATOR = re.compile(r"生产总值|经济增长|就业|失业|价格|物价|收入|进出口|外贸|国际收支|能耗|粮食|赤字|排放")
MIN_CHARS = 8
TARGET_MIN_CHARS = 6  # "国际收支改善" is a whole target
MAX_CHARS = 160
POINT_MAX_CHARS = 240  # an enumerated point up to this length is one commitment


def is_promise(sentence: str) -> bool:
    """A sentence that commits to an action or a target."""
    return bool(_PROMISE.search(_NOT_PROMISE.sub("", sentence)))


def target_clauses(sentence: str) -> list[str] | None:
    """The year's targets listed in one sentence, one clause per target; None if it lists none.

    A sentence opened by 主要预期目标是： (or any sentence of ；-clauses of which two carry a
    figure) is a list of targets: each clause is its own item, and a clause holding two figures
    ("城镇新增就业900万人以上，城镇登记失业率控制在4.6%以内") is split at its comma.
    """
    lead = _TARGET_LEAD.match(sentence)
    body = sentence[lead.end():] if lead else sentence
    clauses = [c for c in (x.strip(" 　；;。") for x in re.split(r"[；;]", body)) if c]
    if len(clauses) < 2 or (not lead and sum(1 for c in clauses if extract_targets(c)) < 2):
        return None
    return [part for clause in clauses for part in _split_at_commas(clause)]


def _split_at_commas(clause: str) -> list[str]:
    """Comma parts that are targets stand alone; other parts join their neighbour.

    A part is a target when it carries a figure or names an indicator ("国际收支基本平衡"); other
    parts (reasons, manners, a frame such as "在…的基础上") stay with their neighbour.
    """
    groups: list[str] = []
    frame = ""
    for part in (p.strip() for p in re.split(r"[，,]", clause)):
        if not part:
            continue
        has_figure = bool(extract_targets(part))
        alone = has_figure or (len(part) >= TARGET_MIN_CHARS and bool(_INDICATOR.search(part)))
        if not has_figure and (_FRAME.search(part) or not (groups or alone)):
            frame += f"{part}，"  # leads into the next part
        elif groups and not alone and not frame:
            groups[-1] += f"，{part}"
        else:
            groups.append(frame + part)
            frame = ""
    if frame:
        groups.append(frame.rstrip("，"))
    return groups


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


def plan_pieces(text: str) -> list[tuple[str, bool]]:
    """Sentences of a plan paragraph, a list of targets split into its targets.

    Each piece comes with whether it is a target in its own right (kept without a promise word).
    """
    out: list[tuple[str, bool]] = []
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0).strip()
        clauses = target_clauses(sentence) if sentence else None
        if clauses:
            out.extend((c, True) for c in clauses)
        else:
            out.extend((s, False) for s in split_sentences(sentence))
    return out


def _pieces(block: StructuredBlock, kind: ItemKind) -> list[tuple[str, bool]]:
    """A short enumerated point stays whole (一是…。…。) unless it lists targets; other
    paragraphs split into sentences."""
    if kind == "shortcoming":
        return [(s, False) for s in split_sentences(_CAUSE.sub("。", block.text))]
    pieces = plan_pieces(block.text)
    whole = block.kind == "point" and _ENUM_LEAD.match(block.text) and len(block.text) <= POINT_MAX_CHARS
    return [(block.text.strip(), False)] if whole and not any(t for _, t in pieces) else pieces


def is_task(sentence: str, listed: bool) -> bool:
    """A promise, a listed target, or a task that carries a figure ("新建铁路2000公里以上")."""
    if listed or is_promise(sentence):
        return True
    return bool(extract_targets(sentence)) and not _LOOKS_BACK.search(sentence)


def _items_of_block(block: StructuredBlock, index: int, kind: ItemKind) -> list[Commitment]:
    items = []
    for sentence, listed in _pieces(block, kind):
        if len(sentence) < (TARGET_MIN_CHARS if listed else MIN_CHARS) or sentence.endswith(("：", ":")):
            continue  # an introduction ("我局将重点抓好以下工作：") promises nothing itself
        if kind == "commitment" and not is_task(sentence, listed):
            continue
        items.append(Commitment(
            text=sentence, kind=kind, heading_path=block.heading_path, block_index=index,
            page=block.page, targets=extract_targets(sentence) if kind == "commitment" else [],
            listed=listed,
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
