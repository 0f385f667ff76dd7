"""An oversized URL gets 414 and oversized headers 431 from the real web server, never a dropped connection.

Raw sockets, so the request is exactly what is sent (no client library trims or refuses it first), against the web
role as it runs in production (gunicorn + uvicorn workers, ``asgi_server``). Limits: ``REX_MAX_URL_BYTES`` 8192,
``REX_MAX_HEADER_BYTES`` 32768 (their defaults).
"""

from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.e2e


def exchange(base_url: str, target: str, headers: list[tuple[str, str]]) -> tuple[int, bytes]:
    """Send one GET and read the whole answer; a connection closed without a status line fails the test."""
    address = urlsplit(base_url)
    lines = [f"GET {target} HTTP/1.1", f"Host: {address.hostname}", "Connection: close",
             *(f"{name}: {value}" for name, value in headers)]
    with socket.create_connection((address.hostname, address.port), timeout=30) as conn:
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    assert received.startswith(b"HTTP/1.1 "), f"no HTTP answer, the connection was dropped: {received[:200]!r}"
    head, _, body = received.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def test_a_url_over_the_limit_is_answered_414_with_the_limit(asgi_server):
    status, body = exchange(asgi_server, "/api/missions/?q=" + "a" * 9000, [])
    assert status == 414
    assert "8192" in json.loads(body)["detail"]


def test_a_far_longer_url_is_still_answered_414(asgi_server):
    status, _ = exchange(asgi_server, "/" + "b" * 60_000, [])
    assert status == 414


def test_a_url_at_the_limit_reaches_the_application(asgi_server):
    target = "/healthz?pad="
    status, _ = exchange(asgi_server, target + "c" * (8192 - len(target)), [])
    assert status not in (414, 431)  # /healthz answers 200 or 503 whatever its query string


def test_headers_over_the_limit_together_are_answered_431(asgi_server):
    status, body = exchange(asgi_server, "/healthz", [(f"X-Pad-{i}", "d" * 4000) for i in range(9)])
    assert status == 431
    assert "32768" in json.loads(body)["detail"]


def test_one_header_over_the_limit_is_answered_431(asgi_server):
    status, _ = exchange(asgi_server, "/healthz", [("Cookie", "e=" + "f" * 100_000)])
    assert status == 431


def test_headers_under_the_limit_reach_the_application(asgi_server):
    status, _ = exchange(asgi_server, "/healthz", [(f"X-Pad-{i}", "g" * 4000) for i in range(7)])
    assert status not in (414, 431)
