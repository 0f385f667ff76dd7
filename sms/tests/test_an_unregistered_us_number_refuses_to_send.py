"""A US long code without an A2P 10DLC campaign id sends nothing: the SMS step waits with that reason on the
enrollment, Twilio is never called; once the campaign id is added the same step goes, once."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from campaigns.models import Enrollment, SequenceStep
from campaigns.services import start_campaign
from campaigns.tests.conftest import run_sequencer  # noqa: F401 - the in-process sequencer
from sms.models import SenderNumber

pytestmark = pytest.mark.django_db(transaction=True)
STEPS = [("email", [("A", "", "Hi {{first_name|there}}, a text from Jane.")])]
NOW = datetime(2026, 12, 7, 17, 0, tzinfo=UTC)  # 09:00 in San Francisco


def test_an_unregistered_us_number_refuses_to_send(sequence_world, sender_number, fake_twilio, run_sequencer):  # noqa: F811
    world = sequence_world(days=[0, 1, 2, 3, 4], start=time(0, 0), end=time(23, 59), steps=STEPS, status="active")
    SequenceStep.objects.filter(sequence=world.campaign.sequence).update(channel="sms")
    number = sender_number("+14155550100")
    assert number.status == SenderNumber.Status.UNREGISTERED
    world.contact("ann@client.example", first_name="Ann", phone="+14155550123",
                  sms_consent_at=NOW - timedelta(days=3), sms_consent_source="signed up on the web form")
    start_campaign(world.campaign, contact_list=world.list)
    Enrollment.objects.update(next_due_at=NOW)

    run_sequencer(NOW)
    enrollment = Enrollment.objects.get()
    assert enrollment.state == "active" and enrollment.step_index == 0
    assert "US long code without an A2P 10DLC registration" in enrollment.last_error
    assert fake_twilio.messages == []

    number.a2p_campaign_id = "CM" + "0" * 32
    number.save()
    assert number.status == SenderNumber.Status.ACTIVE
    run_sequencer(enrollment.next_due_at)
    run_sequencer(enrollment.next_due_at + timedelta(minutes=5))
    assert [m.body for m in fake_twilio.messages] == ["Hi Ann, a text from Jane."]
    assert Enrollment.objects.get().state == "completed"
