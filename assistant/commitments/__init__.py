"""Commitment check: last year's plan and 不足 items checked against this year's material."""

from assistant.commitments.confidence import DEFAULT_BAR, ConfidenceBar, assess
from assistant.commitments.decisions import DecisionFileError, DecisionStore, read_decisions_csv
from assistant.commitments.export import export_result
from assistant.commitments.extract import extract_commitments, extract_items, extract_shortcomings
from assistant.commitments.judge import LLMJudge, Thresholds, rule_verdict
from assistant.commitments.model_judge import BatchJudge
from assistant.commitments.models import (
    DONE,
    HIGH,
    LOW,
    MEDIUM,
    MISSING,
    PARTLY,
    PENDING,
    CheckResult,
    Commitment,
    Decision,
    Evidence,
    Target,
    Verdict,
)
from assistant.commitments.service import CheckError, CommitmentService, judge_items
from assistant.commitments.table import TABLE_HEADERS, summary_line, table_rows

__all__ = [
    "DEFAULT_BAR", "DONE", "HIGH", "LOW", "MEDIUM", "MISSING", "PARTLY", "PENDING", "TABLE_HEADERS",
    "BatchJudge", "CheckError", "CheckResult", "Commitment", "CommitmentService", "ConfidenceBar",
    "Decision", "DecisionFileError", "DecisionStore", "Evidence", "LLMJudge", "Target", "Thresholds",
    "Verdict", "assess", "export_result", "extract_commitments", "extract_items",
    "extract_shortcomings", "judge_items", "read_decisions_csv", "rule_verdict", "summary_line",
    "table_rows",
]
