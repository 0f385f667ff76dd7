"""The receiving server refuses a step at send time (SMTP 5xx): a dead address is suppressed and its sequence ends
bounced; a refusal of the sender (DMARC) never blames the contact: the step is tried again later as a new message
(its own key), and the bounce is recorded against the domain like any other."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from campaigns.models import Enrollment
from campaigns.sequencer import sequence_key
from campaigns.services import start_campaign
from inboxes.models import BounceRecord, OutboundMessage
from inboxes.suppression import is_suppressed

pytestmark = pytest.mark.django_db(transaction=True)
MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_a_dead_address_refused_at_send_time_is_suppressed_and_its_sequence_ends_bounced(sequence_world,
                                                                                         run_sequencer):
    world = sequence_world()
    world.smtp.controller.handler.rcpt_reply = "550 5.1.1 <gone@client.example>: Recipient address rejected: User unknown"
    world.contact("gone@client.example")
    start_campaign(world.campaign, contact_list=world.list)
    run_sequencer(MONDAY)

    enrollment = Enrollment.objects.get()
    assert enrollment.state == "bounced"
    assert is_suppressed(world.organization, email="gone@client.example")
    record = BounceRecord.objects.get()
    assert (record.klass, record.status, record.source.split()[0]) == ("hard", "5.1.1", "smtp")


def test_a_refusal_of_the_sender_is_retried_later_and_never_blames_the_contact(sequence_world, run_sequencer):
    world = sequence_world()
    world.smtp.controller.handler.rcpt_reply = (
        "550 5.7.26 Unauthenticated email from send1.test.example is not accepted due to domain's DMARC policy")
    world.contact("fine@client.example")
    start_campaign(world.campaign, contact_list=world.list)
    run_sequencer(MONDAY)

    enrollment = Enrollment.objects.get()
    assert (enrollment.state, enrollment.send_attempt) == ("active", 1)
    assert enrollment.next_due_at == MONDAY + timedelta(hours=1)
    assert "infrastructure refusal" in enrollment.last_error
    assert not is_suppressed(world.organization, email="fine@client.example")
    assert BounceRecord.objects.get().klass == "infrastructure"

    world.smtp.controller.handler.rcpt_reply = ""  # the sender fixed its DMARC record
    run_sequencer(MONDAY + timedelta(hours=1))
    assert [m.rcpt_tos for m in world.smtp.messages] == [["fine@client.example"]]
    keys = set(OutboundMessage.objects.values_list("idempotency_key", "status"))
    assert keys == {(sequence_key(enrollment.pk, 0), "failed"), (sequence_key(enrollment.pk, 0, 1), "sent")}
    enrollment.refresh_from_db()
    assert (enrollment.state, enrollment.send_attempt, enrollment.emails_sent) == ("waiting", 0, 1)
