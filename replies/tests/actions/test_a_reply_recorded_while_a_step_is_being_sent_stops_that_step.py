"""The race between a reply and a send task that is about to send the next step, on two PostgreSQL connections:
while the reply's transaction holds the enrollment (stopped, not yet committed), the send task's last check waits
for it, then sees the enrollment replied and sends nothing."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction

from campaigns import sequencer
from campaigns.models import Enrollment, SequenceMessage
from campaigns.services import start_campaign
from replies.actions import act_on
from replies.matching import match_message

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reply_recorded_while_a_step_is_being_sent_stops_that_step(sequence_world, run_sequencer, inbound,
                                                                      monkeypatch):
    world = sequence_world()
    world.contact("racer@client.example")
    start_campaign(world.campaign, contact_list=world.list)
    queued: list[list[int]] = []
    monkeypatch.setattr(sequencer.celery_app, "send_task", lambda name, args=None, **kw: queued.append(args[0]))
    now = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    sequencer.tick(now)
    assert queued == [[Enrollment.objects.get().pk]]  # claimed, handed to a send task that has not run yet

    reply = inbound(world, "racer@client.example", "Please stop, not interested.", category="not_interested")
    holding = threading.Event()
    release = threading.Event()

    def reply_arrives() -> None:
        try:
            with transaction.atomic():
                act_on(reply, match_message(reply))
                holding.set()
                release.wait(10)  # the reply's transaction stays open while the send task runs
        finally:
            connection.close()

    replier = threading.Thread(target=reply_arrives)
    replier.start()
    assert holding.wait(10)
    outcome: dict = {}

    def send() -> None:
        try:
            outcome.update(sequencer.send_claimed(queued[0], now).as_dict())
        finally:
            connection.close()

    sender_thread = threading.Thread(target=send)
    sender_thread.start()
    time.sleep(0.5)
    assert sender_thread.is_alive()  # waiting on the enrollment's row lock
    release.set()
    replier.join(10)
    sender_thread.join(10)

    assert outcome == {"stopped_meanwhile": 1}
    assert world.smtp.messages == []
    assert Enrollment.objects.get().state == "replied"
    assert not SequenceMessage.objects.exists()  # nothing recorded for a step that never went
