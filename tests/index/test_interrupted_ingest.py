"""kill -9 during embedding: every command says so, and the next write command or the app finishes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.components.embeddings import embedding_model_id, make_embeddings
from assistant.settings import Settings
from index.library import Library

REPO_ROOT = Path(__file__).resolve().parents[2]
SUBJECTS = ["办公用房", "公务用车", "公共机构节能", "机关食堂", "会议室", "资产处置", "物业服务", "安全巡检"]


def _regulation(n_articles: int) -> str:
    """A fictional regulation whose articles all differ (each is its own passage to embed)."""
    lines = ["# 示例市机关事务管理办法（虚构示例）", ""]
    for i in range(1, n_articles + 1):
        subject = SUBJECTS[i % len(SUBJECTS)]
        lines.append(
            f"第{i}条 {subject}管理第{i}项要求：各单位应当于每年{i % 12 + 1}月{i % 28 + 1}日前"
            f"报送{subject}使用情况，机关事务管理局汇总后形成第{i}号台账，"
            f"发现问题的，应当在{i % 9 + 3}个工作日内整改并书面报告。"
        )
        lines.append("")
    return "\n".join(lines)


def _cli(*args: str, data: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant", "--index", str(data), *args],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture
def env() -> dict[str, str]:
    # Small batches so the kill lands between batches; no chat model is needed.
    return {**os.environ, "PDA_INGEST__EMBED_BATCH_SIZE": "4", "PDA_LLM__MODE": "extractive",
            "OMP_WAIT_POLICY": "passive"}


def _ingest_killed_while_embedding(folder: Path, data: Path, env: dict[str, str]) -> None:
    """Start a CLI ingest and SIGKILL it once the parsed library is published (embedding runs)."""
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "--index", str(data), "ingest", str(folder)],
                            cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while not (data / "library" / "CURRENT").exists():
        assert proc.poll() is None, "ingest ended before publishing the parsed library"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def test_killed_embedding_is_reported_then_finished(tmp_path: Path, env: dict[str, str]) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "示例市机关事务管理办法.md").write_text(_regulation(30), encoding="utf-8")
    data = tmp_path / "data"
    _ingest_killed_while_embedding(folder, data, env)

    listed = _cli("list", data=data, env=env)
    assert "示例市机关事务管理办法" in listed.stdout
    assert "尚未完成向量化" in listed.stderr
    assert "python -m assistant complete" in listed.stderr
    asked = _cli("ask", "公务用车使用情况什么时候报送？", data=data, env=env)
    assert "尚未完成向量化" in asked.stderr

    completed = _cli("complete", data=data, env=env)
    assert completed.returncode == 0
    assert "已补完" in completed.stdout
    searched = _cli("search", "公务用车使用情况", data=data, env=env)
    assert "尚未完成向量化" not in searched.stderr
    assert "公务用车" in searched.stdout


def test_the_app_finishes_embedding_in_the_background(tmp_path: Path) -> None:
    settings = Settings()
    settings.data.data_dir = tmp_path / "data"
    cfg = settings.embedding
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "示例市机关事务管理办法.md").write_text(_regulation(12), encoding="utf-8")

    class Failing:  # the embedder dies mid-ingest, as a killed process would leave it
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            raise RuntimeError("killed")

    embeddings = make_embeddings(cfg)
    broken = Library(settings.data.data_dir, embeddings, settings, model_id=embedding_model_id(cfg),
                     ingest_embeddings=Failing())
    with pytest.raises(RuntimeError):
        broken.ingest([folder])
    library = Library(settings.data.data_dir, embeddings, settings, model_id=embedding_model_id(cfg))
    pending = library.snapshot().pending_vectors
    assert pending > 0
    assert f"{pending} / {len(library.snapshot().chunks)} 个段落尚未完成向量化" in library.maintenance_notice()
    thread = library.complete_pending_in_background()
    assert thread is not None
    assert library.search("公务用车使用情况", k=3)  # readers keep answering meanwhile
    thread.join(timeout=300)
    assert library.snapshot().pending_vectors == 0
    assert library.maintenance_notice() == ""
    assert library.complete_pending_in_background() is None  # nothing left to do
