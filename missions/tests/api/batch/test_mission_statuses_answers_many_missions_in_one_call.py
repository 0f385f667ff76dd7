"""``GET /api/missions/status?ids=…`` says where up to 100 missions stand in one call, in the order asked, scoped
to the caller's organization: another organization's mission is "missing", like one that never existed."""

import uuid

import pytest

from missions.tests.factories import drive_to, submit_canary

pytestmark = pytest.mark.django_db


def test_statuses_come_in_the_order_of_the_ids_with_unknown_ones_missing(api_client, organization):
    queued = submit_canary(organization, tag="q")
    done = drive_to(submit_canary(organization, tag="d"), "succeeded")
    nowhere = uuid.uuid4()

    response = api_client.get(f"/api/missions/status?ids={done.id},{nowhere},{queued.id}")

    assert response.status_code == 200
    body = response.json()
    assert [(m["id"], m["type"], m["status"]) for m in body["missions"]] == [
        (str(done.id), "canary", "succeeded"), (str(queued.id), "canary", "queued")]
    assert body["missions"][0]["finished_at"] is not None and body["missions"][1]["finished_at"] is None
    assert body["missing"] == [str(nowhere)]


def test_a_repeated_id_is_answered_once(api_client, organization):
    mission = submit_canary(organization)

    response = api_client.get(f"/api/missions/status?ids={mission.id},{mission.id}")

    assert [m["id"] for m in response.json()["missions"]] == [str(mission.id)]


def test_another_organizations_mission_is_missing(other_organization_client, organization):
    mission = submit_canary(organization)

    response = other_organization_client.get(f"/api/missions/status?ids={mission.id}")

    assert response.status_code == 200
    assert response.json() == {"missions": [], "missing": [str(mission.id)]}


def test_a_batch_is_read_in_one_query(api_client, django_assert_max_num_queries):
    ids = [m["id"] for m in api_client.post("/api/rex/commands", {"commands": [
        {"type": "canary", "params": {"tag": f"n{i}"}} for i in range(25)]}, format="json").json()["missions"]]

    with django_assert_max_num_queries(1):  # the missions; the key's credentials are cached since the POST
        response = api_client.get(f"/api/missions/status?ids={','.join(ids)}")

    assert [m["id"] for m in response.json()["missions"]] == ids
