"""The schema documents the errors every operation can answer, as JSON components (core.openapi)."""

from __future__ import annotations

import pytest

METHODS = ("get", "put", "patch", "post", "delete")


@pytest.fixture
def schema(api_client) -> dict:
    return api_client.get("/api/schema/?format=json").json()


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_error_and_field_errors_are_components(schema):
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]
    assert schema["components"]["schemas"]["FieldErrors"]["type"] == "object"


def test_every_error_status_of_every_api_operation_has_a_json_body(schema):
    undocumented = [f"{method.upper()} {path} {code}"
                    for path, method, operation in operations(schema) if path.startswith("/api/")
                    for code, response in operation["responses"].items()
                    if code >= "400" and "application/json" not in response.get("content", {})]

    assert undocumented == []


def test_every_api_operation_documents_400_and_429_and_the_protected_ones_401_and_403(schema):
    missing = []
    for path, method, operation in operations(schema):
        wanted = {"400", "429"} | ({"401", "403"} if path != "/api/auth/token/" else set())
        missing += [f"{method.upper()} {path} {code}" for code in sorted(wanted - set(operation["responses"]))]

    assert missing == []


def test_operations_with_an_id_in_the_path_document_404(schema):
    assert [f"{method.upper()} {path}" for path, method, operation in operations(schema)
            if "{" in path and "404" not in operation["responses"]] == []


def test_a_mission_conflict_keeps_its_own_description_with_the_shared_shape(schema):
    conflict = schema["paths"]["/api/missions/{mission_id}/cancel/"]["post"]["responses"]["409"]

    assert conflict["description"] == "Already finished."
    assert conflict["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_a_throttled_answer_documents_retry_after(schema):
    throttled = schema["paths"]["/api/missions/"]["get"]["responses"]["429"]

    assert "Retry-After" in throttled["headers"]
