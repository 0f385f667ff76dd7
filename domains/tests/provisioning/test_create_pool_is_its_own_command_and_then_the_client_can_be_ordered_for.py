"""A client's pool is created by its own explicit command, ``create pool globex`` (a mission of the create_pool
agent, nothing bought); after it, domains can be ordered for globex. Creating a pool that exists is refused."""

import pytest

from billing.models import Purchase
from domains.models import DomainPool
from domains.tests.agent_mission_helpers import run_attempt
from missions.models import Mission

pytestmark = pytest.mark.django_db(transaction=True)


def test_create_pool_then_order_domains_for_it(api_client, organization):
    refused = api_client.post("/api/rex/command", {"command": "warm up 2 new domains for globex"}, format="json")
    assert refused.status_code == 400

    created = api_client.post("/api/rex/command", {"command": "create pool globex"}, format="json")

    assert created.status_code == 201, created.data
    assert (created.data["type"], created.data["params"]) == ("create_pool", {"name": "globex"})
    mission = Mission.objects.get(pk=created.data["id"])
    assert run_attempt(mission) == "succeeded", mission.error
    assert mission.result["pool"] == "globex"
    assert DomainPool.objects.filter(organization=organization, slug="globex").exists()
    assert not Purchase.objects.exists()

    ordered = api_client.post("/api/rex/command", {"command": "warm up 2 new domains for globex"}, format="json")
    assert ordered.status_code == 201, ordered.data


def test_creating_a_pool_that_exists_is_refused(api_client, organization):
    DomainPool.objects.create(organization=organization, name="Globex", slug="globex")

    response = api_client.post("/api/rex/command", {"type": "create_pool", "params": {"name": "Globex"}},
                               format="json")

    assert response.status_code == 400
    assert response.json() == {"params": {"name": ["The pool 'globex' exists already."]}}
