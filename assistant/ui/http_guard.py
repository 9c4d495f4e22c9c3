"""ASGI middleware on the app gradio builds: client address for the login, upload size, Chinese page.

- The client address is put into `login_guard.CLIENT_ADDRESS` for the login throttle.
- An upload request larger than the batch limit is refused before gradio reads it, in Chinese
  (gradio's own per-file limit would make the browser refuse a whole batch in English, so the
  app leaves per-file sizes to the upload handler, which refuses files one by one).
- A request naming a server file that was never uploaded (a crafted FileData path such as
  /etc/passwd) is refused with a Chinese message before gradio sees it; gradio itself would
  print a traceback and tell the client only {"error": null}.
- The page is served in Chinese whatever the browser's language: gradio's frontend picks its
  language from `navigator.language`, so a script at the top of <head> reports zh-CN. Gradio's
  own zh-CN strings are bundled; nothing is fetched from outside.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Awaitable, Callable, Iterator, MutableMapping, Sequence
from pathlib import Path
from typing import Any

from assistant.ui.login_guard import CLIENT_ADDRESS

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

log = logging.getLogger(__name__)
UPLOAD_BATCH_FILES = 20  # one upload request may carry this many files of the largest size
CHINESE_PAGE = (
    b"<script>(()=>{const p=Navigator.prototype;"
    b"try{Object.defineProperty(p,'language',{get:()=>'zh-CN',configurable:true});"
    b"Object.defineProperty(p,'languages',{get:()=>['zh-CN','zh'],configurable:true});}"
    b"catch(e){}})();</script>"
)
TOO_LARGE = "上传被拒绝：本次上传共 {size:.0f} MB，超过了一次上传的上限 {limit:.0f} MB。请分批上传（单个文件不超过 {per:.0f} MB）。"
NO_LENGTH = "上传被拒绝：请求没有声明大小（Content-Length），无法检查上传上限。"
FOREIGN_FILE = "请求被拒绝：文件“{name}”不是经本页面上传的文件。请在页面上重新选择文件上传。"
MAX_INSPECTED_BYTES = 20 * 1024 * 1024  # event payloads are small; larger ones pass unread


class HttpGuard:
    """Pure ASGI middleware (so the login route sees the context variable it sets)."""

    def __init__(self, app: Any, *, max_upload_bytes: int, file_roots: Sequence[Path] = ()) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes
        self.max_request_bytes = max_upload_bytes * UPLOAD_BATCH_FILES
        self.file_roots = [Path(p) for p in file_roots]  # besides gradio's upload folder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        token = CLIENT_ADDRESS.set(str(client[0]) if client else "unknown")
        try:
            await self._route(scope, receive, send)
        finally:
            CLIENT_ADDRESS.reset(token)

    async def _route(self, scope: Scope, receive: Receive, send: Send) -> None:
        method, path = scope.get("method", ""), scope.get("path", "")
        if method == "POST" and path.rstrip("/").endswith("/upload"):
            refusal = self._upload_refusal(scope)
            if refusal:
                await _plain_text(send, *refusal)
                return
        if method == "POST" and "/gradio_api/" in path and _is_json(scope):
            await self._checked_event(scope, receive, send)
            return
        if method == "GET" and path in ("", "/"):
            await self.app(scope, receive, _chinese_page(send))
            return
        await self.app(scope, receive, send)

    def _upload_refusal(self, scope: Scope) -> tuple[int, str] | None:
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is None or not length.isdigit():
            return 411, NO_LENGTH
        if int(length) > self.max_request_bytes:
            mb = 1024 * 1024
            return 413, TOO_LARGE.format(size=int(length) / mb, limit=self.max_request_bytes / mb,
                                         per=self.max_upload_bytes / mb)
        return None


    async def _checked_event(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse an event whose inputs name files outside the upload and export folders."""
        body, messages = await _read_body(receive)
        foreign = self._foreign_file(body) if len(body) <= MAX_INSPECTED_BYTES else None
        if foreign is not None:
            path, name = foreign
            log.warning("request refused: file %s from %s was never uploaded", path, CLIENT_ADDRESS.get())
            await _json_error(send, 400, FOREIGN_FILE.format(name=name))
            return
        await self.app(scope, _replay(messages, receive), send)

    def _foreign_file(self, body: bytes) -> tuple[str, str] | None:
        try:
            payload = json.loads(body)
        except ValueError:
            return None  # not ours to judge; gradio answers malformed JSON itself
        roots = [gradio_upload_root(), *self.file_roots]
        for item in _file_data(payload):
            path = str(item.get("path") or "")
            if path.startswith(("http://", "https://")):
                continue
            if not any(Path(path).resolve().is_relative_to(r.resolve()) for r in roots):
                return path, str(item.get("orig_name") or Path(path).name)
        return None


def _file_data(payload: Any) -> Iterator[dict[str, Any]]:
    """Every gradio FileData object anywhere in a JSON payload."""
    if isinstance(payload, dict):
        meta = payload.get("meta")
        if isinstance(meta, dict) and meta.get("_type") == "gradio.FileData":
            yield payload
            return
        for value in payload.values():
            yield from _file_data(value)
    elif isinstance(payload, list):
        for value in payload:
            yield from _file_data(value)


def gradio_upload_root() -> Path:
    """Where gradio stores uploads (GRADIO_TEMP_DIR, by default <tmp>/gradio)."""
    return Path(os.environ.get("GRADIO_TEMP_DIR") or Path(tempfile.gettempdir()) / "gradio")


async def _read_body(receive: Receive) -> tuple[bytes, list[Message]]:
    chunks, messages = [], []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            break
    return b"".join(chunks), messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """A receive that hands the app the already-read messages first."""
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


def _is_json(scope: Scope) -> bool:
    headers = dict(scope.get("headers") or [])
    return headers.get(b"content-type", b"").startswith(b"application/json")


async def _json_error(send: Send, status: int, text: str) -> None:
    body = json.dumps({"detail": text, "error": text}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _chinese_page(send: Send) -> Send:
    """Wrap `send` so an HTML page gets the zh-CN script at the top of <head>."""
    start: Message | None = None
    body = bytearray()

    async def wrapped(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start" and _is_html(message):
            start = message
            return
        if start is None:
            await send(message)
            return
        body.extend(message.get("body", b""))
        if message.get("more_body"):
            return
        page = with_chinese_locale(bytes(body))
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        await send({**start, "headers": [*headers, (b"content-length", str(len(page)).encode())]})
        await send({"type": "http.response.body", "body": page})

    return wrapped


def with_chinese_locale(page: bytes) -> bytes:
    """The page with lang="zh-CN" and the locale script first thing in <head>."""
    page = page.replace(b'lang="en"', b'lang="zh-CN"', 1)
    return page.replace(b"<head>", b"<head>" + CHINESE_PAGE, 1)


def _is_html(message: Message) -> bool:
    headers = dict(message.get("headers") or [])
    return headers.get(b"content-type", b"").startswith(b"text/html")


async def _plain_text(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
