"""Response headers that say what a browser may do with our pages, and what it may keep.

The Content-Security-Policy itself is django-csp's (``csp.middleware.CSPMiddleware``, configured by
``CONTENT_SECURITY_POLICY`` in settings); this module adds the two it does not cover:

- ``Permissions-Policy`` (``REX_PERMISSIONS_POLICY``) on every response: no page of ours uses the camera, the
  microphone, geolocation, payment or USB, so a script that got in anyway cannot ask for them either.
- ``Cache-Control: no-store`` on every page served to a logged-in user and on everything under ``/api/``: an
  organization's contacts, replies and missions must not stay in a shared proxy's cache or in the browser's
  back/forward history for the next person at that machine. Static files never pass through here (WhiteNoise
  answers them before the session middleware) and keep their long-lived caching.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from core.api_json import is_api_path


class PermissionsPolicyMiddleware:
    """Puts ``REX_PERMISSIONS_POLICY`` on every response that has none of its own (empty switches it off)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.REX_PERMISSIONS_POLICY
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


def is_private(request: HttpRequest) -> bool:
    """Whether the response to this request may hold an organization's data: any API answer (token-authenticated
    calls are only known to DRF, inside the view, so the whole prefix counts), or a page for a logged-in user."""
    if is_api_path(request.path_info):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class NoStoreForPrivateResponsesMiddleware:
    """``Cache-Control: no-store`` (with Django's never-cache set) on private responses.

    Sits after AuthenticationMiddleware so that ``request.user`` is known; a view that already chose its own
    caching (``never_cache``, the health check) is left as it is.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_private(request) and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response
