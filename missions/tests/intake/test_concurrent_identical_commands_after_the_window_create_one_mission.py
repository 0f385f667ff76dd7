"""When the window of a command's last mission has closed, several identical commands at the same moment still
make one new mission: they all compute the same next key, and the unique (organization, idempotency_key)
constraint lets one of them create it."""

import threading

import pytest
from django.db import connection

from missions.models import Mission
from missions.services import Submission, submit_mission
from missions.tests.intake.dedupe_window_helpers import created_seconds_ago

SUBMITTERS = 6
PARAMS = {"message": "race again"}


@pytest.mark.django_db(transaction=True)
def test_concurrent_repeats_after_the_window_make_one_new_mission(organization, settings):
    first = submit_mission(organization, mission_type="canary", params=PARAMS).mission
    created_seconds_ago(str(first.id), settings.REX_COMMAND_DEDUPE_WINDOW_SECONDS + 5)
    start = threading.Barrier(SUBMITTERS, timeout=60)  # a stuck thread fails the test instead of hanging it
    submissions: list[Submission] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            start.wait()
            submissions.append(submit_mission(organization, mission_type="canary", params=PARAMS))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(SUBMITTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(s.created for s in submissions) == 1
    second = Mission.objects.exclude(pk=first.pk).get()
    assert {s.mission.id for s in submissions} == {second.id}
    assert second.idempotency_key == first.idempotency_key + "/2"
