"""A send_campaign mission never writes to a suppressed contact — unsubscribed by email, or stopped by SMS (a
suppression holds on every channel) — counts them as suppressed, and spends none of the day's volume on them."""

import pytest
from django.db.models import Sum

from campaigns.models import Contact
from domains.tests.agent_mission_helpers import run_attempt, submit
from inboxes.models import InboxDay, OutboundMessage, Suppression
from inboxes.tests.send_campaign_helpers import campaign_sending_through, contact_list

pytestmark = pytest.mark.django_db(transaction=True)

EMAILS = [f"cfo{n}@prospect{n}.example" for n in range(4)]


def test_suppressed_contacts_are_counted_and_never_sent(sender, make_inbox, smtp_server):
    smtp = smtp_server()
    campaign_sending_through(make_inbox, smtp.port)
    contact_list(sender, EMAILS)
    Suppression.objects.create(organization=sender, email="CFO1@Prospect1.example",
                               reason=Suppression.Reason.UNSUBSCRIBE)
    Contact.objects.filter(email=EMAILS[3]).update(phone="+447700900123")
    Suppression.objects.create(organization=sender, phone="+447700900123", reason=Suppression.Reason.SMS_STOP)
    mission = submit(sender, "send_campaign", {"campaign": "spring-launch", "list": "cfo-uk"})

    assert run_attempt(mission) == "succeeded", mission.error

    assert (mission.result["sent"], mission.result["suppressed"], mission.result["failed"]) == (2, 2, 0)
    received = sorted(r for m in smtp.messages for r in m.rcpt_tos)
    assert received == [EMAILS[0], EMAILS[2]]
    assert dict(OutboundMessage.objects.values_list("to_address", "status")) == {
        EMAILS[0]: "sent", EMAILS[1]: "suppressed", EMAILS[2]: "sent", EMAILS[3]: "suppressed"}
    assert InboxDay.objects.aggregate(n=Sum("sent"))["n"] == 2

    # The campaign again: still never sent, and reported as suppressed, not as "already sent".
    again = submit(sender, "send_campaign", {"campaign": "spring-launch", "list": "cfo-uk"})
    assert run_attempt(again) == "succeeded"
    assert (again.result["sent"], again.result["already_sent"], again.result["suppressed"]) == (0, 2, 2)
    assert len(smtp.messages) == 2
