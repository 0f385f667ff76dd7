"""Bounces read from the mailbox: a hard bounce suppresses the address (its sequence ends bounced) and counts
against the inbox that sent it, as the SendGrid webhook does; soft bounces suppress only the third time in 30
days; infrastructure bounces never touch the contact, and three on one domain within an hour pause its inboxes
and open an incident with the reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from campaigns.models import Enrollment
from campaigns.services import start_campaign
from inboxes.models import Inbox, InboxDay, Incident, OutboundMessage, Suppression
from replies.actions import act_on
from replies.matching import match_message

pytestmark = pytest.mark.django_db(transaction=True)
MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def bounce(klass: str, recipient: str, status: str, reason: str) -> dict:
    return {"bounce": {"class": klass, "recipient": recipient, "status": status, "reason": reason}}


def report(inbound, world, recipient: str, klass: str, status: str, reason: str):
    sent = OutboundMessage.objects.get(to_address=recipient)
    message = inbound(world, "MAILER-DAEMON@mx.client.example", "Delivery failed", subject="Undeliverable",
                      category="bounce", details=bounce(klass, recipient, status, reason))
    found = match_message(message, quoted_message_id=sent.message_id, failed_recipient=recipient)
    assert found.outbound == sent and found.method == "bounce"
    return act_on(message, found)


def test_bounces_suppress_dead_addresses_and_pause_a_domain_the_receivers_refuse(sequence_world, run_sequencer,
                                                                                 inbound, settings):
    settings.REX_INFRA_BOUNCES_TO_PAUSE = 3
    world = sequence_world()
    for name in ("dead", "full", "d1", "d2", "d3"):
        world.contact(f"{name}@client.example")
    start_campaign(world.campaign, contact_list=world.list)
    run_sequencer(MONDAY)

    report(inbound, world, "dead@client.example", "hard", "5.1.1", "user unknown")
    assert Suppression.objects.filter(email="dead@client.example", reason="bounce").exists()
    assert Enrollment.objects.get(contact__email="dead@client.example").state == "bounced"
    assert InboxDay.objects.get(inbox=world.inboxes[0]).bounces == 1

    for n in range(3):
        done = report(inbound, world, "full@client.example", "soft", "4.2.2", "mailbox full")
        suppressed = Suppression.objects.filter(email="full@client.example").exists()
        assert suppressed == (n == 2), done

    for n, name in enumerate(("d1", "d2", "d3")):
        done = report(inbound, world, f"{name}@client.example", "infrastructure", "5.7.26", "DMARC failure")
        assert not Suppression.objects.filter(email=f"{name}@client.example").exists()
        assert Enrollment.objects.get(contact__email=f"{name}@client.example").state == "waiting"
        assert (Inbox.objects.get(pk=world.inboxes[0].pk).status == "paused") == (n == 2), done
    incident = Incident.objects.get()
    assert incident.reason == "DMARC failure at client.example, 5.7.26" and incident.bounces == 3
    assert f"incident {incident.pk}" in Inbox.objects.get(pk=world.inboxes[0].pk).pause_reason
