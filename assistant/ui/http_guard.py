"""ASGI middleware on the app gradio builds: client address for the login, upload size, Chinese page.

- The client address is put into `login_guard.CLIENT_ADDRESS` for the login throttle.
- An upload request larger than the batch limit is refused before gradio reads it, in Chinese
  (gradio's own per-file limit would make the browser refuse a whole batch in English, so the
  app leaves per-file sizes to the upload handler, which refuses files one by one).
- The page is served in Chinese whatever the browser's language: gradio's frontend picks its
  language from `navigator.language`, so a script at the top of <head> reports zh-CN. Gradio's
  own zh-CN strings are bundled; nothing is fetched from outside.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from assistant.ui.login_guard import CLIENT_ADDRESS

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

UPLOAD_BATCH_FILES = 20  # one upload request may carry this many files of the largest size
CHINESE_PAGE = (
    b"<script>(()=>{const p=Navigator.prototype;"
    b"try{Object.defineProperty(p,'language',{get:()=>'zh-CN',configurable:true});"
    b"Object.defineProperty(p,'languages',{get:()=>['zh-CN','zh'],configurable:true});}"
    b"catch(e){}})();</script>"
)
TOO_LARGE = "上传被拒绝：本次上传共 {size:.0f} MB，超过了一次上传的上限 {limit:.0f} MB。请分批上传（单个文件不超过 {per:.0f} MB）。"
NO_LENGTH = "上传被拒绝：请求没有声明大小（Content-Length），无法检查上传上限。"


class HttpGuard:
    """Pure ASGI middleware (so the login route sees the context variable it sets)."""

    def __init__(self, app: Any, *, max_upload_bytes: int) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes
        self.max_request_bytes = max_upload_bytes * UPLOAD_BATCH_FILES

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
