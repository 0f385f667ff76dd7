"""Asking for more domains than are ready answers 409 with the reason and how many are available; nothing moves
(all or nothing) and a campaign named for the first time is not created."""

from campaigns.models import Campaign
from domains.models import DomainState, DomainTransition
from domains.tests.assignment_helpers import pool, ready_domain, states


def test_not_enough_ready_domains_is_a_conflict_and_nothing_moves(api_client, organization):
    acme = pool(organization)
    ready_domain(acme, "acme-mail.example")
    ready_domain(acme, "acme-warm.example", state=DomainState.WARMING)

    response = api_client.post("/api/domain/assign", {"campaign": "spring-launch", "count": 2, "pool": "acme"},
                               format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "only 1 ready domain in pool acme, 2 asked", "available": 1}
    assert states("acme-mail.example", "acme-warm.example") == {"acme-mail.example": DomainState.READY,
                                                               "acme-warm.example": DomainState.WARMING}
    assert not DomainTransition.objects.exists()
    assert not Campaign.objects.filter(slug="spring-launch").exists()


def test_an_empty_pool_says_no_ready_domain(api_client, organization):
    pool(organization)

    response = api_client.post("/api/domain/assign", {"campaign": "spring-launch", "count": 1}, format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "no ready domain in pool acme, 1 asked", "available": 0}
