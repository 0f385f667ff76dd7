"""GET /api/missions/ narrows by ?status= (repeatable: any of them) and ?type=; an unknown status is a 400."""

import pytest

from missions.models import Mission, MissionStatus


@pytest.fixture
def missions(organization) -> dict[tuple[str, str], Mission]:
    """One mission per (type, status) pair."""
    made = {}
    for mission_type in ("canary", "warmup"):
        for status in MissionStatus.values:
            made[mission_type, status] = Mission.objects.create(
                organization=organization, type=mission_type, status=status,
                idempotency_key=f"{mission_type}-{status}")
    return made


def ids(response) -> set[str]:
    assert response.status_code == 200, response.data
    return {m["id"] for m in response.data["results"]}


def test_status_filter_returns_only_that_status(api_client, missions):
    listed = ids(api_client.get("/api/missions/?status=failed"))

    assert listed == {str(missions["canary", "failed"].id), str(missions["warmup", "failed"].id)}


def test_repeated_status_filter_returns_any_of_them(api_client, missions):
    listed = ids(api_client.get("/api/missions/?status=failed&status=cancelled"))

    assert listed == {str(m.id) for (_, status), m in missions.items() if status in {"failed", "cancelled"}}


def test_type_filter_returns_only_that_type(api_client, missions):
    listed = ids(api_client.get("/api/missions/?type=warmup"))

    assert listed == {str(m.id) for (mission_type, _), m in missions.items() if mission_type == "warmup"}


def test_status_and_type_filters_combine(api_client, missions):
    listed = ids(api_client.get("/api/missions/?type=canary&status=queued&status=running"))

    assert listed == {str(missions["canary", "queued"].id), str(missions["canary", "running"].id)}


def test_unknown_status_answers_400(api_client, missions):
    response = api_client.get("/api/missions/?status=failed&status=exploded")

    assert response.status_code == 400
    assert "status" in response.data
