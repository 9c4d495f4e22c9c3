"""Question → cited answer: retrieval, sentence selection, prompting, grounding checks."""

from assistant.answering.models import Answer, AnswerEvent, Filters, Flag, Source
from assistant.answering.service import AnswerService

__all__ = ["Answer", "AnswerEvent", "AnswerService", "Filters", "Flag", "Source"]
