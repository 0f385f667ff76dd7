"""A human reply, matched by its In-Reply-To to the step it answers, stops that contact's sequence (replied, with
an audit row), and a colleague's at the same company in the same campaign; acting twice does nothing more; a
campaign that turned ``stop_company_on_reply`` off keeps writing to the colleague."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from campaigns.models import Campaign, Enrollment
from campaigns.services import start_campaign
from inboxes.models import OutboundMessage
from replies.actions import act_on
from replies.matching import match_message

pytestmark = pytest.mark.django_db(transaction=True)
MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("company_rule", [True, False])
def test_a_human_reply_stops_the_sequence_and_a_colleagues_at_the_same_company(sequence_world, run_sequencer,
                                                                               inbound, company_rule):
    world = sequence_world()
    Campaign.objects.filter(pk=world.campaign.pk).update(stop_company_on_reply=company_rule)
    ada = world.contact("ada@lovelace.example", first_name="Ada")
    world.contact("charles@lovelace.example", first_name="Charles")
    world.contact("grace@hopper.example", first_name="Grace")
    start_campaign(world.campaign, contact_list=world.list)
    run_sequencer(MONDAY)
    first = OutboundMessage.objects.get(to_address=ada.email)

    reply = inbound(world, "Ada <ada@lovelace.example>", "Not now, thanks.", in_reply_to=first.message_id,
                    category="not_interested")
    found = match_message(reply)
    assert (found.method, found.contact, found.outbound) == ("in_reply_to", ada, first)
    done = act_on(reply, found)

    states = dict(Enrollment.objects.values_list("contact__email", "state"))
    assert states["ada@lovelace.example"] == "replied"
    assert states["charles@lovelace.example"] == "waiting"  # not matched: Ada wrote from her own address
    assert states["grace@hopper.example"] == "waiting"
    assert act_on(reply, found) == []  # once
    assert done and "ada@lovelace.example" in done[0]

    colleague = inbound(world, "Charles <charles.b@lovelace.example>", "Ada forwarded this, we're covered.",
                        category="not_interested")
    found = match_message(colleague)
    assert found.method == ("company" if company_rule else "")
    act_on(colleague, found)
    charles = Enrollment.objects.get(contact__email="charles@lovelace.example")
    assert charles.state == ("replied" if company_rule else "waiting")
    if company_rule:
        assert charles.transitions.last().reason == "a colleague at the same company replied"
