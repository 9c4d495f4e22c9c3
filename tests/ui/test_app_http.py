"""The running app over HTTP: login throttling, bad-path uploads, the upload limit, the page language."""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from assistant.components.passwords import hash_password
from tests.ui.app_process import running_app

pytestmark = pytest.mark.slow
RIGHT = "正确口令-2026"


def _login(url: str, user: str, password: str) -> int:
    form = urllib.parse.urlencode({"username": user, "password": password}).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url + "login", data=form), timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_ten_wrong_passwords_lock_the_account_and_are_logged(tmp_path: Path) -> None:
    users = {"zhang": hash_password(RIGHT, iterations=2000)}
    with running_app(tmp_path, host="0.0.0.0", auth_users=users) as url:
        assert [_login(url, "zhang", f"guess{i}") for i in range(10)] == [400] * 10
        assert _login(url, "zhang", RIGHT) == 400  # refused although right: locked out
        assert _login(url, "li", RIGHT) == 400  # and this address is locked for any name
    log = (tmp_path / "app.log").read_text(encoding="utf-8")
    assert "login failed for user 'zhang' from 127.0.0.1" in log
    assert "login refused" in log
    assert "guess" not in log
    assert RIGHT not in log


def _join_queue(url: str, api_name: str, data: list) -> tuple[int, dict]:
    """Join the queue as the browser does; (status, JSON answer of the join request)."""
    config = json.loads(urllib.request.urlopen(url + "config", timeout=30).read())
    fn_index = next(i for i, d in enumerate(config["dependencies"]) if d.get("api_name") == api_name)
    body = json.dumps({"data": data, "fn_index": fn_index, "session_hash": "probe1"}).encode()
    join = urllib.request.Request(url + "gradio_api/queue/join", data=body,
                                  headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(join, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _oversize_upload(url: str, declared: int) -> tuple[int, str]:
    """Declare a huge upload; the app must answer before reading the body."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.putrequest("POST", "/gradio_api/upload")
    conn.putheader("Content-Type", "multipart/form-data; boundary=x")
    conn.putheader("Content-Length", str(declared))
    conn.endheaders()
    response = conn.getresponse()
    return response.status, response.read().decode("utf-8")


def test_bad_path_upload_oversize_request_and_page_language(tmp_path: Path) -> None:
    with running_app(tmp_path) as url:
        bad = [{"path": "/etc/passwd", "orig_name": "passwd", "meta": {"_type": "gradio.FileData"}}]
        status, answer = _join_queue(url, "ingest", [bad, 0])
        big_status, big_text = _oversize_upload(url, 10**10)
        with urllib.request.urlopen(url, timeout=30) as r:
            page = r.read().decode("utf-8")
    # Refused in Chinese, naming the file; not {"error": null} with a traceback in the log.
    assert status == 400
    assert "“passwd”不是经本页面上传的文件" in answer["detail"]
    log = (tmp_path / "app.log").read_text(encoding="utf-8")
    assert "Traceback" not in log
    assert "request refused: file /etc/passwd" in log
    assert big_status == 413
    assert "请分批上传" in big_text
    assert 'lang="zh-CN"' in page
    assert "'zh-CN'" in page
