"""``GET /api/missions/status?ids=…&wait=<seconds>`` answers at once, with the same body as without ``wait``, when
there is nothing to wait for: every mission final, or only missions the caller cannot see."""

import uuid

import pytest

from missions.tests.factories import drive_to, submit_canary

pytestmark = pytest.mark.django_db


def test_final_missions_are_answered_at_once_with_the_body_of_a_plain_read(api_client, organization):
    done = drive_to(submit_canary(organization, tag="d"), "succeeded")
    failed = drive_to(submit_canary(organization, tag="f"), "failed")
    cancelled = drive_to(submit_canary(organization, tag="c"), "cancelled")
    nowhere = uuid.uuid4()
    ids = f"{done.id},{failed.id},{cancelled.id},{nowhere}"

    waited = api_client.get(f"/api/missions/status?ids={ids}&wait=30")

    assert waited.status_code == 200
    assert not waited.streaming  # answered by the view itself: no waiting body
    assert waited.json() == api_client.get(f"/api/missions/status?ids={ids}").json()
    assert [m["status"] for m in waited.json()["missions"]] == ["succeeded", "failed", "cancelled"]


def test_another_organizations_unfinished_mission_is_missing_and_not_waited_for(other_organization_client,
                                                                                organization):
    queued = submit_canary(organization)

    response = other_organization_client.get(f"/api/missions/status?ids={queued.id}&wait=30")

    assert response.status_code == 200
    assert not response.streaming
    assert response.json() == {"missions": [], "missing": [str(queued.id)]}
