"""Releasing a domain that is not in use by that campaign (another campaign's, or not in use at all) answers 409
naming it, and nothing is released."""

from domains.models import DomainState
from domains.tests.assignment_helpers import pool, ready_domain, states


def test_domains_of_another_campaign_or_idle_ones_are_refused(api_client, organization):
    acme = pool(organization)
    ready_domain(acme, "a.example", inboxes=3)
    ready_domain(acme, "b.example", inboxes=2)
    ready_domain(acme, "idle.example", state=DomainState.WARMING)
    api_client.post("/api/domain/assign", {"campaign": "spring", "count": 1}, format="json")  # a.example
    api_client.post("/api/domain/assign", {"campaign": "summer", "count": 1}, format="json")  # b.example

    response = api_client.post("/api/domain/release",
                               {"campaign": "spring", "domains": ["a.example", "b.example", "idle.example"]},
                               format="json")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "not assigned to campaign spring: b.example is in use by campaign summer; idle.example is warming",
        "domains": ["b.example", "idle.example"],
    }
    assert states("a.example", "b.example") == {"a.example": DomainState.IN_USE, "b.example": DomainState.IN_USE}
