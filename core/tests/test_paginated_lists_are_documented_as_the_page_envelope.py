"""Every paginated list is documented as the envelope it answers (core.pagination), not as a bare array."""

from __future__ import annotations

import pytest

PAGINATED_LISTS = {
    "/api/missions/": "MissionPage",
    "/api/billing/purchases": "PurchasePage",
    "/api/domains/": "DomainPage",
    "/api/replies/": "ReplyPage",
    "/api/sequences/": "SequencePage",
    "/api/campaigns/": "CampaignPage",
    "/api/enrollments/": "EnrollmentPage",
    "/api/contacts/": "ContactPage",
    "/api/lists/": "ContactListPage",
}


@pytest.fixture
def schema(api_client) -> dict:
    return api_client.get("/api/schema/?format=json").json()


@pytest.mark.parametrize(("path", "component"), PAGINATED_LISTS.items())
def test_the_list_answers_the_documented_envelope(schema, api_client, path, component):
    documented = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    envelope = schema["components"]["schemas"][component]

    answer = api_client.get(path).json()

    assert documented == {"$ref": f"#/components/schemas/{component}"}
    assert set(envelope["required"]) == {"count", "next", "previous", "results"} == set(answer)
    assert envelope["properties"]["results"]["type"] == "array"
    assert any(p["name"] == "page" and p["in"] == "query" for p in schema["paths"][path]["get"]["parameters"])


def test_a_page_past_the_end_is_a_json_404(api_client):
    response = api_client.get("/api/missions/?page=2")

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


def test_an_empty_page_number_is_a_json_404_not_the_first_page(api_client):
    response = api_client.get("/api/missions/?page=")

    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}
