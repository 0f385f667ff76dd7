"""A bulk transition (the warmup engine's, or an assignment of several domains) sends one "domain.event" listing
every domain that moved, not one message per domain."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.db import connections

from domains.models import Domain, DomainState
from domains.tests.assignment_helpers import pool, ready_domain
from live.routing import websocket_urlpatterns
from missions.tests.e2e_helpers import session_cookie_for


@pytest.mark.django_db(transaction=True)
def test_bulk_move_of_three_domains_is_one_message(user, organization):
    acme = pool(organization)
    ids = [ready_domain(acme, f"acme-{n}.example", state=DomainState.WARMING).pk for n in range(3)]
    ready_domain(acme, "acme-still-ready.example")
    cookie = session_cookie_for(user)
    application = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))

    def warmup_finishes() -> list[int]:
        return Domain.bulk_transition(ids, DomainState.WARMING, DomainState.READY, reason="warmup done")

    async def scenario() -> tuple[dict, bool, list[int]]:
        socket = WebsocketCommunicator(application, "/ws/missions/", headers=[(b"cookie", f"sessionid={cookie}".encode())])
        connected, _ = await socket.connect(timeout=10)
        assert connected
        try:
            assert (await socket.receive_json_from(timeout=10))["type"] == "hello"
            moved = await sync_to_async(warmup_finishes)()
            first = await socket.receive_json_from(timeout=10)
            return first, await socket.receive_nothing(timeout=0.5), moved
        finally:
            await socket.disconnect()
            await sync_to_async(connections.close_all)()

    message, nothing_more, moved = asyncio.run(scenario())

    assert sorted(moved) == sorted(ids)
    assert message["type"] == "domain.event"
    assert "domain" not in message  # several domains: the list only
    assert [(d["name"], d["state"]) for d in message["domains"]] == [
        ("acme-0.example", "ready"), ("acme-1.example", "ready"), ("acme-2.example", "ready")]
    assert nothing_more
