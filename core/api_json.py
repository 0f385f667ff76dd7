"""Every answer under ``/api/`` is JSON, errors included.

DRF answers its own errors in JSON, but some never reach a DRF view: a path that matches no URL (a malformed id
such as ``/api/missions/not-a-uuid/`` fails the ``<uuid:…>`` converter, so Django's resolver says 404), a request
Django refuses before routing (a bad Host, a body over the upload limit: 400), and an exception that escapes a
view (500). Django renders those as HTML pages, which an API client cannot parse. This middleware, near the top
of the stack, turns any non-JSON error under ``/api/`` into ``{"detail": "…"}`` with the same status and headers;
pages elsewhere keep Django's HTML.

A missing trailing slash (``/api/missions``) is answered here too, before ``CommonMiddleware`` would: a GET or
HEAD is redirected (301, with a JSON body naming the path), any other method gets a JSON 404 naming the path,
because a redirect would drop its body (and Django refuses to redirect a POST when DEBUG is on).
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, get_script_prefix, resolve

API_PREFIX = "/api/"

# The messages DRF gives for the same statuses, so a client sees one wording whoever answered.
DETAILS = {
    400: "Bad request.",
    403: "You do not have permission to perform this action.",
    404: "Not found.",
    500: "A server error occurred.",
}

# Headers of the original error worth keeping on its JSON replacement (the rest describe the HTML body).
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX)


def is_json(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


def error_detail(status: int) -> str:
    if status in DETAILS:
        return DETAILS[status]
    try:
        return f"{HTTPStatus(status).phrase}."
    except ValueError:
        return f"HTTP {status}."


def json_error(status: int, detail: str, original: HttpResponse | None = None) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=status)
    for name in KEPT_HEADERS if original is not None else ():
        if original.has_header(name):
            response[name] = original[name]
    return response


def _resolves(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def slash_answer(request: HttpRequest) -> HttpResponse | None:
    """The answer to an API path that exists only with a trailing slash, or None when that is not the case."""
    path = request.path_info
    if path.endswith("/") or _resolves(path) or not _resolves(f"{path}/"):
        return None
    with_slash = f"{get_script_prefix().rstrip('/')}{path}/"
    if request.method in ("GET", "HEAD"):
        query = request.META.get("QUERY_STRING", "")
        location = f"{with_slash}?{query}" if query else with_slash
        response = JsonResponse({"detail": f"moved to {with_slash}"}, status=HTTPStatus.MOVED_PERMANENTLY)
        response["Location"] = location
        return response
    return json_error(HTTPStatus.NOT_FOUND, f"Not found. The path ends with a slash: {with_slash}")


class JsonErrorsUnderApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api_path(request.path_info):
            return self.get_response(request)
        early = slash_answer(request)
        if early is not None:
            return early
        response = self.get_response(request)
        if response.status_code >= 400 and not is_json(response):
            return json_error(response.status_code, error_detail(response.status_code), response)
        return response
