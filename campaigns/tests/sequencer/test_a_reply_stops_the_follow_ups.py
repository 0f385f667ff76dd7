"""A contact who answers is never written to again: ``Enrollment.stop_on_reply()`` moves the enrollment to
replied (audited), the next ticks send nothing, and the campaign's figures count the reply against the step
that was answered."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from campaigns.models import Enrollment
from campaigns.services import campaign_figures, start_campaign

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reply_stops_the_follow_ups(sequence_world, run_sequencer):
    world = sequence_world()
    world.contact("ann@client.example", first_name="Ann")
    world.contact("bob@client.example", first_name="Bob")
    start_campaign(world.campaign, contact_list=world.list)
    run_sequencer(datetime(2026, 12, 7, 10, 0, tzinfo=UTC))
    assert len(world.smtp.messages) == 2

    ann = Enrollment.objects.get(contact__email="ann@client.example")
    assert ann.stop_on_reply("reply received", actor="imap") is True
    assert ann.stop_on_reply() is False  # already replied: nothing moves twice

    run_sequencer(datetime(2026, 12, 8, 10, 0, tzinfo=UTC))
    assert [m.rcpt_tos[0] for m in world.smtp.messages[2:]] == ["bob@client.example"]
    ann.refresh_from_db()
    assert ann.state == "replied" and ann.transitions.last().actor == "imap"

    figures = campaign_figures([world.campaign.pk])[world.campaign.pk]
    assert figures.enrolled == 2 and figures.replied == 1 and figures.sent == 3
    first_step = [row for row in figures.steps if row.step_index == 0]
    assert sum(row.sent for row in first_step) == 2 and sum(row.replied for row in first_step) == 1
