"""The same command submitted by several requests at the same moment still makes one mission: the unique
(organization, idempotency_key) constraint settles the race and every loser gets the winner's mission."""

import pytest

from missions.models import Mission, MissionEvent
from missions.services import submit_mission
from missions.tests.intake.concurrency import all_at_once

SUBMITTERS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_submissions_return_one_mission(organization):
    submissions, errors = all_at_once(
        SUBMITTERS, lambda: submit_mission(organization, mission_type="canary", params={"message": "race"}))

    assert errors == []
    assert len(submissions) == SUBMITTERS
    assert sum(s.created for s in submissions) == 1
    assert {s.mission.id for s in submissions} == {Mission.objects.get().id}
    assert MissionEvent.objects.count() == 1
