"""Small clients for end-to-end tests: HTTP with a token, and the dashboard websocket with a session."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.test import Client
from websockets.sync.client import ClientConnection, connect


def http_json(method: str, url: str, *, token: str | None = None, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def session_cookie_for(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


@contextmanager
def dashboard_socket(base_url: str, user) -> Iterator[ClientConnection]:
    """The dashboard websocket, logged in as ``user``, past its hello message."""
    ws_url = base_url.replace("http://", "ws://") + "/ws/missions/"
    with connect(ws_url, additional_headers={"Cookie": f"sessionid={session_cookie_for(user)}",
                                             "Origin": base_url}, open_timeout=10) as socket:
        hello = json.loads(socket.recv(timeout=10))
        assert hello["type"] == "hello", hello
        yield socket


def collect_events(socket: ClientConnection, mission_id: str, until_status: set[str], timeout: float = 30) -> list[dict]:
    """Read the socket until the mission reaches one of ``until_status``; returns that mission's messages."""
    messages = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            message = json.loads(socket.recv(timeout=max(deadline - time.monotonic(), 0.01)))
        except TimeoutError:
            break
        if message.get("type") == "mission.event" and message["mission"]["id"] == mission_id:
            messages.append(message)
            if message["mission"]["status"] in until_status:
                return messages
    raise AssertionError(f"mission {mission_id} did not reach {until_status}; saw "
                         f"{[m['event']['kind'] for m in messages]}")
