"""A question naming a client, campaign, inbox or domain that does not exist is refused (400) with the closest
names ("did you mean …?", the whole command with the name fixed, which the dashboard offers as a button); a
bare name that several things carry asks which one. Only the caller's organization's names are looked at."""

import pytest

from campaigns.models import Campaign
from domains.tests.factories import create_domain
from replies.tests.answers.outreach import identities
from tenants.models import Organization

pytestmark = pytest.mark.django_db


def command(api_client, text):
    return api_client.post("/api/rex/command", {"command": text}, format="json")


def test_a_typo_in_a_name_suggests_the_name_that_exists(api_client, organization):
    identities(organization)

    response = command(api_client, "show bounce rate for acmee")

    assert response.status_code == 400
    assert response.json()["command"] == [
        "no client, campaign, inbox or domain called 'acmee' in your organization; did you mean "
        "'show bounce rate for client acme'?"]


def test_a_named_kind_looks_only_among_that_kind(api_client, organization):
    identities(organization)

    response = command(api_client, "how many emails did we send today for campaign sprng-launch")

    assert response.json()["command"] == [
        "no campaign called 'sprng-launch' in your organization; did you mean "
        "'how many emails did we send today for campaign spring-launch'?"]


def test_a_name_two_things_carry_asks_which(api_client, organization):
    identities(organization)
    Campaign.objects.create(organization=organization, name="Acme", slug="acme")

    response = command(api_client, "show bounce rate for acme")

    assert response.status_code == 400
    assert response.json()["command"] == [
        "'acme' names more than one thing in your organization: client acme, campaign acme; did you mean "
        "'show bounce rate for client acme' or 'show bounce rate for campaign acme'?"]


def test_another_organizations_names_are_unknown(api_client, organization):
    other = Organization.objects.create(name="Globex Outbound", slug="globex-org")
    create_domain(other, "initech-mail.example", client="initech")

    response = command(api_client, "show bounce rate for initech")

    assert response.json()["command"] == ["no client, campaign, inbox or domain called 'initech' in your organization"]
