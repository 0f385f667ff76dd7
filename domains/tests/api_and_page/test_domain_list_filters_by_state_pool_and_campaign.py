"""GET /api/domains/ lists the organization's domains by name, paginated, with today's sends, filterable by state
(repeatable), pool and campaign; an unknown filter value is a 400."""

from domains.models import DomainState
from domains.tests.assignment_helpers import pool, ready_domain


def names(response) -> list[str]:
    assert response.status_code == 200, response.data
    return [d["name"] for d in response.json()["results"]]


def test_filters_narrow_the_list(api_client, organization):
    acme, globex = pool(organization, "Acme"), pool(organization, "Globex")
    ready_domain(acme, "a-ready.example", inboxes=3)
    ready_domain(acme, "b-warming.example", state=DomainState.WARMING)
    ready_domain(globex, "c-ready.example")
    ready_domain(globex, "d-resting.example", state=DomainState.RESTING)
    api_client.post("/api/domain/assign", {"campaign": "spring", "count": 1, "pool": "acme"}, format="json")

    assert names(api_client.get("/api/domains/")) == ["a-ready.example", "b-warming.example", "c-ready.example",
                                                      "d-resting.example"]
    assert names(api_client.get("/api/domains/?state=ready&state=resting")) == ["c-ready.example",
                                                                                "d-resting.example"]
    assert names(api_client.get("/api/domains/?pool=globex")) == ["c-ready.example", "d-resting.example"]
    assert names(api_client.get("/api/domains/?campaign=spring")) == ["a-ready.example"]
    assert names(api_client.get("/api/domains/?pool=acme&state=warming")) == ["b-warming.example"]

    [row] = api_client.get("/api/domains/?campaign=spring").json()["results"]
    assert {k: row[k] for k in ("state", "pool", "campaign", "inbox_count", "sending_inboxes", "today_sent",
                                "today_limit", "warmup_progress", "dns_ok")} == {
        "state": "in_use", "pool": "acme", "campaign": "spring", "inbox_count": 3, "sending_inboxes": 3,
        "today_sent": 0, "today_limit": 120, "warmup_progress": 100, "dns_ok": True}


def test_unknown_filter_values_are_rejected(api_client, organization):
    pool(organization)

    response = api_client.get("/api/domains/?state=sleeping&pool=nope&campaign=nope")

    assert response.status_code == 400
    assert set(response.json()) == {"state", "pool", "campaign"}


def test_the_list_is_paginated(api_client, organization, settings):
    acme = pool(organization)
    for n in range(55):
        ready_domain(acme, f"d{n:02}.example", inboxes=0)

    first = api_client.get("/api/domains/").json()
    second = api_client.get(first["next"]).json()

    assert first["count"] == 55
    assert len(first["results"]) == 50 and len(second["results"]) == 5
    assert second["results"][-1]["name"] == "d54.example"
    assert second["next"] is None
