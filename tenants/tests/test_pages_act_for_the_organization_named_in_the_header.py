"""The dashboard pages honour ``X-Rex-Organization`` as the API does: a member of two organizations sees the one
named, a name they are not a member of shows nothing of it, and without the header they see their first."""

import pytest
from django.test import Client

from missions.tests.factories import submit_canary
from tenants.models import Membership, Organization


@pytest.fixture
def two_organizations(user, organization):
    globex = Organization.objects.create(name="Globex", slug="globex")
    Membership.objects.create(user=user, organization=globex)
    submit_canary(organization, tag="acme-only")
    submit_canary(globex, tag="globex-only")
    client = Client()
    client.force_login(user)
    return client, globex


def tags_on_dashboard(response) -> set[str]:
    return {mission.params.get("tag") for mission in response.context["missions"]}


def test_dashboard_shows_the_organization_named_in_the_header(two_organizations):
    client, globex = two_organizations

    response = client.get("/", HTTP_X_REX_ORGANIZATION="globex")

    assert response.status_code == 200
    assert response.context["organization"] == globex
    assert tags_on_dashboard(response) == {"globex-only"}


def test_dashboard_without_the_header_shows_the_first_organization(two_organizations, organization):
    client, _ = two_organizations

    response = client.get("/")

    assert response.context["organization"] == organization
    assert tags_on_dashboard(response) == {"acme-only"}


def test_naming_an_organization_the_user_is_not_in_shows_none_of_it(two_organizations, django_user_model):
    client, _ = two_organizations
    initech = Organization.objects.create(name="Initech", slug="initech")
    submit_canary(initech, tag="initech-only")

    for page in ("/", "/domains/"):
        response = client.get(page, HTTP_X_REX_ORGANIZATION="initech")
        assert response.status_code == 200
        assert response.context["organization"] is None
        assert "initech-only" not in response.content.decode()


def test_domains_page_shows_the_pools_of_the_organization_named(two_organizations):
    from domains.models import DomainPool

    client, globex = two_organizations
    DomainPool.objects.create(organization=globex, name="Globex pool")

    response = client.get("/domains/", HTTP_X_REX_ORGANIZATION="globex")

    assert [pool["name"] for pool in response.context["pools"]] == ["Globex pool"]
