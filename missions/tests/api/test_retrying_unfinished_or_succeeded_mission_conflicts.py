"""Only failed or cancelled missions can be retried: anything else answers 409 and is left alone."""

import pytest

from missions.models import MissionStatus
from missions.tests.factories import drive_to, submit_canary
from missions.tests.publishing import published_tasks


@pytest.mark.parametrize("status", [MissionStatus.QUEUED, MissionStatus.RUNNING, MissionStatus.RETRYING,
                                    MissionStatus.SUCCEEDED])
def test_retry_answers_409(api_client, organization, status, django_capture_on_commit_callbacks):
    mission = drive_to(submit_canary(organization), status)
    events_before = mission.events.count()

    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(f"/api/missions/{mission.id}/retry/")

    assert response.status_code == 409
    assert response.data["status"] == status
    mission.refresh_from_db()
    assert mission.status == status
    assert mission.events.count() == events_before
    assert published == []
