"""A double click on Send (the same request_id twice, one after the other or at the same moment) sends one email:
the repeat answers 200 with the same message."""

import threading

from django.db import connection
from rest_framework.test import APIClient

from conftest import api_token_for
from inboxes.models import OutboundMessage
from replies.models import SentReply

BODY = {"body": "Thursday 10:00 works. Talk then!", "request_id": "click-7f3a9c"}


def test_the_same_request_id_twice_sends_once(api_client, smtp_seeded):
    world = smtp_seeded
    first = api_client.post(f"/api/replies/{world.bob.pk}/reply", BODY, format="json")
    again = api_client.post(f"/api/replies/{world.bob.pk}/reply", BODY, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert len(world.smtp.messages) == 1
    assert SentReply.objects.filter(inbound=world.bob).count() == 1

    # A new click (a new request id) is a new reply.
    assert api_client.post(f"/api/replies/{world.bob.pk}/reply", {**BODY, "request_id": "click-8e4b0d"},
                           format="json").status_code == 201
    assert len(world.smtp.messages) == 2


def test_two_simultaneous_submits_send_once(transactional_db, smtp_seeded, user):
    world = smtp_seeded
    token = api_token_for(user)
    start = threading.Barrier(4)
    statuses: list[int] = []

    def click() -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        try:
            start.wait()
            statuses.append(client.post(f"/api/replies/{world.bob.pk}/reply", BODY, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert len(statuses) == 4 and set(statuses) <= {200, 201}, statuses
    assert len(world.smtp.messages) == 1
    assert OutboundMessage.objects.filter(idempotency_key__startswith=f"reply:{world.bob.pk}:").count() == 1
    assert SentReply.objects.filter(inbound=world.bob).count() == 1
