"""The same command submitted by several requests at the same moment still makes one mission: the unique
(organization, idempotency_key) constraint settles the race and every loser gets the winner's mission."""

import threading

import pytest
from django.db import connection

from missions.models import Mission, MissionEvent
from missions.services import Submission, submit_mission

SUBMITTERS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_submissions_return_one_mission(organization):
    start = threading.Barrier(SUBMITTERS, timeout=60)  # a stuck thread fails the test instead of hanging it
    submissions: list[Submission] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            start.wait()
            submissions.append(submit_mission(organization, mission_type="canary", params={"message": "race"}))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=submit) for _ in range(SUBMITTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(submissions) == SUBMITTERS
    assert sum(s.created for s in submissions) == 1
    assert {s.mission.id for s in submissions} == {Mission.objects.get().id}
    assert MissionEvent.objects.count() == 1
