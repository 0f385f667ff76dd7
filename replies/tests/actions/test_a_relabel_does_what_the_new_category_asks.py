"""A person relabels a reply REX took for a question as an unsubscribe request: the person is suppressed at once
and the actions list says both what was done before and what the relabel did."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from campaigns.services import start_campaign
from inboxes.suppression import is_suppressed
from replies.actions import act_on
from replies.matching import match_message
from replies.services import relabel

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_relabel_does_what_the_new_category_asks(sequence_world, run_sequencer, inbound, django_user_model):
    world = sequence_world()
    world.contact("quiet@client.example")
    start_campaign(world.campaign, contact_list=world.list)
    run_sequencer(datetime(2026, 12, 7, 10, 0, tzinfo=UTC))
    message = inbound(world, "quiet@client.example", "Why do you keep writing? Take me off this.",
                      category="question")
    act_on(message, match_message(message))
    assert not is_suppressed(world.organization, email="quiet@client.example")

    alice = django_user_model.objects.create_user("alice", password="x")
    relabelled = relabel(message, "unsubscribe", alice)

    assert is_suppressed(world.organization, email="quiet@client.example")
    assert relabelled.effective_category == "unsubscribe" and relabelled.corrected_by == alice
    assert relabelled.actions[-2:] == ["relabelled question to unsubscribe",
                                       "suppressed quiet@client.example on every channel (asked to be removed)"]
