"""A mail server that answers 451 (try again later) makes a send_campaign mission retry: the refused message is
recorded as a recoverable failure, its slot is given back, nothing counts as sent; the next attempt, with the server
accepting again, sends every contact exactly once."""

import pytest
from django.db.models import Sum

from domains.tests.agent_mission_helpers import run_attempt, submit
from inboxes.models import DomainDay, Inbox, InboxDay, OutboundMessage
from inboxes.tests.send_campaign_helpers import campaign_sending_through, contact_list
from missions.models import MissionStatus

pytestmark = pytest.mark.django_db(transaction=True)

EMAILS = ["cfo0@prospect0.example", "cfo1@prospect1.example", "cfo2@prospect2.example"]


def sent_today() -> tuple[int, int]:
    return (InboxDay.objects.aggregate(n=Sum("sent"))["n"] or 0, DomainDay.objects.aggregate(n=Sum("sent"))["n"] or 0)


def test_451_for_the_recipient_leaves_the_mission_retrying_with_nothing_sent(sender, make_inbox, smtp_server):
    busy = smtp_server(rcpt_reply="451 4.7.1 Greylisted, try again later")
    campaign_sending_through(make_inbox, busy.port)
    contact_list(sender, EMAILS)
    mission = submit(sender, "send_campaign", {"campaign": "spring-launch", "list": "cfo-uk"})

    assert run_attempt(mission) == "retrying"

    inbox = Inbox.objects.get()
    assert (mission.status, mission.attempts, mission.result) == (MissionStatus.RETRYING, 1, None)
    assert mission.error["recoverable"] is True
    assert mission.error["message"].startswith(f"sending through {inbox.address} failed: ")
    assert "451 4.7.1 Greylisted, try again later" in mission.error["message"]
    assert mission.error["details"] == {"sent_so_far": 0}
    [refused] = OutboundMessage.objects.all()
    assert (refused.to_address, refused.status, refused.slot_day) == (EMAILS[0], "failed", None)
    assert refused.error.startswith("recoverable: ")
    assert sent_today() == (0, 0)  # the slot went back: the message never left
    assert busy.messages == []

    # The server accepts again: the next attempt sends everyone, the refused contact once.
    healthy = smtp_server()
    Inbox.objects.filter(pk=inbox.pk).update(smtp_port=healthy.port)

    assert run_attempt(mission) == "succeeded", mission.error

    assert (mission.result["sent"], mission.result["failed"], mission.result["already_sent"]) == (3, 0, 0)
    assert sorted(r for m in healthy.messages for r in m.rcpt_tos) == EMAILS
    assert OutboundMessage.objects.count() == 3
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert sent_today() == (3, 3)
