"""The answer to a login refused because of too many failed attempts (django-axes' ``AXES_LOCKOUT_CALLABLE``).

Axes' own answer is a bare text body; API clients need JSON they can act on and a ``Retry-After`` header, people
at the login forms need a page that says what happened and when to try again.
"""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

LOCKED_OUT_STATUS = 429
MESSAGE = "Too many failed login attempts. Try again later."


def retry_after_seconds(request: HttpRequest) -> int:
    # Axes restarts the cool-off on every attempt made while locked out, so the whole cool-off is what is left.
    cool_off = get_cool_off(request)
    return max(math.ceil(cool_off.total_seconds()), 1) if cool_off else 0


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """JSON on the API, an HTML page elsewhere; both 429 with ``Retry-After`` (seconds).

    ``original_response`` and ``credentials`` are accepted but unused: axes passes them positionally and, on its
    async path, passes the credentials where the response belongs.
    """
    retry_after = retry_after_seconds(request)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": MESSAGE, "code": "locked_out", "retry_after": retry_after}, status=LOCKED_OUT_STATUS)
    else:
        response = render(request, "registration/lockout.html",
                          {"message": MESSAGE, "retry_minutes": math.ceil(retry_after / 60)},
                          status=LOCKED_OUT_STATUS)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response
