"""A text that is not a keyword is a reply: stored as an inbound message (channel sms) answering the last text REX
sent that number, its sequence stops at once, and the replies pipeline triages it like an email reply (rules
first). START lifts the SMS opt-out only: the email stays suppressed."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.test import Client

from campaigns.models import Enrollment, SequenceStep
from campaigns.services import start_campaign
from campaigns.tests.conftest import run_sequencer  # noqa: F401 - the in-process sequencer
from inboxes.models import OutboundMessage
from inboxes.suppression import is_suppressed
from replies.models import InboundMessage
from sms.tasks import process_inbound_text
from sms.tests.conftest import inbound_text, post_webhook

pytestmark = pytest.mark.django_db(transaction=True)
STEPS = [("email", [("A", "", "Hi {{first_name|there}}, worth a call this week?")]), ("wait", 1),
         ("email", [("A", "", "Hi again {{first_name|there}}.")])]
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
SENDER = "+447911000001"


def test_a_text_back_is_triaged_like_an_email_reply_and_stops_the_sequence(sequence_world, sender_number,
                                                                           fake_twilio, run_sequencer):  # noqa: F811
    world = sequence_world(days=[0, 1, 2, 3, 4], start=time(0, 0), end=time(23, 59), steps=STEPS, status="active")
    SequenceStep.objects.filter(sequence=world.campaign.sequence).update(channel="sms")
    sender_number(SENDER)
    ann = world.contact("ann@client.example", first_name="Ann", phone="+447911123456", timezone="Europe/London",
                        sms_consent_at=NOW - timedelta(days=2), sms_consent_source="asked for texts at the stand")
    start_campaign(world.campaign, contact_list=world.list)
    Enrollment.objects.update(next_due_at=NOW)
    run_sequencer(NOW)
    assert [m.to for m in fake_twilio.messages] == [ann.phone]
    assert Enrollment.objects.get().state == "waiting"

    client = Client()
    answer = post_webhook(client, "/webhook/twilio/inbound",
                          inbound_text(ann.phone, SENDER, "Thanks, what does it cost per seat?"))
    assert answer.status_code == 200
    enrollment = Enrollment.objects.get()
    assert enrollment.state == "replied"
    reply = InboundMessage.objects.get()
    texted = OutboundMessage.objects.get(channel="sms")
    assert reply.channel == "sms" and reply.in_reply_to == texted.message_id and reply.from_address == ann.phone

    # The worker's task: the same pipeline as email replies, matched through the text it answers.
    process_inbound_text([reply.pk])
    reply.refresh_from_db()
    assert reply.outbound_id == texted.pk and reply.enrollment_id == enrollment.pk and reply.contact_id == ann.pk
    assert reply.category and reply.acted_at is not None
    # Nothing more is sent: the next step's day comes and goes.
    run_sequencer(NOW + timedelta(days=3))
    assert len(fake_twilio.messages) == 1

    # STOP, then START: the phone is free again, the email stays suppressed.
    post_webhook(client, "/webhook/twilio/inbound", inbound_text(ann.phone, SENDER, "stop"))
    assert is_suppressed(world.organization, phone=ann.phone) and is_suppressed(world.organization, email=ann.email)
    post_webhook(client, "/webhook/twilio/inbound", inbound_text(ann.phone, SENDER, "START"))
    assert not is_suppressed(world.organization, phone=ann.phone)
    assert is_suppressed(world.organization, email=ann.email)
