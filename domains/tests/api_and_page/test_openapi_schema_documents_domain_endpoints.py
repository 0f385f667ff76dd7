"""The OpenAPI document describes the domain endpoints: their requests, the 409 of an assignment that cannot be
met, the paginated list and its filters, the detail."""

import json

from drf_spectacular.validation import validate_schema


def test_schema_lists_domain_endpoints_with_their_answers(api_client):
    schema = json.loads(api_client.get("/api/schema/?format=json").content)
    validate_schema(schema)
    paths = schema["paths"]

    assign = paths["/api/domain/assign"]["post"]
    assert {"200", "400", "409"} <= set(assign["responses"])
    assert assign["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/DomainAssignRequest")
    conflict = schema["components"]["schemas"]["DomainAssignConflict"]
    assert set(conflict["properties"]) == {"detail", "available"}
    assert {"200", "400", "409"} <= set(paths["/api/domain/release"]["post"]["responses"])

    listing = paths["/api/domains/"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {"state", "pool", "campaign", "page"}
    page = schema["components"]["schemas"]["DomainPage"]
    assert set(page["properties"]) == {"count", "next", "previous", "results"}
    detail = schema["components"]["schemas"]["DomainDetail"]
    assert {"inboxes", "dns", "transitions", "today_sent", "today_limit"} <= set(detail["properties"])
    assert "404" in paths["/api/domains/{name}/"]["get"]["responses"]
