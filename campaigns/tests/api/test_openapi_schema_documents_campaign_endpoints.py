"""The OpenAPI document describes the sequence, campaign, enrollment, contact and list endpoints and stays valid."""

import json

from drf_spectacular.validation import validate_schema


def test_schema_lists_the_endpoints_with_their_answers(api_client):
    schema = json.loads(api_client.get("/api/schema/?format=json").content)
    validate_schema(schema)
    paths = schema["paths"]

    assert {"get", "post"} <= set(paths["/api/sequences/"])
    assert {"get", "put", "patch", "delete"} <= set(paths["/api/sequences/{slug}/"])
    assert "409" in paths["/api/sequences/{slug}/"]["delete"]["responses"]
    assert {"get", "patch"} <= set(paths["/api/campaigns/{slug}/"])
    for action in ("start", "pause", "resume", "enroll", "preview"):
        assert {"200", "400", "404"} <= set(paths[f"/api/campaigns/{{slug}}/{action}"]["post"]["responses"])
    for action in ("pause", "resume", "stop"):
        assert "409" in paths[f"/api/enrollments/{{id}}/{action}"]["post"]["responses"]
    listing = paths["/api/enrollments/"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {"campaign", "state", "contact", "page"}
    assert {"get", "patch", "delete"} <= set(paths["/api/contacts/{id}/"])
    assert {"get", "post"} <= set(paths["/api/lists/"])
    components = schema["components"]["schemas"]
    assert set(components["EnrollmentPage"]["properties"]) == {"count", "next", "previous", "results"}
    assert {"figures", "send_days_text", "sequence", "list"} <= set(components["Campaign"]["properties"])
    assert "EnrollmentStateEnum" in components
