"""When the window of a command's last mission has closed, several identical commands at the same moment still
make one new mission: they all compute the same next key, and the unique (organization, idempotency_key)
constraint lets one of them create it."""

import pytest

from missions.models import Mission
from missions.services import submit_mission
from missions.tests.intake.concurrency import all_at_once
from missions.tests.intake.dedupe_window_helpers import created_seconds_ago

SUBMITTERS = 6
PARAMS = {"message": "race again"}


@pytest.mark.django_db(transaction=True)
def test_concurrent_repeats_after_the_window_make_one_new_mission(organization, settings):
    first = submit_mission(organization, mission_type="canary", params=PARAMS).mission
    created_seconds_ago(str(first.id), settings.REX_COMMAND_DEDUPE_WINDOW_SECONDS + 5)

    submissions, errors = all_at_once(
        SUBMITTERS, lambda: submit_mission(organization, mission_type="canary", params=PARAMS))

    assert errors == []
    assert sum(s.created for s in submissions) == 1
    second = Mission.objects.exclude(pk=first.pk).get()
    assert {s.mission.id for s in submissions} == {second.id}
    assert second.idempotency_key == first.idempotency_key + "/2"
