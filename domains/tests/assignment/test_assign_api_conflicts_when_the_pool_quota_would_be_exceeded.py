"""A pool's quota caps how many of its domains are in use at once: an assignment that would pass it answers 409,
whatever is ready, and moves nothing."""

from domains.models import Domain, DomainState
from domains.tests.assignment_helpers import pool, ready_domain


def test_assignment_past_the_quota_is_a_conflict(api_client, organization):
    acme = pool(organization, quota=2)
    ready_domain(acme, "busy.example", state=DomainState.IN_USE)
    for n in range(3):
        ready_domain(acme, f"ready-{n}.example")

    response = api_client.post("/api/domain/assign", {"campaign": "spring-launch", "count": 2, "pool": "acme"},
                               format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "quota of 2 domains in use for pool acme leaves room for 1 more (1 in use), "
                                         "2 asked", "available": 1}
    assert Domain.objects.filter(state=DomainState.IN_USE).count() == 1


def test_a_full_pool_says_its_quota_is_reached(api_client, organization):
    acme = pool(organization, quota=2)
    ready_domain(acme, "busy-1.example", state=DomainState.IN_USE)
    ready_domain(acme, "busy-2.example", state=DomainState.IN_USE)
    ready_domain(acme, "ready.example")

    response = api_client.post("/api/domain/assign", {"campaign": "spring-launch", "count": 1, "pool": "acme"},
                               format="json")

    assert response.status_code == 409
    assert response.json() == {"detail": "quota of 2 domains in use reached for pool acme (2 in use)", "available": 0}
    assert Domain.objects.get(name="ready.example").state == DomainState.READY
