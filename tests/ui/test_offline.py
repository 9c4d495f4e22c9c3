"""The running app makes no connection beyond loopback: launch, page load and a question."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from assistant.container import build_assistant
from assistant.settings import load_settings
from tests.ui.app_process import running_app

LOOPBACK = {"127.0.0.1", "::1", "localhost", "0.0.0.0", "::"}
QUESTION = "办公用房的统一配置由谁负责？"


def _prepare_library(data_dir: Path, fixtures_dir: Path) -> None:
    settings = load_settings()
    settings.data.data_dir = data_dir
    report = build_assistant(settings).library.ingest([fixtures_dir / "示例办公用房管理办法.pdf"])
    assert report.count("ingested") == 1


def _targets(log: Path) -> list[tuple[str, str, str]]:
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return [tuple(line.split(" ", 2)) for line in lines]  # type: ignore[misc]


@pytest.mark.slow
def test_launch_page_and_question_stay_on_loopback(tmp_path: Path, fixtures_dir: Path) -> None:
    from gradio_client import Client

    _prepare_library(tmp_path / "data", fixtures_dir)
    netlog = tmp_path / "net.log"
    with running_app(tmp_path, netlog=netlog) as url:
        with urllib.request.urlopen(url, timeout=10) as resp:
            page = resp.read().decode("utf-8")
        assert "fonts.googleapis.com" not in page
        client = Client(url, verbose=False, download_files=False)
        result = client.predict(QUESTION, [], [], [], [], "", api_name="/ask")  # as_of: today
    reply = str(result[1][-1]["content"])
    assert "市机关事务管理局" in reply
    assert "[1]" in reply
    assert "<mark>" in result[2]  # sources with the quoted sentences highlighted
    targets = _targets(netlog)
    assert targets, "the connection logger recorded nothing (sitecustomize not loaded?)"
    outside = [t for t in targets if t[1].strip("[]") not in LOOPBACK]
    assert outside == []
