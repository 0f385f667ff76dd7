"""A send_campaign mission with ``limit`` sends that many emails and no more (a careful first batch); the contacts
left are reported as not attempted, and a later mission sends them without writing twice to the first ones."""

import pytest

from domains.tests.agent_mission_helpers import run_attempt, submit
from inboxes.models import Inbox, OutboundMessage
from inboxes.tests.send_campaign_helpers import campaign_sending_through, contact_list

pytestmark = pytest.mark.django_db(transaction=True)

EMAILS = [f"cfo{n}@prospect{n}.example" for n in range(5)]


def test_limit_stops_the_mission_after_that_many_sends(sender, make_inbox, smtp_server):
    smtp = smtp_server()
    campaign_sending_through(make_inbox, smtp.port, inboxes=2)
    contact_list(sender, EMAILS)
    first_batch = submit(sender, "send_campaign", {"campaign": "spring-launch", "list": "cfo-uk", "limit": 2})

    assert run_attempt(first_batch) == "succeeded", first_batch.error

    result = first_batch.result
    assert (result["sent"], result["not_attempted"], result["deferred_by_caps"]) == (2, 3, 0)
    assert [r for m in smtp.messages for r in m.rcpt_tos] == EMAILS[:2]
    # The two sends took turns over the campaign's inboxes.
    assert result["per_inbox"] == {address: 1 for address in Inbox.objects.values_list("address", flat=True)}
    assert OutboundMessage.objects.count() == 2

    rest = submit(sender, "send_campaign", {"campaign": "spring-launch", "list": "cfo-uk"})

    assert run_attempt(rest) == "succeeded", rest.error

    assert (rest.result["sent"], rest.result["already_sent"], rest.result["not_attempted"]) == (3, 2, 0)
    assert sorted(r for m in smtp.messages for r in m.rcpt_tos) == EMAILS
    assert OutboundMessage.objects.count() == 5
