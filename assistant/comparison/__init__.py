"""Comparing versions of a regulation: the 新旧条文对照表 (aligned by content, changed words marked)."""

from assistant.comparison.export import SUFFIXES, export_comparison
from assistant.comparison.service import CompareError, CompareService, Comparison, Version
from assistant.comparison.table import TableRow, build_table

__all__ = [
    "SUFFIXES", "CompareError", "CompareService", "Comparison", "TableRow", "Version",
    "build_table", "export_comparison",
]
