"""rex_http_request_duration_seconds labels a request by the URL pattern that served it, its method and status, so
two missions' detail pages are one series, and paths that match nothing (or invented methods) add no series."""

import uuid

import pytest

from missions.tests.factories import submit_canary
from ops.tests.metrics_helpers import TOKEN, scrape, value

pytestmark = pytest.mark.django_db

DETAIL = "/api/missions/<uuid:mission_id>/"


def requests_counted(samples: dict, route: str, method: str, status: str) -> float:
    return value(samples, "rex_http_request_duration_seconds_count", route=route, method=method, status=status) or 0


def test_requests_are_counted_under_their_route_template(api_client, organization, settings):
    settings.REX_METRICS_TOKEN = TOKEN
    missions = [submit_canary(organization) for _ in range(2)]
    before = scrape()

    for mission in missions:
        assert api_client.get(f"/api/missions/{mission.id}/").status_code == 200
    assert api_client.get(f"/api/missions/{uuid.uuid4()}/").status_code == 404
    assert api_client.get("/no/such/page/12345").status_code == 404
    assert api_client.generic("BREW", "/api/missions/").status_code == 405
    after = scrape()

    assert requests_counted(after, DETAIL, "GET", "200") - requests_counted(before, DETAIL, "GET", "200") == 2
    assert requests_counted(after, DETAIL, "GET", "404") - requests_counted(before, DETAIL, "GET", "404") == 1
    assert (requests_counted(after, "<unmatched>", "GET", "404")
            - requests_counted(before, "<unmatched>", "GET", "404")) == 1
    assert (requests_counted(after, "/api/missions/", "other", "405")
            - requests_counted(before, "/api/missions/", "other", "405")) == 1
    routes = {dict(labels)["route"] for (name, labels) in after if name == "rex_http_request_duration_seconds_count"}
    assert not any(str(mission.id) in route for mission in missions for route in routes)
    # The histogram's buckets are there, and the slowest bucket holds every request of the series.
    assert value(after, "rex_http_request_duration_seconds_bucket", route=DETAIL, method="GET", status="200",
                 le="+Inf") == requests_counted(after, DETAIL, "GET", "200")
