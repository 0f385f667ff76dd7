"""``warm up 2 new domains for globex`` when the organization has no pool globex is refused at intake — a 400 on
the field with the closest client and the command that creates one — instead of creating a pool and buying."""

import pytest

from billing.models import Purchase
from domains.models import DomainPool
from domains.tests.assignment_helpers import pool
from missions.models import Mission

pytestmark = pytest.mark.django_db


def test_a_typed_order_for_an_unknown_client_names_the_closest_one(api_client, organization):
    pool(organization, "Acme")
    response = api_client.post("/api/rex/command", {"type": "provision_domains",
                                                    "params": {"count": 2, "client": "acmee"}}, format="json")

    assert response.status_code == 400
    assert response.json() == {"params": {"client": [
        "No client named 'acmee'. Did you mean 'acme'? To add it: create pool acmee"]}}
    assert not Mission.objects.exists()


def test_free_text_for_a_client_nothing_is_close_to_says_how_to_create_it(api_client, organization):
    pool(organization, "Acme")
    response = api_client.post("/api/rex/command", {"command": "warm up 2 new domains for globex"}, format="json")

    assert response.status_code == 400
    [message] = response.json()["command"]
    assert message.endswith("but there is no client named 'globex' (To add it: create pool globex)")
    assert not Mission.objects.exists()
    assert not Purchase.objects.exists()
    assert list(DomainPool.objects.values_list("slug", flat=True)) == ["acme"]


def test_an_order_for_an_existing_client_is_accepted(api_client, organization):
    pool(organization, "Acme")
    response = api_client.post("/api/rex/command", {"command": "warm up 2 new domains for ACME"}, format="json")

    assert response.status_code == 201, response.data
