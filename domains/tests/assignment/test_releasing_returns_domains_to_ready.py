"""POST /api/domain/release gives a campaign's domains back to the pool: the ones named, or all of them; each
goes in_use → ready without its campaign, audited, and can be assigned again."""

from domains.models import Domain, DomainState, DomainTransition
from domains.tests.assignment_helpers import pool, ready_domain


def assign(api_client, count: int) -> list[str]:
    response = api_client.post("/api/domain/assign", {"campaign": "spring-launch", "count": count}, format="json")
    assert response.status_code == 200, response.data
    return [d["name"] for d in response.json()["domains"]]


def test_named_domains_are_released(api_client, organization):
    acme = pool(organization)
    for n in range(3):
        ready_domain(acme, f"acme-{n}.example")
    assign(api_client, 3)

    response = api_client.post("/api/domain/release",
                               {"campaign": "spring-launch", "domains": ["ACME-1.example.", "acme-0.example"]},
                               format="json")

    assert response.status_code == 200, response.data
    body = response.json()
    assert body["campaign"] == "spring-launch"
    assert [(d["name"], d["state"], d["campaign"]) for d in body["domains"]] == [
        ("acme-1.example", "ready", None), ("acme-0.example", "ready", None)]
    assert dict(Domain.objects.values_list("name", "state")) == {
        "acme-0.example": DomainState.READY, "acme-1.example": DomainState.READY,
        "acme-2.example": DomainState.IN_USE}
    released = DomainTransition.objects.get(domain__name="acme-1.example", to_state=DomainState.READY)
    assert (released.from_state, released.actor, released.reason) == (
        DomainState.IN_USE, "alice", "released from campaign spring-launch")
    assert Domain.objects.get(name="acme-1.example").assigned_at is not None  # kept: when it was last assigned


def test_without_names_every_domain_of_the_campaign_is_released(api_client, organization):
    acme = pool(organization)
    for n in range(2):
        ready_domain(acme, f"acme-{n}.example")
    other = ready_domain(acme, "other.example")
    assign(api_client, 2)
    api_client.post("/api/domain/assign", {"campaign": "summer", "count": 1}, format="json")

    response = api_client.post("/api/domain/release", {"campaign": "spring-launch"}, format="json")

    assert response.status_code == 200
    assert sorted(d["name"] for d in response.json()["domains"]) == ["acme-0.example", "acme-1.example"]
    other.refresh_from_db()
    assert (other.state, other.campaign.slug) == (DomainState.IN_USE, "summer")
    # Released domains are free for the next campaign.
    assert sorted(assign(api_client, 2)) == ["acme-0.example", "acme-1.example"]
