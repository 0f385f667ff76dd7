"""The OpenAPI document describes the replies endpoints (their filters, the thread, the 400/404/409/502 of a
reply) and its row shapes are exactly what the API answers."""

import json

from drf_spectacular.validation import validate_schema


def test_schema_lists_the_replies_endpoints_with_their_answers(api_client, seeded):
    schema = json.loads(api_client.get("/api/schema/?format=json").content)
    validate_schema(schema)
    paths, components = schema["paths"], schema["components"]["schemas"]

    listing = paths["/api/replies/"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {"category", "inbox", "campaign", "q", "needs_review", "page"}
    # Counts ignore `category` (the chips keep their numbers under a category filter): not documented as a filter.
    assert {p["name"] for p in paths["/api/replies/counts"]["get"]["parameters"]} == {
        "inbox", "campaign", "q", "needs_review"}
    assert "404" in paths["/api/replies/{id}/"]["get"]["responses"]
    assert {"200", "400", "404"} <= set(paths["/api/replies/{id}/relabel"]["post"]["responses"])
    assert {"200", "201", "400", "404", "409", "502"} <= set(paths["/api/replies/{id}/reply"]["post"]["responses"])

    # The documented shapes are the answered ones.
    row = api_client.get("/api/replies/").json()["results"][0]
    assert set(components["Reply"]["properties"]) == set(row)
    detail = api_client.get(f"/api/replies/{seeded.bob.pk}/").json()
    assert set(components["ReplyDetail"]["properties"]) == set(detail)
    assert set(components["ThreadItem"]["properties"]) == set(detail["thread"][0])
    assert set(components["ReplyCounts"]["properties"]) == set(api_client.get("/api/replies/counts").json())
