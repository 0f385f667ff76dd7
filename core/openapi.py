"""The API's error answers in the OpenAPI schema, documented once for every operation (a drf-spectacular
postprocessing hook, ``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``).

The views document their successes and the refusals particular to them (409 with its shape, 402, 502…); what
every operation can answer comes from the layers they share, so it is added here rather than on each view:

- 400: every operation. Bad JSON, a body too deep or too large, a NUL anywhere in the URL (``core.middleware``),
  and field errors from the serializers (``FieldErrors``: field → messages, or for nested and list fields an
  object keyed by field name or index).
- 401 (no or unknown credentials, with ``WWW-Authenticate``) and 403 (not a member of the organization, or a
  session POST without its CSRF token): every operation that asks for credentials.
- 404: every operation with a path parameter (another organization's row or a malformed id answer it, as JSON:
  ``core.api_json``) and every paginated list (a page that does not exist).
- 415: every operation with a body (a ``Content-Type`` it does not parse).
- 429: every operation (the API throttles), with ``Retry-After``.

A status a view already documents keeps its own description; it gets the shared JSON shape only when it has none.
Paginated lists (``core.pagination.page_of``) also get their ``page`` parameter here.
"""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "description": "An error that is not about one field: `detail` says what went wrong. Some answers add "
                   "fields (the current `status` of a 409, `retry_after` of a locked-out login…).",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Field errors: each field that was refused maps to its messages; a nested object or a list maps "
                   "to the same shape keyed by field name or by the item's index. `non_field_errors` holds "
                   "refusals of the request as a whole.",
    "additionalProperties": {"anyOf": [{"type": "array", "items": {}}, {"type": "object"}]},
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
BAD_REQUEST_SCHEMA = {"anyOf": [{"$ref": "#/components/schemas/FieldErrors"}, ERROR_REF]}

SHARED = {
    "400": "Bad request: field errors (`FieldErrors`), or `{\"detail\": …}` for a body that is not JSON, nests too "
           "deep or is too large, or a NUL in the URL. Nothing was changed.",
    "401": "No credentials, or credentials REX does not know.",
    "403": "Not a member of the organization (or not of the one `X-Rex-Organization` names), or a session POST "
           "without its CSRF token.",
    "404": "No such row in your organization (another organization's answers the same), a malformed id, or a page "
           "of the list that does not exist.",
    "415": "A `Content-Type` this operation does not read.",
    "429": "Over a rate limit (or a login locked out); `Retry-After` says how many seconds to wait.",
}
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."}}
WWW_AUTHENTICATE = {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "How to authenticate."}}
PAGE = {"in": "query", "name": "page", "required": False, "schema": {"type": "integer", "minimum": 1},
        "description": "The page, from 1; one past the last is a 404."}
PAGE_FIELDS = {"count", "next", "previous", "results"}


def _asks_for_credentials(operation: dict[str, Any]) -> bool:
    security = operation.get("security", [])
    return bool(security) and {} not in security


def _is_page(schema: dict[str, Any], components: dict[str, Any]) -> bool:
    ref = schema.get("$ref", "")
    component = components.get(ref.rsplit("/", 1)[-1], {}) if ref.startswith("#/components/schemas/") else {}
    return set(component.get("properties", {})) == PAGE_FIELDS


def _json_success_schema(operation: dict[str, Any]) -> dict[str, Any]:
    return operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})


def _codes_for(path: str, operation: dict[str, Any], paginated: bool) -> list[str]:
    codes = ["400", "429"]
    if _asks_for_credentials(operation):
        codes += ["401", "403"]
    if "{" in path or paginated:
        codes.append("404")
    if "requestBody" in operation:
        codes.append("415")
    return codes


def _document(response: dict[str, Any], code: str) -> None:
    response.setdefault("description", SHARED[code])
    own = response.get("content", {}).get("application/json", {}).get("schema")
    if own is None:
        response["content"] = {"application/json": {"schema": BAD_REQUEST_SCHEMA if code == "400" else ERROR_REF}}
    elif code == "400" and own != BAD_REQUEST_SCHEMA:
        # A view's own refusal shape (the rows of a CSV import) is one of its 400s; the shared ones still happen.
        response["content"]["application/json"]["schema"] = {"anyOf": [own, *BAD_REQUEST_SCHEMA["anyOf"]]}
    if code == "429":
        response.setdefault("headers", {}).update(RETRY_AFTER)
    if code == "401":
        response.setdefault("headers", {}).update(WWW_AUTHENTICATE)


def document_api_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR
    components["FieldErrors"] = FIELD_ERRORS
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            if method not in ("get", "put", "patch", "post", "delete"):
                continue
            paginated = method == "get" and _is_page(_json_success_schema(operation), components)
            if paginated and not any(p.get("name") == "page" for p in operation.get("parameters", [])):
                operation.setdefault("parameters", []).append(dict(PAGE))
            responses = operation.setdefault("responses", {})
            for code in _codes_for(path, operation, paginated):
                _document(responses.setdefault(code, {}), code)
            # Statuses a view documents with a description only (a 409, a 503…) still answer JSON errors.
            for code, response in responses.items():
                if code.startswith(("4", "5")) and not response.get("content"):
                    response["content"] = {"application/json": {"schema": ERROR_REF}}
    return result
