"""An Australian mobile number does not say which of Australia's zones its owner is in (their clocks disagree): with
no zone on the contact either, quiet hours cannot be kept, so the text is not sent and the enrollment says why;
the sequence goes on with its other steps. With the contact's zone recorded, the same number is texted."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from campaigns.models import Enrollment, SequenceStep
from campaigns.services import start_campaign
from campaigns.tests.conftest import run_sequencer  # noqa: F401 - the in-process sequencer

pytestmark = pytest.mark.django_db(transaction=True)
STEPS = [("email", [("A", "", "G'day {{first_name|there}}, a text from Jane.")]),
         ("email", [("A", "", "Hi {{first_name|there}}, and an email after the text.")])]
NOW = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # noon in Sydney, 09:00 in Perth


def test_a_contact_whose_local_time_is_unknown_is_not_texted_and_the_reason_is_reported(
        sequence_world, sender_number, fake_twilio, run_sequencer):  # noqa: F811
    world = sequence_world(days=[0, 1, 2, 3, 4, 5, 6], start=time(0, 0), end=time(23, 59), steps=STEPS,
                           status="active")
    SequenceStep.objects.filter(sequence=world.campaign.sequence, position=0).update(channel="sms")
    sender_number("+61491570006")
    consent = {"sms_consent_at": NOW - timedelta(days=1), "sms_consent_source": "web form"}
    world.contact("ann@client.example", first_name="Ann", phone="+61412345678", **consent)
    world.contact("bob@client.example", first_name="Bob", phone="+61412345679", timezone="Australia/Sydney",
                  **consent)
    start_campaign(world.campaign, contact_list=world.list)
    Enrollment.objects.update(next_due_at=NOW)

    run_sequencer(NOW)
    run_sequencer(NOW + timedelta(minutes=1))
    ann = Enrollment.objects.get(contact__email="ann@client.example")
    assert ann.transitions.filter(reason__contains="the recipient's local time is unknown").exists()
    assert [m.to for m in fake_twilio.messages] == ["+61412345679"]
    # The sequence went on: both got the email step that follows.
    assert sorted(m.rcpt_tos[0] for m in world.smtp.messages) == ["ann@client.example", "bob@client.example"]
    assert Enrollment.objects.filter(state="completed").count() == 2
