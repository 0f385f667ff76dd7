"""POST /api/billing/quote prices an order for the caller's organization and stores nothing."""

from billing.models import Purchase


def test_quote_endpoint_answers_lines_total_and_names(api_client, existing_domain):
    response = api_client.post("/api/billing/quote", {"domains": 2, "inboxes_per_domain": 3,
                                                      "extra_inboxes": {"acme-mail1.example": 2}, "client": "acme"},
                               format="json")

    assert response.status_code == 200, response.data
    body = response.json()
    assert body["total_cents"] == 6600
    assert body["total"] == "66.00 USD"
    assert body["currency"] == "USD"
    assert body["lines"][0] == {"kind": "domain", "description": "Domain registration, 12 months (2 new domains "
                                                                 "for acme)",
                                "quantity": 2, "unit_cents": 1500, "term_months": 12, "total_cents": 3000}
    assert body["domain_names"] == ["acme-hello1.example", "acme-team1.example"]
    assert len(body["inbox_addresses"]) == 8
    assert not Purchase.objects.exists()


def test_quote_of_nothing_is_a_field_error(api_client):
    response = api_client.post("/api/billing/quote", {}, format="json")

    assert response.status_code == 400
    assert "nothing to buy" in response.json()["domains"][0]
