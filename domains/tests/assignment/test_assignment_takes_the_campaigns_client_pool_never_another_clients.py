"""``assign 2 domains to campaign spring-launch [for acme]``: the pool is decided at intake — the one named, else
the campaign's client's — and a campaign is never given another client's domains; with two clients and a campaign
that has none yet, the command must name one. The first assignment from a pool makes it the campaign's client."""

import pytest

from campaigns.models import Campaign
from domains.models import Domain
from domains.tests.agent_mission_helpers import run_attempt
from domains.tests.assignment_helpers import pool, ready_domain
from missions.models import Mission

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_clients(organization):
    acme, globex = pool(organization, "Acme"), pool(organization, "Globex")
    for n in range(3):
        ready_domain(acme, f"acme-{n}.example")
        ready_domain(globex, f"globex-{n}.example")
    return acme, globex


def command(api_client, text: str):
    return api_client.post("/api/rex/command", {"command": text}, format="json")


def test_without_a_client_yet_the_pool_must_be_named(api_client, two_clients):
    response = command(api_client, "assign 2 domains to campaign spring-launch")

    assert response.status_code == 400
    assert response.json()["params"] == {"pool": [
        "Name the client whose domains to take: assign 2 domains to campaign spring-launch for acme "
        "(pools: acme, globex)."]}
    assert not Mission.objects.exists()


def test_the_named_client_becomes_the_campaigns_and_later_commands_default_to_it(api_client, organization,
                                                                                 two_clients):
    acme, _globex = two_clients
    first = command(api_client, "assign 2 domains to campaign spring-launch for acme")
    assert first.status_code == 201, first.data
    assert first.data["params"]["pool"] == "acme"
    assert run_attempt(Mission.objects.get(pk=first.data["id"])) == "succeeded"
    campaign = Campaign.objects.get(organization=organization, slug="spring-launch")
    assert campaign.pool == acme

    more = command(api_client, "assign 1 domain to campaign spring-launch")

    assert more.status_code == 201, more.data
    assert more.data["params"]["pool"] == "acme"
    assert run_attempt(Mission.objects.get(pk=more.data["id"])) == "succeeded"
    assert set(Domain.objects.filter(campaign=campaign).values_list("pool__slug", flat=True)) == {"acme"}
    assert Domain.objects.filter(campaign=campaign).count() == 3


def test_another_clients_pool_is_refused_at_intake(api_client, organization, two_clients):
    acme, _globex = two_clients
    Campaign.objects.create(organization=organization, name="spring-launch", pool=acme)

    response = command(api_client, "assign 1 domain to campaign spring-launch for globex")

    assert response.status_code == 400
    assert response.json()["params"] == {"pool": [
        "Campaign 'spring-launch' sends for client 'acme'; it cannot take domains of 'globex'."]}
    assert not Domain.objects.filter(campaign__isnull=False).exists()


def test_an_unknown_pool_is_refused_with_did_you_mean(api_client, two_clients):
    response = command(api_client, "assign 1 domain to campaign spring-launch for globx")

    assert response.status_code == 400
    assert response.json()["params"] == {"pool": [
        "No pool named 'globx'. Did you mean 'globex'? To add it: create pool globx"]}


def test_the_assign_api_refuses_another_clients_pool_and_defaults_to_the_campaigns(api_client, organization,
                                                                                   two_clients):
    acme, _globex = two_clients
    Campaign.objects.create(organization=organization, name="spring-launch", pool=acme)

    refused = api_client.post("/api/domain/assign", {"campaign": "spring-launch", "count": 1, "pool": "globex"},
                              format="json")
    assigned = api_client.post("/api/domain/assign", {"campaign": "spring-launch", "count": 2}, format="json")

    assert refused.status_code == 400
    assert refused.json() == {"pool": ["campaign spring-launch sends for acme; it cannot take domains of pool globex"]}
    assert assigned.status_code == 200, assigned.data
    assert {d["pool"] for d in assigned.json()["domains"]} == {"acme"}


def test_a_campaign_given_domains_before_it_had_a_client_sends_for_their_pool(api_client, organization,
                                                                              two_clients):
    _acme, _globex = two_clients
    campaign = Campaign.objects.create(organization=organization, name="spring-launch")
    Domain.objects.filter(name="acme-0.example").update(campaign=campaign, state="in_use")

    taken = command(api_client, "assign 1 domain to campaign spring-launch")
    refused = command(api_client, "assign 1 domain to campaign spring-launch for globex")

    assert taken.status_code == 201, taken.data
    assert taken.data["params"]["pool"] == "acme"
    assert refused.status_code == 400
    assert list(refused.json()["params"]) == ["pool"]
