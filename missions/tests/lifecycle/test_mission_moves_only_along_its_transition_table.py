"""``Mission`` moves only along ``MISSION_STATES``; a move the table forbids is a programming error and raises
before anything is written, and a move that makes a mission runnable sends it to a worker by itself."""

import pytest
from django.db.models import Q

from missions.models import MISSION_STATES, IllegalTransition, Mission, MissionStatus
from missions.tests.factories import drive_to, submit_canary
from missions.tests.publishing import published_tasks

pytestmark = pytest.mark.django_db


def test_a_finished_mission_has_nowhere_to_go_but_a_fresh_start():
    assert MISSION_STATES.allowed(MissionStatus.SUCCEEDED) == frozenset()
    # A fresh start: queued, or awaiting approval again for a mission that costs money (missions/tests/approvals).
    assert MISSION_STATES.allowed(MissionStatus.FAILED) == {MissionStatus.QUEUED, MissionStatus.AWAITING_APPROVAL}
    assert MISSION_STATES.final_states == {MissionStatus.SUCCEEDED}


def test_a_move_the_table_forbids_raises_and_writes_nothing(organization):
    mission = drive_to(submit_canary(organization), MissionStatus.SUCCEEDED)
    events = mission.events.count()

    with pytest.raises(IllegalTransition, match="cannot go from succeeded to running"):
        mission._apply((MissionStatus.SUCCEEDED,), Q(), {"status": MissionStatus.RUNNING}, kind="running")

    mission.refresh_from_db()
    assert (mission.status, mission.events.count()) == (MissionStatus.SUCCEEDED, events)


def test_resuming_a_waiting_mission_sends_it_to_a_worker_after_commit(organization,
                                                                      django_capture_on_commit_callbacks):
    mission = drive_to(submit_canary(organization), MissionStatus.RUNNING)
    mission.mark_waiting(reason="an LLM answer", correlation_id="c-1", timeout_seconds=60)

    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
        assert mission.resume(reason="answer arrived")

    assert [(task.task, task.args) for task in published] == [("missions.run_mission", (str(mission.id),))]


def test_a_retry_is_sent_with_its_delay_by_the_move_itself(organization, django_capture_on_commit_callbacks):
    mission = Mission.claim(submit_canary(organization).pk, worker="w1")

    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
        assert mission.mark_retrying({"message": "timeout", "recoverable": True}, 4)

    [task] = published
    assert (task.task, task.args) == ("missions.run_mission", (str(mission.id),))
    assert task.eta is not None


def test_a_stale_instance_loses_quietly_instead_of_raising(organization):
    mission = submit_canary(organization)
    stale = Mission.objects.get(pk=mission.pk)
    mission.cancel()

    # The copy still believes it is queued; the database says cancelled, so the claim is simply not won.
    assert Mission.claim(stale.pk, worker="w1") is None
    assert stale.resume(reason="late answer") is False
