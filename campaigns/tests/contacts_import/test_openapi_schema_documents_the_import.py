"""The OpenAPI document describes the import: a multipart upload, the report of 201, the row errors of 400."""

import json

from drf_spectacular.validation import validate_schema


def test_schema_documents_the_contacts_import(api_client):
    schema = json.loads(api_client.get("/api/schema/?format=json").content)
    validate_schema(schema)

    operation = schema["paths"]["/api/contacts/import"]["post"]
    assert set(operation["requestBody"]["content"]) == {"multipart/form-data"}
    assert {"201", "400"} <= set(operation["responses"])
    components = schema["components"]["schemas"]
    assert set(components["ContactImportRequest"]["properties"]) == {"file", "list"}
    assert {"created", "existing", "duplicates_in_file", "suppressed", "errors"} <= set(
        components["ContactImportReport"]["properties"])
    assert set(components["ContactImportRefused"]["properties"]) == {"detail", "errors"}
