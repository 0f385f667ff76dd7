"""Bad assignment requests answer 400 with field errors and move nothing: a count outside 1..100, an unknown
pool, a missing or empty campaign name, a finished campaign."""

import pytest

from campaigns.models import Campaign
from domains.models import DomainState
from domains.tests.assignment_helpers import pool, ready_domain, states


@pytest.fixture
def acme(organization):
    acme = pool(organization)
    ready_domain(acme, "acme-mail.example")
    return acme


@pytest.mark.parametrize(("body", "field"), [
    ({"campaign": "spring", "count": 0}, "count"),
    ({"campaign": "spring", "count": 101}, "count"),
    ({"campaign": "spring", "count": "two"}, "count"),
    ({"campaign": "spring"}, "count"),
    ({"count": 1}, "campaign"),
    ({"campaign": "!!!", "count": 1}, "campaign"),
    ({"campaign": "spring", "count": 1, "pool": "nope"}, "pool"),
])
def test_bad_field_is_a_400_on_that_field(api_client, acme, body, field):
    response = api_client.post("/api/domain/assign", body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {field}
    assert states("acme-mail.example") == {"acme-mail.example": DomainState.READY}


def test_unknown_pool_lists_the_known_ones(api_client, acme):
    response = api_client.post("/api/domain/assign", {"campaign": "spring", "count": 1, "pool": "nope"},
                               format="json")

    assert response.json() == {"pool": ["no domain pool 'nope' in your organization (pools: acme)"]}


def test_finished_campaign_cannot_take_domains(api_client, acme, organization):
    Campaign.objects.create(organization=organization, name="Old", slug="old", status=Campaign.Status.FINISHED)

    response = api_client.post("/api/domain/assign", {"campaign": "old", "count": 1}, format="json")

    assert response.status_code == 400
    assert response.json() == {"campaign": ["campaign old is finished; it cannot take domains"]}
