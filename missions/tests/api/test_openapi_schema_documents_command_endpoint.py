"""GET /api/schema/ serves a valid OpenAPI 3 document describing the intake and mission endpoints."""

import json

from drf_spectacular.validation import validate_schema


def test_schema_is_valid_openapi_and_lists_the_command_endpoint(api_client):
    response = api_client.get("/api/schema/?format=json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    validate_schema(schema)  # raises on an invalid document
    assert schema["openapi"].startswith("3.")
    command = schema["paths"]["/api/rex/command"]["post"]
    assert {"201", "200", "400"} <= set(command["responses"])
    assert command["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/Command")
    assert "/api/missions/{mission_id}/retry/" in schema["paths"]


def test_schema_advertises_token_authentication(api_client):
    schema = json.loads(api_client.get("/api/schema/?format=json").content)

    assert schema["components"]["securitySchemes"]["tokenAuth"]["in"] == "header"
