"""Releasing names the organization has no domain of answers 400 listing them, and nothing is released, not even
the known domains named alongside; an unknown campaign is a 400 on "campaign"."""

from domains.models import DomainState
from domains.tests.assignment_helpers import pool, ready_domain, states


def test_unknown_names_are_listed_and_nothing_moves(api_client, organization):
    ready_domain(pool(organization), "acme-mail.example")
    assert api_client.post("/api/domain/assign", {"campaign": "spring", "count": 1}, format="json").status_code == 200

    response = api_client.post("/api/domain/release",
                               {"campaign": "spring", "domains": ["acme-mail.example", "nope.example", "gone.example"]},
                               format="json")

    assert response.status_code == 400
    assert response.json() == {"domains": ["unknown domains: nope.example, gone.example"]}
    assert states("acme-mail.example") == {"acme-mail.example": DomainState.IN_USE}


def test_unknown_campaign_or_empty_list_is_a_field_error(api_client, organization):
    ready_domain(pool(organization), "acme-mail.example")

    unknown = api_client.post("/api/domain/release", {"campaign": "nope"}, format="json")
    empty = api_client.post("/api/domain/release", {"campaign": "nope", "domains": []}, format="json")

    assert unknown.status_code == 400
    assert unknown.json() == {"campaign": ["no campaign 'nope' in your organization"]}
    assert empty.status_code == 400
    assert set(empty.json()) == {"campaign", "domains"}
