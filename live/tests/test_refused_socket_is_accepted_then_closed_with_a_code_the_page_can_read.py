"""A refused dashboard socket is accepted and then closed with an application code (4401, 4403, 4400).

Closing before the handshake completes answers HTTP 403, and a browser's ``WebSocket`` then reports only 1006: the
page could not tell "log in again" from a dropped connection. Against a real daphne, the client must complete the
handshake and read the close code.
"""

from __future__ import annotations

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from live.consumers import CLOSE_BAD_REQUEST, CLOSE_NO_ORGANIZATION, CLOSE_UNAUTHENTICATED
from missions.tests.e2e_helpers import session_cookie_for

pytestmark = pytest.mark.e2e


def close_code(base_url: str, path: str, cookie: str | None = None) -> int | None:
    """Open the socket (the handshake must succeed) and return the code it is closed with."""
    headers = {"Origin": base_url}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    with connect(base_url.replace("http://", "ws://") + path, additional_headers=headers, open_timeout=10) as socket:
        with pytest.raises(ConnectionClosed) as closed:
            socket.recv(timeout=10)
    assert closed.value.rcvd is not None, "the server closed without a close frame"
    return closed.value.rcvd.code


@pytest.mark.parametrize("path", ["/ws/live/", "/ws/missions/"])
def test_an_anonymous_socket_is_closed_with_4401(asgi_server, path):
    assert close_code(asgi_server, path) == CLOSE_UNAUTHENTICATED == 4401


def test_a_user_without_an_organization_is_closed_with_4403(asgi_server, django_user_model):
    loner = django_user_model.objects.create_user("loner", "loner@example.com", "pw-loner-123456")
    assert close_code(asgi_server, "/ws/live/", session_cookie_for(loner)) == CLOSE_NO_ORGANIZATION == 4403


def test_an_undeclared_stream_is_closed_with_4400(asgi_server, user):
    assert close_code(asgi_server, "/ws/live/?streams=nope", session_cookie_for(user)) == CLOSE_BAD_REQUEST == 4400
