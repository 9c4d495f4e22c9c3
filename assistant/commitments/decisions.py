"""The user's decisions on checked items, kept in the library's data dir.

One JSON file per plan document and target material, named by their content hashes, so a
check of the same unchanged documents finds the decisions again (after a restart, on another
day) and a changed document starts afresh. Written to a temporary file and renamed into place,
so a crash never leaves half a file; a lock serialises two sessions deciding at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from assistant.commitments.models import STATUSES, CheckResult, Commitment, Decision, Status

DIR_NAME = "decisions"
_LOCK = threading.Lock()


def now_text() -> str:
    """The time of a decision as shown in tables: local time to the minute."""
    return datetime.now().strftime("%Y-%m-%d %H:%M")


def content_key(sha256s: Iterable[str]) -> str:
    """One key for one or several documents (a year's material): hash of their sorted hashes."""
    joined = "\n".join(sorted(sha256s))
    return hashlib.sha256(joined.encode()).hexdigest()[:24]


def item_key(commitment: Commitment) -> str:
    """An item is known by its kind and its text (whitespace ignored)."""
    text = re.sub(r"\s+", "", commitment.text)
    return hashlib.sha256(f"{commitment.kind}:{text}".encode()).hexdigest()[:20]


class DecisionStore:
    """Decisions per (plan document, target material), one small JSON file each."""

    def __init__(self, data_dir: Path | str) -> None:
        self.root = Path(data_dir) / DIR_NAME

    def _path(self, plan_key: str, target_key: str) -> Path:
        return self.root / f"{plan_key}_{target_key}.json"

    def load(self, plan_key: str, target_key: str) -> dict[str, Decision]:
        """Decisions by item key; empty when none were made."""
        path = self._path(plan_key, target_key)
        if not path.exists():
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
        return {key: _decision(row) for key, row in data.get("items", {}).items()
                if row.get("status") in STATUSES}

    def save(self, plan_key: str, target_key: str,
             decided: Iterable[tuple[Commitment, Decision | None]]) -> None:
        """Record (or, with None, withdraw) decisions for the given items."""
        with _LOCK:
            path = self._path(plan_key, target_key)
            data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"items": {}}
            for item, decision in decided:
                if decision is None:
                    data["items"].pop(item_key(item), None)
                else:
                    data["items"][item_key(item)] = {"text": item.text, "status": decision.status,
                                                     "note": decision.note, "by": decision.by,
                                                     "at": decision.at}
            _write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1))

    def record_check(self, result: CheckResult) -> None:
        """Keep what the check said about each item (status, lean, confidence) beside the decisions,
        so drafting can show last year's commitments with their status without checking again."""
        if not result.plan_key:
            return
        with _LOCK:
            path = self._path(result.plan_key, result.target_key)
            data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"items": {}}
            data["check"] = {"against": result.against, "at": now_text(), "verdicts": {
                item_key(v.commitment): {"text": v.commitment.text, "lean": v.status,
                                         "confidence": v.confidence} for v in result.verdicts}}
            _write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1))

    def latest_for_plan(self, plan_key: str) -> dict:
        """The most recently written record of a plan document, against whatever material; {} if none."""
        files = sorted(self.root.glob(f"{plan_key}_*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        return json.loads(files[0].read_text(encoding="utf-8")) if files else {}

    def apply(self, result: CheckResult) -> int:
        """Attach the stored decisions to the result's verdicts; returns how many were found."""
        if not result.plan_key:
            return 0
        stored = self.load(result.plan_key, result.target_key)
        for verdict in result.verdicts:
            verdict.decision = stored.get(item_key(verdict.commitment))
        return sum(1 for v in result.verdicts if v.decision is not None)


def _decision(row: dict) -> Decision:
    status: Status = row["status"]
    return Decision(status, str(row.get("note", "")), str(row.get("by") or "人工"), str(row.get("at", "")))


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".decisions-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class DecisionFileError(ValueError):
    """A decisions file that cannot be read; the message names the file, in Chinese."""


def read_decisions_csv(path: Path | str, result: CheckResult, *,
                       by: str = "人工") -> tuple[list[tuple[int, Decision]], list[str]]:
    """Decisions from a reviewed table (the check's CSV export with 人工判断 filled in).

    Returns (verdict index, decision) pairs and the items of the file this check does not have.
    Rows whose 人工判断 is empty are skipped, so re-importing a table withdraws nothing.
    """
    rows = _csv_rows(Path(path))
    index: dict[tuple[str, str], int] = {(v.commitment.kind, item_key(v.commitment)): i
                                         for i, v in enumerate(result.verdicts)}
    kinds = {"工作承诺": "commitment", "存在的不足": "shortcoming"}
    found: list[tuple[int, Decision]] = []
    unknown: list[str] = []
    for row in rows:
        status = (row.get("人工判断") or "").strip()
        if status not in STATUSES:
            continue
        kind = kinds.get((row.get("类型") or "").strip(), "commitment")
        probe = Commitment(text=row.get("事项", ""), kind=kind)  # type: ignore[arg-type]
        at = index.get((kind, item_key(probe)))
        if at is None:
            unknown.append(probe.text)
            continue
        found.append((at, Decision(status, (row.get("备注") or "").strip(),  # type: ignore[arg-type]
                                   (row.get("决定人") or "").strip() or by,
                                   (row.get("决定时间") or "").strip() or now_text())))
    return found, unknown


def _csv_rows(path: Path) -> list[dict[str, str]]:
    import csv

    if not path.is_file():
        raise DecisionFileError(f"找不到人工判断文件：{path}")
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DecisionFileError(f"无法读取人工判断文件 {path.name}：需要UTF-8编码的CSV（{exc}）") from exc
    if rows and ("事项" not in rows[0] or "人工判断" not in rows[0]):
        raise DecisionFileError(f"人工判断文件 {path.name} 缺少“事项”或“人工判断”列，请使用核对结果导出的CSV。")
    return rows
