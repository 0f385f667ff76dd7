"""A domain's transition reaches its organization's dashboard sockets as a "domain.event" carrying the domain's
committed row, once the transaction commits; a transition that is rolled back sends nothing.

The consumer runs in-process (channels.testing.WebsocketCommunicator) behind the real session middleware, on the
real Redis channel layer; the transition runs on a worker thread, as a request or a Celery task would.
"""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.db import connections, transaction

from campaigns.assignment import assign_domains
from campaigns.models import Campaign
from domains.models import Domain, DomainState
from domains.tests.assignment_helpers import pool, ready_domain
from live.routing import websocket_urlpatterns
from missions.tests.e2e_helpers import session_cookie_for


class RolledBack(Exception):
    pass


def move_then_roll_back(domain_id: int) -> None:
    try:
        with transaction.atomic():
            Domain.objects.get(pk=domain_id).transition(DomainState.RESTING, reason="test: rolled back")
            raise RolledBack
    except RolledBack:
        pass


@pytest.mark.django_db(transaction=True)
def test_dashboard_socket_receives_the_committed_domain_row(user, organization):
    acme = pool(organization)
    domain = ready_domain(acme, "acme-mail.example", inboxes=2)
    campaign = Campaign.named(organization, "Spring launch")
    cookie = session_cookie_for(user)
    application = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))

    async def scenario() -> tuple[dict, bool]:
        socket = WebsocketCommunicator(application, "/ws/missions/", headers=[(b"cookie", f"sessionid={cookie}".encode())])
        connected, _ = await socket.connect(timeout=10)
        assert connected
        try:
            hello = await socket.receive_json_from(timeout=10)
            assert hello["type"] == "hello"
            await sync_to_async(move_then_roll_back)(domain.pk)
            await sync_to_async(assign_domains)(organization, campaign=campaign, count=1, actor="alice")
            # Messages of one group arrive in the order sent: had the rolled-back move been sent, it would be first.
            first = await socket.receive_json_from(timeout=10)
            return first, await socket.receive_nothing(timeout=0.5)
        finally:
            await socket.disconnect()
            # The worker thread's connection (sync_to_async and the consumer share it) must not outlive the test.
            await sync_to_async(connections.close_all)()

    message, nothing_more = asyncio.run(scenario())

    assert message["type"] == "domain.event"
    assert message["domain"] == message["domains"][0]
    row = message["domain"]
    assert {k: row[k] for k in ("name", "state", "campaign", "campaign_name", "pool", "sending_inboxes",
                                "today_limit")} == {
        "name": "acme-mail.example", "state": "in_use", "campaign": "spring-launch", "campaign_name": "Spring launch",
        "pool": "acme", "sending_inboxes": 2, "today_limit": 80}
    assert nothing_more  # one message for the assignment, nothing for the rolled-back move
