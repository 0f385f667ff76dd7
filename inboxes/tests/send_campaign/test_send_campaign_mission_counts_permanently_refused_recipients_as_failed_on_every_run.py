"""A recipient the mail server refuses for good (550) is counted as failed, the campaign goes on with the next
contact, and a later run of the campaign neither writes to that recipient again nor reports it as sent."""

import pytest

from domains.tests.agent_mission_helpers import run_attempt, submit
from inboxes.models import OutboundMessage
from inboxes.tests.send_campaign_helpers import campaign_sending_through, contact_list

pytestmark = pytest.mark.django_db(transaction=True)


def test_permanently_refused_recipients_are_failed_on_every_run(sender, make_inbox, smtp_server):
    refusing = smtp_server(rcpt_reply="550 5.1.1 No such user")
    campaign_sending_through(make_inbox, refusing.port)
    contact_list(sender, ["gone0@prospect0.example", "gone1@prospect1.example"])
    mission = submit(sender, "send_campaign", {"campaign": "spring-launch", "list": "cfo-uk"})

    assert run_attempt(mission) == "succeeded", mission.error

    assert (mission.result["sent"], mission.result["failed"], mission.result["already_sent"]) == (0, 2, 0)
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {"failed"}
    assert all(m.error.startswith("permanent: ") for m in OutboundMessage.objects.all())

    again = submit(sender, "send_campaign", {"campaign": "spring-launch", "list": "cfo-uk"})

    assert run_attempt(again) == "succeeded", again.error
    assert (again.result["sent"], again.result["failed"], again.result["already_sent"]) == (0, 2, 0)
    assert refusing.messages == []
    assert OutboundMessage.objects.count() == 2
