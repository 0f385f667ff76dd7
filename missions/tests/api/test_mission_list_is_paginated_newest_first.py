"""GET /api/missions/ pages the organization's missions 50 at a time, newest first."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from missions.models import Mission


def make_missions(organization, count: int) -> list[Mission]:
    """``count`` missions in one INSERT, created a second apart; returned oldest first."""
    start = timezone.now() - timedelta(hours=1)
    return Mission.objects.bulk_create(
        Mission(organization=organization, type="canary", params={"n": n}, idempotency_key=f"bulk-{n:04d}",
                created_at=start + timedelta(seconds=n), updated_at=start + timedelta(seconds=n))
        for n in range(count)
    )


def test_51_missions_come_as_a_page_of_50_then_a_page_of_1(api_client, organization):
    page_size = settings.REST_FRAMEWORK["PAGE_SIZE"]
    missions = make_missions(organization, page_size + 1)

    first = api_client.get("/api/missions/")
    second = api_client.get(first.data["next"])

    assert first.status_code == 200
    assert first.data["count"] == page_size + 1
    assert len(first.data["results"]) == page_size
    assert first.data["previous"] is None
    assert first.data["next"].endswith("/api/missions/?page=2")
    assert second.status_code == 200
    assert second.data["next"] is None
    assert [m["id"] for m in second.data["results"]] == [str(missions[0].id)]  # the oldest comes last


def test_missions_are_listed_newest_first(api_client, organization):
    missions = make_missions(organization, 5)

    listed = [m["id"] for m in api_client.get("/api/missions/").data["results"]]

    assert listed == [str(m.id) for m in reversed(missions)]


def test_a_page_past_the_end_answers_404(api_client, organization):
    make_missions(organization, 3)

    assert api_client.get("/api/missions/?page=2").status_code == 404
