"""An inbox at its daily cap holds the rest back until its next day's window; an inbox inside its pacing gap
holds the next first email until its turn; nothing is lost, nothing passes a cap."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from campaigns.models import Enrollment
from campaigns.services import start_campaign
from inboxes.models import InboxDay

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_inbox_at_its_cap_holds_the_rest_until_its_next_days_window(sequence_world, run_sequencer):
    # Caps count on the inbox's real day, so this one runs on the real clock, in a window open all day.
    world = sequence_world(daily_cap=2, days=list(range(7)), start=time(0), end=time(23, 59))
    for n in range(3):
        world.contact(f"c{n}@client.example")
    start_campaign(world.campaign, contact_list=world.list)
    now = datetime.now(UTC)
    run_sequencer(now)

    assert len(world.smtp.messages) == 2
    assert InboxDay.objects.get().sent == 2
    held = Enrollment.objects.get(emails_sent=0)
    assert held.state == "active" and "sends for" in held.last_error
    tomorrow = (now + timedelta(days=1)).date()
    assert held.next_due_at == datetime(tomorrow.year, tomorrow.month, tomorrow.day, tzinfo=UTC)


def test_pacing_spaces_an_inboxs_emails_by_its_gap(sequence_world, run_sequencer):
    world = sequence_world(gap=(600, 600))
    world.contact("p1@client.example")
    world.contact("p2@client.example")
    start_campaign(world.campaign, contact_list=world.list)
    now = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    run_sequencer(now)
    assert len(world.smtp.messages) == 1
    held = Enrollment.objects.get(emails_sent=0)
    assert held.next_due_at == now + timedelta(seconds=600)
    run_sequencer(now + timedelta(seconds=300))
    assert len(world.smtp.messages) == 1
    run_sequencer(now + timedelta(seconds=600))
    assert len(world.smtp.messages) == 2
