"""A provision_domains order that billing refuses (a client name with nothing to name domains after) fails the
mission on its first attempt with billing's reason, as a refusal — not as a crash — and buys nothing.

Intake refuses such a client now (it has no pool), so the mission is one queued before clients were checked at
intake: accepted for acme, its stored params then say "!!!"."""

import pytest

from billing.models import Purchase
from domains.models import Domain
from domains.tests.agent_mission_helpers import run_attempt, steps, submit
from missions.models import Mission, MissionStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_order_billing_refuses_fails_at_once_with_the_reason(organization, acme_pool):
    mission = submit(organization, "provision_domains", {"count": 2, "client": "acme"})
    Mission.objects.filter(pk=mission.pk).update(params={"count": 2, "client": "!!!", "warmup": True})

    assert run_attempt(mission) == "failed"

    assert (mission.status, mission.attempts) == (MissionStatus.FAILED, 1)
    assert mission.error["type"] == "FatalAgentError"
    assert mission.error["message"] == (
        "billing refused the order: client: must contain letters or digits (it names the domain pool and the new "
        "domains)")
    assert mission.error["details"] == {
        "errors": {"client": ["must contain letters or digits (it names the domain pool and the new domains)"]}}
    assert [row.action for row in steps(mission)] == ["validate", "decide", "run"]
    assert Purchase.objects.count() == 0 and Domain.objects.count() == 0
