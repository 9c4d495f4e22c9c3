"""The guard middleware on a small Starlette app: client address, upload limit, Chinese page."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from assistant.ui.http_guard import UPLOAD_BATCH_FILES, HttpGuard, with_chinese_locale
from assistant.ui.login_guard import CLIENT_ADDRESS

PAGE = '<!doctype html><html lang="en"><head><title>t</title></head><body>x</body></html>'


async def _page(request):
    return HTMLResponse(PAGE)


async def _address(request):
    return PlainTextResponse(CLIENT_ADDRESS.get())


async def _upload(request):
    return PlainTextResponse(f"got {len(await request.body())}")


async def _event(request):
    return PlainTextResponse(f"event {len(await request.body())}")


@pytest.fixture
def client() -> TestClient:
    app = Starlette(routes=[Route("/", _page), Route("/whoami", _address),
                            Route("/gradio_api/upload", _upload, methods=["POST"]),
                            Route("/gradio_api/queue/join", _event, methods=["POST"])])
    return TestClient(HttpGuard(app, max_upload_bytes=1000), client=("203.0.113.9", 5000))


def test_the_client_address_is_seen_by_the_routes(client: TestClient) -> None:
    assert client.get("/whoami").text == "203.0.113.9"


def test_an_oversize_upload_request_is_refused_in_chinese(client: TestClient) -> None:
    too_big = b"x" * (1000 * UPLOAD_BATCH_FILES + 1)
    response = client.post("/gradio_api/upload", content=too_big)
    assert response.status_code == 413
    assert "上传被拒绝" in response.text
    assert "请分批上传" in response.text
    assert client.post("/gradio_api/upload", content=b"x" * 5000).text == "got 5000"


def test_the_page_speaks_chinese_whatever_the_browser_language(client: TestClient) -> None:
    page = client.get("/").text
    assert '<html lang="zh-CN">' in page
    assert page.index("'zh-CN'") < page.index("<title>")  # before any of gradio's scripts
    assert int(client.get("/").headers["content-length"]) == len(page.encode("utf-8"))


def test_locale_script_is_added_once() -> None:
    once = with_chinese_locale(PAGE.encode())
    assert once.count(b"<script>") == 1


def _file(path: str) -> dict:
    return {"path": path, "orig_name": Path(path).name, "meta": {"_type": "gradio.FileData"}}


def test_an_event_naming_a_file_never_uploaded_is_refused(client, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path))
    uploaded = {"data": [[_file(str(tmp_path / "ab" / "办法.pdf"))], 0], "fn_index": 5}
    assert client.post("/gradio_api/queue/join", json=uploaded).text.startswith("event ")
    for path in ("/etc/passwd", str(tmp_path / ".." / "x.txt")):
        crafted = {"data": [[_file(path)], 0], "fn_index": 5}
        response = client.post("/gradio_api/queue/join", json=crafted)
        assert response.status_code == 400
        assert "不是经本页面上传的文件" in response.json()["detail"]
    plain = {"data": ["办公用房巡检由谁负责？", [], [], [], [], []], "fn_index": 0}
    assert client.post("/gradio_api/queue/join", json=plain).status_code == 200
