"""The same "send campaign spring-launch to list cfo-uk" typed again next week is meant: once the first mission's
dedupe window has closed it creates a new mission, which a real worker runs, and which writes to the contacts
added to the list since and never again to the ones the first mission reached."""

from datetime import timedelta

import pytest
from django.utils import timezone

from campaigns.models import Contact
from conftest import wait_for
from inboxes.models import OutboundMessage
from inboxes.tests.send_campaign_helpers import campaign_sending_through, contact_list
from missions.models import Mission

pytestmark = pytest.mark.e2e

FIRST = [f"cfo{n}@prospect{n}.example" for n in range(3)]
LATER = ["new-cfo@newcomer.example"]
COMMAND = {"command": "send campaign spring-launch to list cfo-uk"}


def finished(mission_id: str) -> Mission:
    wait_for(lambda: Mission.objects.get(pk=mission_id).is_final, 60, "the send mission to finish")
    mission = Mission.objects.get(pk=mission_id)
    assert mission.status == "succeeded", (mission.status, mission.error)
    return mission


def test_next_weeks_send_goes_to_the_new_contacts_only(start_worker, api_client, sender, make_inbox, smtp_server,
                                                       settings):
    smtp = smtp_server()
    campaign_sending_through(make_inbox, smtp.port, inboxes=2)
    listing = contact_list(sender, FIRST)
    start_worker()

    first = api_client.post("/api/rex/command", COMMAND, format="json")
    assert first.status_code == 201, first.data
    assert finished(first.data["id"]).result["sent"] == 3

    # A week later: a new contact joined the list, and the first mission is long out of its window.
    newcomer = Contact.objects.create(organization=sender, email=LATER[0], first_name="New")
    newcomer.lists.add(listing)
    Mission.objects.filter(pk=first.data["id"]).update(created_at=timezone.now() - timedelta(days=7))

    again = api_client.post("/api/rex/command", COMMAND, format="json")

    assert again.status_code == 201, again.data
    assert again.data["id"] != first.data["id"]
    result = finished(again.data["id"]).result
    assert (result["sent"], result["already_sent"]) == (1, 3)
    assert sorted(r for m in smtp.messages for r in m.rcpt_tos) == sorted(FIRST + LATER)
    assert OutboundMessage.objects.count() == 4
