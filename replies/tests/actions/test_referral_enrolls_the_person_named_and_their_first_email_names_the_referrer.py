"""A referral ("talk to Jane, jane@…") stops the sequence of the person who replied, creates the person they named
(source "referred by …"), enrolls them in the same campaign, and their first email says who referred them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from campaigns.models import Contact, Enrollment
from campaigns.services import start_campaign
from inboxes.models import OutboundMessage
from replies.actions import act_on
from replies.matching import match_message

pytestmark = pytest.mark.django_db(transaction=True)
MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_referral_enrolls_the_person_named_and_their_first_email_names_the_referrer(sequence_world, run_sequencer,
                                                                                   inbound):
    world = sequence_world()
    tom = world.contact("tom@acme.example", first_name="Tom", last_name="Reed", company="Acme")
    start_campaign(world.campaign, contact_list=world.list)
    run_sequencer(MONDAY)
    first = OutboundMessage.objects.get(to_address=tom.email)
    reply = inbound(world, "Tom Reed <tom@acme.example>", "I've moved on; talk to Jane Doe, jane@acme.example.",
                    in_reply_to=first.message_id, category="referral",
                    details={"referral": {"email": "jane@acme.example", "name": "Jane Doe"}})
    act_on(reply, match_message(reply))

    jane = Contact.objects.get(email="jane@acme.example")
    assert (jane.first_name, jane.last_name, jane.company) == ("Jane", "Doe", "Acme")
    assert jane.source == f"referred by tom@acme.example (reply {reply.pk})"
    assert Enrollment.objects.get(contact=tom).state == "replied"
    assert Enrollment.objects.get(contact=jane).state == "active"

    run_sequencer(MONDAY.replace(hour=11))
    to_jane = [m for m in world.smtp.messages if m.rcpt_tos == ["jane@acme.example"]]
    assert len(to_jane) == 1
    assert to_jane[0].text_body().startswith("Tom Reed suggested I get in touch with you.")
