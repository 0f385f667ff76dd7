"""The OpenAPI document describes the billing endpoints and their answers, and stays valid."""

import json

from drf_spectacular.validation import validate_schema


def test_schema_lists_billing_endpoints(api_client):
    schema = json.loads(api_client.get("/api/schema/?format=json").content)

    validate_schema(schema)
    paths = schema["paths"]
    assert {"/api/billing/quote", "/api/billing/purchases", "/api/billing/purchases/{purchase_id}",
            "/api/billing/purchases/{purchase_id}/cancel", "/api/billing/balance"} <= set(paths)
    assert {"200", "201", "400", "402", "503"} <= set(paths["/api/billing/purchases"]["post"]["responses"])
    assert "get" in paths["/api/billing/purchases"]
    assert {"200", "404", "409"} <= set(paths["/api/billing/purchases/{purchase_id}/cancel"]["post"]["responses"])
