"""A mission whose outside answer never comes is not stuck forever: past the deadline the sweeper treats the wait
as a recoverable failure (retry after the usual delay), or fails the mission on its last attempt."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from agents import registry
from agents.base import AwaitExternal, BaseAgent, MissionContext
from missions.models import Mission, MissionStatus
from missions.runner import run_claimed
from missions.services import submit_mission
from missions.sweeper import sweep

pytestmark = pytest.mark.django_db(transaction=True)


class ForeverAskingAgent(BaseAgent):
    name = "test_forever_asker"

    def execute(self, context: MissionContext, plan: dict[str, Any]) -> dict[str, Any]:
        raise AwaitExternal("an answer that never comes", correlation_id="never")


@pytest.fixture
def asker() -> Iterator[None]:
    registry.register(ForeverAskingAgent)
    yield
    registry.unregister(ForeverAskingAgent.name)


def _past_deadline(mission: Mission) -> None:
    Mission.objects.filter(pk=mission.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_expired_wait_is_retried_after_the_first_delay(organization, asker):
    mission = submit_mission(organization, mission_type="test_forever_asker", params={}).mission
    assert run_claimed(str(mission.id), worker="w") == "waiting"
    mission.refresh_from_db()
    assert mission.next_attempt_at > timezone.now() + timedelta(seconds=800)  # the default deadline (900 s)
    _past_deadline(mission)

    assert sweep()["waits_expired"] == 1

    mission.refresh_from_db()
    assert mission.status == MissionStatus.RETRYING
    assert mission.attempts == 1
    assert mission.error["type"] == "WaitExpired"
    assert mission.events.last().data["retry_in_seconds"] == 2


def test_expired_wait_on_the_last_attempt_fails_the_mission(organization, asker):
    mission = submit_mission(organization, mission_type="test_forever_asker", params={}).mission
    Mission.objects.filter(pk=mission.pk).update(attempts=mission.max_attempts - 1)
    assert run_claimed(str(mission.id), worker="w") == "waiting"
    mission.refresh_from_db()
    _past_deadline(mission)

    sweep()

    mission.refresh_from_db()
    assert mission.status == MissionStatus.FAILED
    assert mission.attempts == mission.max_attempts
    assert mission.error["recoverable"] is False
    assert "gave up waiting" in mission.error["message"]
