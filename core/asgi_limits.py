"""Answer an oversized URL with 414 and oversized headers with 431, before Django or Channels sees the request.

A server that hits its own parser's limit drops the connection (or answers a bare 400), and a client or proxy cannot
tell that from a crash. The limits here are below those of the server's parser (httptools has none of its own), so
every oversized request gets an answer that says what was too big: ``REX_MAX_URL_BYTES`` for the request target
(path and query string, as sent), ``REX_MAX_HEADER_BYTES`` for all header lines together (``name: value\\r\\n``).
A websocket handshake over a limit is refused (the server answers it with 403) instead of reaching a consumer.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def url_bytes(scope: Scope) -> int:
    """Length of the request target as the client sent it: raw path, plus ``?`` and the query string."""
    path = scope.get("raw_path") or scope.get("path", "").encode("utf-8", "surrogateescape")
    query = scope.get("query_string") or b""
    return len(path) + (len(query) + 1 if query else 0)


def header_bytes(scope: Scope) -> int:
    """Bytes of the header section as sent: each ``name: value`` plus its CRLF."""
    return sum(len(name) + len(value) + 4 for name, value in scope.get("headers") or ())


class RequestSizeLimits:
    """ASGI middleware around the whole application (HTTP and websockets)."""

    def __init__(self, app: ASGIApp, *, max_url_bytes: int, max_header_bytes: int) -> None:
        self.app = app
        self.max_url_bytes = max_url_bytes
        self.max_header_bytes = max_header_bytes

    def refusal(self, scope: Scope) -> tuple[int, str] | None:
        size = url_bytes(scope)
        if size > self.max_url_bytes:
            return 414, f"the URL is {size} bytes; the limit is {self.max_url_bytes}"
        size = header_bytes(scope)
        if size > self.max_header_bytes:
            return 431, f"the request headers are {size} bytes; the limit is {self.max_header_bytes}"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        refused = self.refusal(scope)
        if refused is None:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": 1009})
            return
        status, detail = refused
        body = json.dumps({"detail": detail}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                # The request was not read to its end: the connection cannot carry another one.
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
