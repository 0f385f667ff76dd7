"""Middleware of the platform: refuse a NUL in the URL, give every request an id, keep the chain on one thread.

Refuse a NUL in the URL before any view sees it.

A ``%00`` in a path or query string decodes to a NUL character, which PostgreSQL refuses in any text comparison
(``?status__exact=%00`` in an admin filter, ``/api/domains/a%00b/``), so the first query with it is a 500. No URL
of ours has a use for one: answer 400 here, once, rather than guard every lookup.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import sync_only_middleware

from core.request_context import accepted_request_id, new_request_id, request_id_bound


class RefuseNulInURLMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return JsonResponse({"detail": "the URL path contains a NUL character"}, status=400)
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                return JsonResponse({"detail": "the query string contains a NUL character"}, status=400)
        return self.get_response(request)


class RequestIdMiddleware:
    """Give each request an id: the client's (or proxy's) ``X-Request-ID`` when sane, a new one otherwise.

    The id is echoed on the response, so a client can quote it, and is bound for the request's duration
    (``core.request_context``): log lines, the Celery messages the request sends and the audit rows it writes carry
    it. A header that is too long or has odd characters is replaced rather than refused: the request itself is fine,
    and its id must stay safe to print and store.
    """

    HEADER = "X-Request-ID"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accepted_request_id(request.headers.get(self.HEADER)) or new_request_id()
        request.request_id = request_id
        with request_id_bound(request_id):
            response = self.get_response(request)
        response[self.HEADER] = request_id
        return response


@sync_only_middleware
class OneThreadPerRequestMiddleware:
    """Last in MIDDLEWARE: keeps the whole middleware chain on one thread under ASGI.

    Django runs a middleware in the mode of the one below it when it can do both. With an async-capable middleware
    innermost (axes), every ``MiddlewareMixin`` above it (sessions, CSRF, auth, messages, …) ran as async and handed
    each ``process_request`` / ``process_response`` to the request's thread and back: a dozen thread switches per
    request, the largest single cost of a ``GET /api/missions/<id>/`` in the web worker's profile
    (docs/performance.md). Sync-only here, the chain above runs synchronously in one switch; Django adapts once
    more below it, to reach the (sync) views. The response is unchanged.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
