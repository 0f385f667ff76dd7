"""An out-of-office reply pauses the sequence until the return date + 1 business day (7 days when none is given);
the sequencer's tick resumes it then, and the next step goes where it stopped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from campaigns.models import Enrollment
from campaigns.services import start_campaign
from replies.actions import act_on
from replies.matching import match_message

pytestmark = pytest.mark.django_db(transaction=True)
MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_out_of_office_pauses_until_the_return_date_and_the_tick_resumes_it(sequence_world, run_sequencer, inbound):
    world = sequence_world()
    world.contact("away@client.example", first_name="Ava", timezone="Europe/London")
    start_campaign(world.campaign, contact_list=world.list)
    run_sequencer(MONDAY)
    reply = inbound(world, "away@client.example", "I am out of the office until Thursday 10 December.",
                    subject="Automatic reply: hello", category="out_of_office",
                    details={"return_date": "2026-12-10"})
    act_on(reply, match_message(reply), now=MONDAY + timedelta(minutes=5))

    enrollment = Enrollment.objects.get()
    assert enrollment.state == "paused" and enrollment.resume_at == datetime(2026, 12, 11, 0, 0, tzinfo=UTC)
    run_sequencer(datetime(2026, 12, 9, 10, 0, tzinfo=UTC))  # step 2 would have been due: it waits
    assert len(world.smtp.messages) == 1
    run_sequencer(datetime(2026, 12, 11, 10, 0, tzinfo=UTC))  # Friday: back, resumed, step 2 goes
    enrollment.refresh_from_db()
    assert len(world.smtp.messages) == 2 and enrollment.emails_sent == 2
    # paused by the reply, back to its wait by the tick, the wait long over, step 2 sent, the next wait
    assert [t.to_state for t in enrollment.transitions.all()][-4:] == ["paused", "waiting", "active", "waiting"]


def test_out_of_office_without_a_date_pauses_for_seven_days(sequence_world, run_sequencer, inbound):
    world = sequence_world()
    world.contact("away@client.example")
    start_campaign(world.campaign, contact_list=world.list)
    run_sequencer(MONDAY)
    reply = inbound(world, "away@client.example", "I'm away with limited access to email.",
                    category="out_of_office", details={"return_date": None})
    act_on(reply, match_message(reply), now=MONDAY)
    assert Enrollment.objects.get().resume_at == MONDAY + timedelta(days=7)
