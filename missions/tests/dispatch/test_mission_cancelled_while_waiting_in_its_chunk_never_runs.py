"""A mission of a chunk cancelled while an earlier one runs is not started. Not claimed yet (the chunk is claimed
in waves), its claim finds it cancelled; claimed in the same wave, the runner renews the wave's leases when it
writes outcomes, sees the mission is no longer held, and skips it. Either way its agent never runs."""

from collections.abc import Iterator

import pytest

from agents import registry
from agents.base import AgentResult, BaseAgent, MissionContext
from agents.models import AgentLog
from missions.models import Mission, MissionStatus
from missions.runner import _run_missions, run_batch
from missions.services import submit_mission
from missions.tests.factories import submit_canary

pytestmark = pytest.mark.django_db(transaction=True)


class CancelsTheNextOne(BaseAgent):
    """Stands for an ops user who cancels another mission of the chunk while this one runs."""

    name = "test_cancels_next"

    def run(self, context: MissionContext) -> AgentResult:
        Mission.objects.get(pk=context.params["victim"]).cancel(by=None)
        return AgentResult({"cancelled": context.params["victim"]})


@pytest.fixture
def canceller() -> Iterator[None]:
    registry.register(CancelsTheNextOne)
    yield
    registry._agents.pop(CancelsTheNextOne.name, None)


def chunk(organization) -> tuple[Mission, Mission, Mission]:
    victim = submit_canary(organization, message="must not run")
    first = submit_mission(organization, mission_type="test_cancels_next", params={"victim": str(victim.id)}).mission
    last = submit_canary(organization, message="runs")
    return first, victim, last


def test_the_cancelled_mission_is_skipped_and_the_rest_still_run(organization, settings, canceller):
    first, victim, last = chunk(organization)

    counts = run_batch([str(first.id), str(victim.id), str(last.id)], worker="w1")

    assert counts == {"skipped": 1, "succeeded": 2}
    victim.refresh_from_db()
    assert victim.status == MissionStatus.CANCELLED and victim.result is None
    assert list(victim.events.values_list("kind", flat=True)) == ["queued", "cancelled"]
    assert not AgentLog.objects.filter(mission=victim).exists()
    assert Mission.objects.get(pk=last.pk).status == MissionStatus.SUCCEEDED


def test_a_mission_cancelled_after_its_wave_was_claimed_is_not_started(organization, settings, canceller):
    settings.REX_BATCH_FLUSH_SECONDS = 0  # write outcomes (and renew leases) after every mission
    first, victim, last = chunk(organization)
    wave = Mission.claim_batch([str(first.id), str(victim.id), str(last.id)], worker="w1")

    outcomes = _run_missions(wave)

    assert sorted(outcomes) == ["not started (no longer ours)", "succeeded", "succeeded"]
    victim.refresh_from_db()
    assert victim.status == MissionStatus.CANCELLED and victim.result is None
    assert list(victim.events.values_list("kind", flat=True)) == ["queued", "running", "cancelled"]
    assert not AgentLog.objects.filter(mission=victim).exists()
    assert Mission.objects.get(pk=last.pk).status == MissionStatus.SUCCEEDED
