"""A result the agent already produced is reused from Redis instead of doing the work again: e.g. the worker died
after the agent finished but before the outcome was committed, and the mission runs again."""

import pytest

from agents.base import MissionContext
from agents.idempotency import generate_idempotency_key
from agents.models import AgentLog
from missions.models import Mission, MissionStatus
from missions.runner import run_claimed
from missions.services import submit_mission

pytestmark = pytest.mark.django_db(transaction=True)


def test_rerun_after_a_lost_outcome_reuses_the_cached_result(organization, counting_agent):
    mission = submit_mission(organization, mission_type="test_counting", params={"numbers": [1, 2, 3]}).mission
    assert mission.result_key == generate_idempotency_key("test_counting", {"numbers": [1, 2, 3]})
    # The first attempt: the agent finishes (and caches) but its outcome never reaches the database.
    first = Mission.claim(mission.id, worker="doomed")
    counting_agent().run(MissionContext(first))
    Mission.objects.filter(pk=mission.pk).update(lease_expires_at=first.lease_expires_at.replace(year=2000))

    assert run_claimed(str(mission.id), worker="successor") == "succeeded"

    mission.refresh_from_db()
    assert mission.status == MissionStatus.SUCCEEDED
    assert mission.result == {"total": 6}
    assert counting_agent.executions == [str(mission.id)]  # the work ran once
    assert mission.events.last().data["reused_from"] == "cache"
    run_row = AgentLog.objects.get(mission=mission, action="run")
    assert run_row.payload == {"outcome": "succeeded", "reused_from": "cache"}
    assert AgentLog.objects.get(mission=mission, action="reuse").payload == {"source": "cache"}


def test_another_organization_never_gets_the_result(organization, other_organization_client, counting_agent):
    from tenants.models import Organization

    other = Organization.objects.exclude(pk=organization.pk).get()
    ours = submit_mission(organization, mission_type="test_counting", params={"numbers": [5]}).mission
    theirs = submit_mission(other, mission_type="test_counting", params={"numbers": [5]}).mission
    assert ours.result_key == theirs.result_key

    run_claimed(str(ours.id), worker="w")
    run_claimed(str(theirs.id), worker="w")

    assert counting_agent.executions == [str(ours.id), str(theirs.id)]


def test_a_client_key_stands_for_the_params(organization, counting_agent):
    keyed = submit_mission(organization, mission_type="test_counting", params={"numbers": [7]},
                           idempotency_key="order-42").mission
    derived = submit_mission(organization, mission_type="test_counting", params={"numbers": [7]}).mission

    assert keyed.result_key == generate_idempotency_key("test_counting", {"numbers": [7]}, "order-42")
    assert keyed.result_key != derived.result_key
