"""The suppression list stops sequences the moment it is written: an unsubscribe (the one-click link) moves the
person's enrollments to unsubscribed, a hard bounce to bounced, each with an audit row; the figures count them
against the step that was sent last; nothing more is sent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from campaigns.models import Enrollment
from campaigns.services import campaign_figures, start_campaign
from inboxes.suppression import suppress
from inboxes.unsubscribe import make_token

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_unsubscribe_or_a_bounce_stops_the_contacts_sequences_at_once(sequence_world, run_sequencer, client):
    world = sequence_world()
    leaver = world.contact("leaver@client.example")
    world.contact("bouncer@client.example")
    world.contact("stayer@client.example")
    start_campaign(world.campaign, contact_list=world.list)
    run_sequencer(datetime(2026, 12, 7, 10, 0, tzinfo=UTC))
    assert len(world.smtp.messages) == 3

    response = client.post(f"/u/{make_token(world.organization, leaver.email, leaver)}",
                           {"List-Unsubscribe": "One-Click"})
    assert response.status_code in (200, 204)
    suppress(world.organization, email="BOUNCER@client.example", reason="bounce", source="sendgrid event")

    states = dict(Enrollment.objects.values_list("contact__email", "state"))
    assert states == {"leaver@client.example": "unsubscribed", "bouncer@client.example": "bounced",
                      "stayer@client.example": "waiting"}
    assert Enrollment.objects.get(contact=leaver).transitions.last().reason.startswith("suppressed (unsubscribe)")

    run_sequencer(datetime(2026, 12, 8, 10, 0, tzinfo=UTC))
    assert [m.rcpt_tos[0] for m in world.smtp.messages[3:]] == ["stayer@client.example"]
    figures = campaign_figures([world.campaign.pk])[world.campaign.pk]
    assert (figures.unsubscribed, figures.bounced) == (1, 1)
    assert sum(row.unsubscribed for row in figures.steps if row.step_index == 0) == 1
