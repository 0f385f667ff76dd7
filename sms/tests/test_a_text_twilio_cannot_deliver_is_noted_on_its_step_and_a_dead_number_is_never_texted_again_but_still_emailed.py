"""A status callback reporting a text ``undelivered`` with ErrorCode 30006 (a landline) notes the failure on the
contact's step (the enrollment's last_error) and stops texting that phone, not emailing the person: the email step
that follows goes, the later SMS step is skipped with the reason. A 30007 (carrier filtered) is noted on the step
but the phone stays textable: the carrier judged the content, not the number."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.test import Client

from campaigns.models import Enrollment, SequenceStep
from campaigns.services import start_campaign
from campaigns.tests.conftest import run_sequencer  # noqa: F401 - the in-process sequencer
from inboxes.models import Suppression
from sms.models import TwilioEvent, UndeliverablePhone
from sms.tests.conftest import ACCOUNT_SID, post_webhook

pytestmark = pytest.mark.django_db(transaction=True)
SENDER = "+447911000001"
STEPS = [("email", [("A", "", "Hi {{first_name|there}}, a text from Jane.")]),
         ("email", [("A", "A note", "Hi {{first_name|there}}, an email after the text.")]),
         ("email", [("A", "", "Hi {{first_name|there}}, a last text.")])]
NOW = datetime(2026, 12, 7, 11, 0, tzinfo=UTC)  # 11:00 in London


def status_callback(sid: str, to: str, status: str, error_code: str) -> dict[str, str]:
    return {"MessageSid": sid, "MessageStatus": status, "ErrorCode": error_code, "AccountSid": ACCOUNT_SID,
            "To": to, "From": SENDER}


def test_a_landline_is_noted_on_the_step_never_texted_again_and_still_emailed(
        sequence_world, sender_number, fake_twilio, run_sequencer):  # noqa: F811
    world = sequence_world(days=[0, 1, 2, 3, 4, 5, 6], start=time(0, 0), end=time(23, 59), steps=STEPS,
                           status="active")
    SequenceStep.objects.filter(sequence=world.campaign.sequence, position__in=[0, 2]).update(channel="sms")
    sender_number(SENDER)
    consent = {"sms_consent_at": NOW - timedelta(days=1), "sms_consent_source": "web form"}
    world.contact("ann@client.example", first_name="Ann", phone="+442079460000", **consent)  # a landline
    world.contact("bob@client.example", first_name="Bob", phone="+447911123456", **consent)
    start_campaign(world.campaign, contact_list=world.list)
    Enrollment.objects.update(next_due_at=NOW)

    run_sequencer(NOW)
    texts = {m.to: m for m in fake_twilio.messages}
    assert set(texts) == {"+442079460000", "+447911123456"}
    client = Client()
    landline = status_callback(texts["+442079460000"].sid, "+442079460000", "undelivered", "30006")
    filtered = status_callback(texts["+447911123456"].sid, "+447911123456", "undelivered", "30007")
    assert post_webhook(client, "/webhook/twilio/status", landline).status_code == 200
    assert post_webhook(client, "/webhook/twilio/status", filtered).status_code == 200
    # A replay changes nothing.
    assert post_webhook(client, "/webhook/twilio/status", landline).status_code == 200

    ann = Enrollment.objects.get(contact__email="ann@client.example")
    bob = Enrollment.objects.get(contact__email="bob@client.example")
    assert ann.last_error == ("SMS of step 1 undelivered: Twilio error 30006: landline or unreachable carrier "
                              "(cannot receive texts)")
    assert bob.last_error == "SMS of step 1 undelivered: Twilio error 30007: filtered by the carrier as spam"
    assert "+442079460000" not in ann.last_error  # the enrollment holds no personal data
    assert UndeliverablePhone.objects.filter(error_code="30006").count() == 1
    assert not Suppression.objects.exists()  # the person is not suppressed: email goes on
    assert TwilioEvent.objects.filter(kind="status").count() == 2

    for minutes in (1, 2, 3, 4):
        run_sequencer(NOW + timedelta(minutes=minutes))
    # Both got the email; only Bob got the last text.
    assert sorted(m.rcpt_tos[0] for m in world.smtp.messages) == ["ann@client.example", "bob@client.example"]
    assert [m.to for m in fake_twilio.messages].count("+442079460000") == 1
    assert [m.to for m in fake_twilio.messages].count("+447911123456") == 2
    ann.refresh_from_db()
    assert ann.state == "completed"
    assert ann.transitions.filter(reason__contains="cannot receive texts").exists()
