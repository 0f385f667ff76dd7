"""End to end on a real Celery worker, a real SMTP server and the real Twilio SDK against a local fake Twilio: a
2-step sequence (an email, then a text) to 4 contacts.

- Ann has no SMS consent: she gets the email; the text is skipped, and the reason is on her enrollment;
- Ben has no zone of his own and a Tokyo number, where it is 23:00: his text waits for 08:00 his time, then goes;
- Cat texts STOP before anything is sent: she is suppressed on every channel and gets no email either;
- Dan's text is being sent when the worker is SIGKILLed (Twilio has accepted it, the worker never heard): the
  next worker finds it on Twilio instead of sending it again. He gets it exactly once.
"""

from __future__ import annotations

import signal
from collections import Counter
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client

from campaigns import sequencer
from campaigns.models import Enrollment, SequenceStep
from campaigns.services import start_campaign
from conftest import wait_for
from inboxes.models import OutboundMessage
from sms.tests.conftest import inbound_text, post_webhook, twilio_env

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STEPS = [
    ("email", [("A", "Hello {{first_name|there}}", "Hi {{first_name|there}}, a quick question by email.")]),
    ("email", [("A", "", "Hi {{first_name|there}}, Jane here: did my email reach you?")]),
]
# Monday 14:00 UTC: 14:00 in London, 23:00 in Tokyo.
NOW = datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
SENDER = "+447911000001"


def settle(timeout: float = 60) -> None:
    wait_for(lambda: not Enrollment.objects.filter(claimed_until__isnull=False).exists(), timeout,
             "the worker to finish the claimed sends")


def test_an_email_then_sms_sequence_texts_only_consenting_awake_unsubscribed_free_contacts_once_across_a_killed_worker(
        sequence_world, sender_number, fake_twilio, start_worker):
    world = sequence_world(days=[0, 1, 2, 3, 4, 5, 6], start=time(0, 0), end=time(23, 59), steps=STEPS)
    SequenceStep.objects.filter(sequence=world.campaign.sequence, position=1).update(channel="sms")
    sender_number(SENDER)
    consent = {"sms_consent_at": NOW - timedelta(days=30), "sms_consent_source": "web form, ticked box"}
    ann = world.contact("ann@client.example", first_name="Ann", phone="+447911123456", timezone="Europe/London")
    ben = world.contact("ben@client.example", first_name="Ben", phone="+819012345678", **consent)
    cat = world.contact("cat@client.example", first_name="Cat", phone="+447911123457", timezone="Europe/London",
                        **consent)
    dan = world.contact("dan@client.example", first_name="Dan", phone="+447911123458", timezone="Europe/London",
                        **consent)
    world.campaign.status = "active"
    world.campaign.save(update_fields=["status"])
    assert start_campaign(world.campaign, contact_list=world.list)["enrolled"] == 4
    Enrollment.objects.update(next_due_at=NOW)

    # Cat texts STOP to the sender number: suppressed on every channel, her sequence ends before its first email.
    answer = post_webhook(Client(), "/webhook/twilio/inbound", inbound_text(cat.phone, SENDER, "Stop"))
    assert answer.status_code == 200
    assert Enrollment.objects.get(contact=cat).state == "unsubscribed"

    env = {"REX_MAIL_SINK": "", "REX_SMTP_CA_FILE": "", "SENDGRID_API_KEY": "", **twilio_env(fake_twilio)}
    worker = start_worker(**env)
    sequencer.tick(NOW)  # step 1: the emails
    settle()
    assert sorted(m.rcpt_tos[0] for m in world.smtp.messages) == [
        "ann@client.example", "ben@client.example", "dan@client.example"]

    # Step 2: the texts. Twilio holds its answer to Dan's; the worker is killed while it waits.
    fake_twilio.hold(dan.phone, 30)
    now = NOW + timedelta(minutes=1)
    sequencer.tick(now)
    wait_for(lambda: fake_twilio.to(dan.phone), 30, "Twilio to accept Dan's text")
    worker.kill(signal.SIGKILL)
    assert OutboundMessage.objects.get(channel="sms", to_address=dan.phone).status == "sending"

    ann_enrollment = Enrollment.objects.get(contact=ann)
    assert ann_enrollment.state == "completed"
    assert "no SMS consent" in ann_enrollment.transitions.last().reason
    ben_enrollment = Enrollment.objects.get(contact=ben)
    assert ben_enrollment.state == "active" and "quiet hours" in ben_enrollment.last_error
    assert ben_enrollment.next_due_at == datetime(2026, 12, 8, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo"))

    # A new worker; the killed one's claim runs out and the next tick hands Dan's step out again.
    worker = start_worker(**env)
    now += timedelta(seconds=settings.REX_SEQUENCER_CLAIM_SECONDS + 1)
    Enrollment.objects.filter(claimed_until__isnull=False).update(claimed_until=now)
    sequencer.tick(now)
    settle()
    dan_text = OutboundMessage.objects.get(channel="sms", to_address=dan.phone)
    assert dan_text.status == "sent" and dan_text.provider_message_id == fake_twilio.to(dan.phone)[0].sid
    assert Enrollment.objects.get(contact=dan).state == "completed"

    # 08:00 in Tokyo: Ben's text goes.
    sequencer.tick(datetime(2026, 12, 8, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo")))
    settle()
    worker.stop()

    texts = Counter(m.to for m in fake_twilio.messages)
    assert texts == Counter({dan.phone: 1, ben.phone: 1})
    assert all(m.from_ == SENDER and m.status_callback.endswith("/webhook/twilio/status")
               for m in fake_twilio.messages)
    assert fake_twilio.to(dan.phone)[0].body == "Hi Dan, Jane here: did my email reach you?"
    assert Enrollment.objects.get(contact=ben).state == "completed"
    assert "cat@client.example" not in {m.rcpt_tos[0] for m in world.smtp.messages}
    assert len(world.smtp.messages) == 3
