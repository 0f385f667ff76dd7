"""Another organization's domains do not exist for a caller: not listed, 404 in detail, never assigned, unknown
to release; its pools are unknown too."""

import pytest

from campaigns.models import Campaign
from domains.models import Domain, DomainState
from domains.tests.assignment_helpers import pool, ready_domain
from tenants.models import Organization


@pytest.fixture
def acme_domain(organization):
    return ready_domain(pool(organization), "acme-mail.example")


def test_list_and_detail_show_only_the_callers_domains(acme_domain, api_client, other_organization_client):
    assert other_organization_client.get("/api/domains/").json()["results"] == []
    assert other_organization_client.get("/api/domains/acme-mail.example/").status_code == 404
    assert [d["name"] for d in api_client.get("/api/domains/").json()["results"]] == ["acme-mail.example"]
    assert api_client.get("/api/domains/acme-mail.example/").status_code == 200


def test_another_organization_cannot_assign_or_release_them(acme_domain, api_client, other_organization_client):
    assign_any = other_organization_client.post("/api/domain/assign", {"campaign": "theirs", "count": 1},
                                                format="json")
    assign_pool = other_organization_client.post("/api/domain/assign",
                                                 {"campaign": "theirs", "count": 1, "pool": "acme"}, format="json")
    assert assign_any.status_code == 409
    assert assign_any.json() == {"detail": "organization globex has no domain pool", "available": 0}
    assert assign_pool.status_code == 400
    assert assign_pool.json() == {"pool": ["no domain pool 'acme' in your organization"]}

    assert api_client.post("/api/domain/assign", {"campaign": "ours", "count": 1}, format="json").status_code == 200
    Campaign.named(Organization.objects.get(slug="globex"), "ours")  # same campaign name, their organization
    release = other_organization_client.post("/api/domain/release",
                                             {"campaign": "ours", "domains": ["acme-mail.example"]}, format="json")
    assert release.status_code == 400
    assert release.json() == {"domains": ["unknown domain: acme-mail.example"]}

    acme_domain.refresh_from_db()
    assert (acme_domain.state, acme_domain.campaign.slug) == (DomainState.IN_USE, "ours")
    assert Domain.objects.get().organization.slug == "acme"


def test_filters_cannot_name_another_organizations_pool(acme_domain, other_organization_client):
    response = other_organization_client.get("/api/domains/?pool=acme")

    assert response.status_code == 400
    assert set(response.json()) == {"pool"}
