"""Commitment check: last year's plan and 不足 items checked against this year's material."""

from assistant.commitments.export import export_result
from assistant.commitments.extract import extract_commitments, extract_items, extract_shortcomings
from assistant.commitments.judge import LLMJudge, Thresholds, rule_verdict
from assistant.commitments.models import (
    DONE,
    MISSING,
    PARTLY,
    CheckResult,
    Commitment,
    Evidence,
    Target,
    Verdict,
)
from assistant.commitments.service import CheckError, CommitmentService, judge_items
from assistant.commitments.table import TABLE_HEADERS, summary_line, table_rows

__all__ = [
    "DONE", "MISSING", "PARTLY", "TABLE_HEADERS", "CheckError", "CheckResult", "Commitment",
    "CommitmentService", "Evidence", "LLMJudge", "Target", "Thresholds", "Verdict",
    "export_result", "extract_commitments", "extract_items", "extract_shortcomings",
    "judge_items", "rule_verdict", "summary_line", "table_rows",
]
