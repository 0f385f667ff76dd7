"""An assign_domains mission hands ready domains (with a sending inbox) to a campaign, creating the campaign as a
draft when it is new; asked for more than can be taken, it fails at once with the reason, and moves nothing."""

import pytest

from campaigns.models import Campaign
from domains.models import Domain, DomainState
from domains.tests.agent_mission_helpers import run_attempt, submit
from domains.tests.assignment_helpers import pool, ready_domain, states
from inboxes.models import Inbox
from missions.models import MissionStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_enough_ready_domains_are_assigned_to_the_campaign(organization):
    acme = pool(organization, "Acme")
    ready_domain(acme, "acme-big.example", inboxes=2)
    ready_domain(acme, "acme-small.example", inboxes=1)
    ready_domain(acme, "acme-spare.example", inboxes=1, inbox_cap=10, warmup_limit=10)
    mission = submit(organization, "assign_domains", {"count": 2, "campaign": "Spring launch"})

    assert run_attempt(mission) == "succeeded", mission.error

    campaign = Campaign.objects.get(organization=organization, slug="spring-launch")
    assert (campaign.name, campaign.status) == ("Spring launch", Campaign.Status.DRAFT)
    assert states("acme-big.example", "acme-small.example", "acme-spare.example") == {
        "acme-big.example": DomainState.IN_USE, "acme-small.example": DomainState.IN_USE,
        "acme-spare.example": DomainState.READY}
    assert set(Domain.objects.filter(campaign=campaign).values_list("name", flat=True)) == {
        "acme-big.example", "acme-small.example"}
    assert mission.result["campaign"] == "spring-launch"
    assigned = mission.result["domains"]
    assert [(d["name"], d["state"]) for d in assigned] == [("acme-big.example", "in_use"),
                                                           ("acme-small.example", "in_use")]
    assert [i["address"] for i in assigned[0]["inboxes"]] == ["rep0@acme-big.example", "rep1@acme-big.example"]
    assert {t.actor for t in Domain.objects.get(name="acme-big.example").transitions.all()} == {"agent:assign_domains"}


def test_too_few_ready_domains_fail_at_once_with_the_reason_and_move_nothing(organization):
    acme = pool(organization, "Acme")
    ready_domain(acme, "acme-one.example")
    ready_domain(acme, "acme-mute.example", inbox_status=Inbox.Status.PAUSED)  # nobody can send from it
    ready_domain(acme, "acme-warming.example", state=DomainState.WARMING, inbox_status=Inbox.Status.WARMING)
    mission = submit(organization, "assign_domains", {"count": 3, "campaign": "spring-launch"})

    assert run_attempt(mission) == "failed"

    assert (mission.status, mission.attempts) == (MissionStatus.FAILED, 1)
    assert mission.error == {
        "message": "only 1 ready domain in pool acme, 3 asked (1 more ready but without an active or warming inbox)",
        "recoverable": False, "type": "FatalAgentError", "details": {"available": 1}}
    assert states("acme-one.example", "acme-mute.example", "acme-warming.example") == {
        "acme-one.example": DomainState.READY, "acme-mute.example": DomainState.READY,
        "acme-warming.example": DomainState.WARMING}
    assert not Domain.objects.filter(campaign__isnull=False).exists()


def test_a_pool_deleted_after_the_command_was_accepted_fails_at_once(organization):
    ready_domain(pool(organization, "Acme"), "acme-one.example")
    globex = pool(organization, "Globex")
    mission = submit(organization, "assign_domains", {"count": 1, "campaign": "spring-launch", "pool": "globex"})
    globex.delete()  # an unknown pool is refused at intake; one that goes away before the run fails it

    assert run_attempt(mission) == "failed"

    assert mission.error["message"] == "no domain pool 'globex' in this organization"
    assert states("acme-one.example") == {"acme-one.example": DomainState.READY}


def test_a_finished_campaign_fails_at_once_with_the_reason(organization):
    ready_domain(pool(organization, "Acme"), "acme-one.example")
    Campaign.objects.create(organization=organization, name="spring-launch", status=Campaign.Status.FINISHED)
    mission = submit(organization, "assign_domains", {"count": 1, "campaign": "spring-launch"})

    assert run_attempt(mission) == "failed"

    assert mission.error["message"] == "campaign spring-launch is finished; it cannot take domains"
    assert mission.error["type"] == "FatalAgentError"
    assert states("acme-one.example") == {"acme-one.example": DomainState.READY}
