"""A send_campaign mission that cannot send as asked — its campaign or list deleted since the command was
accepted (an unknown one is refused at intake), no domains assigned to the campaign, no postal address to put in
the footer — fails on its first attempt, saying why, and sends nothing."""

import pytest

from campaigns.models import Campaign
from domains.models import DomainState
from domains.tests.agent_mission_helpers import run_attempt, submit
from inboxes.models import OutboundMessage
from inboxes.tests.send_campaign_helpers import campaign_sending_through, contact_list
from missions.models import MissionStatus

pytestmark = pytest.mark.django_db(transaction=True)


def failed_at_once_saying(mission, message: str) -> None:
    assert run_attempt(mission) == "failed"
    assert (mission.status, mission.attempts) == (MissionStatus.FAILED, 1)
    assert mission.error["message"] == message
    assert mission.error["recoverable"] is False
    assert OutboundMessage.objects.count() == 0


def test_campaign_deleted_after_the_command_was_accepted(sender, make_inbox, smtp_server):
    smtp = smtp_server()
    campaign_sending_through(make_inbox, smtp.port)
    autumn = Campaign.objects.create(organization=sender, name="autumn-push")
    contact_list(sender, ["cfo0@prospect0.example"])
    mission = submit(sender, "send_campaign", {"campaign": "autumn-push", "list": "cfo-uk"})
    autumn.delete()

    failed_at_once_saying(mission, "no campaign 'autumn-push' in this organization")
    assert smtp.messages == []


def test_list_deleted_after_the_command_was_accepted(sender, make_inbox, smtp_server):
    smtp = smtp_server()
    campaign_sending_through(make_inbox, smtp.port)
    contact_list(sender, ["cfo0@prospect0.example"])
    cto_de = contact_list(sender, [], name="cto-de")
    mission = submit(sender, "send_campaign", {"campaign": "Spring Launch", "list": "cto-de"})
    cto_de.delete()

    failed_at_once_saying(mission, "no contact list 'cto-de' in this organization")
    assert smtp.messages == []


def test_campaign_without_assigned_domains(sender, make_inbox, smtp_server):
    smtp = smtp_server()
    make_inbox(smtp_port=smtp.port)  # an in-use domain, but of no campaign
    Campaign.objects.create(organization=sender, name="spring-launch")
    contact_list(sender, ["cfo0@prospect0.example"])

    failed_at_once_saying(submit(sender, "send_campaign", {"campaign": "spring-launch", "list": "cfo-uk"}),
                          "campaign spring-launch has no sending inboxes; assign domains to it first")
    assert smtp.messages == []


def test_campaign_whose_domains_are_resting(sender, make_inbox, smtp_server):
    smtp = smtp_server()
    campaign = campaign_sending_through(make_inbox, smtp.port)
    campaign.domains.update(state=DomainState.RESTING)  # an incident: the domain keeps its campaign while it rests
    contact_list(sender, ["cfo0@prospect0.example"])

    failed_at_once_saying(submit(sender, "send_campaign", {"campaign": "spring-launch", "list": "cfo-uk"}),
                          "campaign spring-launch has no sending inboxes; assign domains to it first")
    assert smtp.messages == []


def test_organization_without_postal_address(sender, make_inbox, smtp_server):
    smtp = smtp_server()
    campaign_sending_through(make_inbox, smtp.port)
    contact_list(sender, ["cfo0@prospect0.example"])
    sender.postal_address = "  "
    sender.save(update_fields=["postal_address"])

    failed_at_once_saying(submit(sender, "send_campaign", {"campaign": "spring-launch", "list": "cfo-uk"}),
                          "the organization has no postal address; cold email must carry one")
    assert smtp.messages == []
