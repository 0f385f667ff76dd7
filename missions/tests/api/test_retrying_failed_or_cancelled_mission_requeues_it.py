"""POST /api/missions/{id}/retry/ on a failed or cancelled mission queues it again with a fresh attempt budget
and sends it to the workers once the transaction commits."""

import pytest

from missions.models import Mission, MissionStatus
from missions.tests.factories import drive_to, submit_canary
from missions.tests.publishing import published_mission_ids, published_tasks


@pytest.mark.parametrize("status", [MissionStatus.FAILED, MissionStatus.CANCELLED])
def test_retry_answers_200_with_the_requeued_mission(api_client, organization, user, status,
                                                     django_capture_on_commit_callbacks):
    mission = drive_to(submit_canary(organization), status)

    with published_tasks() as published:
        with django_capture_on_commit_callbacks(execute=True):
            response = api_client.post(f"/api/missions/{mission.id}/retry/")
            assert published == []  # not before commit

    assert response.status_code == 200, response.data
    assert response.data["status"] == "queued"
    assert response.data["attempts"] == 0
    assert response.data["error"] is None and response.data["finished_at"] is None
    last = response.data["events"][-1]
    assert (last["kind"], last["from_status"], last["to_status"]) == ("queued", status, "queued")
    assert published_mission_ids(published) == [str(mission.id)]
    mission.refresh_from_db()
    assert mission.status == MissionStatus.QUEUED
    assert mission.events.get(seq=last["seq"]).actor == user


def test_retried_mission_can_be_claimed_again_for_all_its_attempts(api_client, organization):
    mission = drive_to(submit_canary(organization), MissionStatus.FAILED)
    Mission.objects.filter(pk=mission.pk).update(attempts=mission.max_attempts)  # it had used up its budget

    assert api_client.post(f"/api/missions/{mission.id}/retry/").status_code == 200

    claimed = Mission.claim(mission.id, worker="w")
    assert claimed is not None
    assert claimed.attempts == 1
