"""``wait`` is a number of seconds from 0 to 30; anything else is a 400 naming the field, before anything is read."""

import pytest

from missions.tests.factories import submit_canary

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("wait", ["-1", "30.5", "31", "ten", "nan", "inf", ""])
def test_a_wait_out_of_range_or_not_a_number_is_refused(api_client, organization, wait):
    mission = submit_canary(organization)

    response = api_client.get(f"/api/missions/status?ids={mission.id}&wait={wait}")

    assert response.status_code == 400
    assert "wait" in response.json()


@pytest.mark.parametrize("wait", ["0", "0.0"])
def test_a_zero_wait_answers_unfinished_missions_at_once(api_client, organization, wait):
    mission = submit_canary(organization)

    response = api_client.get(f"/api/missions/status?ids={mission.id}&wait={wait}")

    assert response.status_code == 200
    assert not response.streaming
    assert response.json()["missions"][0]["status"] == "queued"
