"""Public pages of the inboxes app: the unsubscribe link every cold email carries.

``GET /u/<token>`` only shows a confirmation button: link scanners and mail security gateways fetch every URL
in a message, and must not unsubscribe anyone. ``POST /u/<token>`` unsubscribes at once, whether it comes from
that button or from a mailbox provider's one-click unsubscribe (RFC 8058: a form-encoded
``List-Unsubscribe=One-Click`` body, no cookies, so no CSRF token — the signed token is the proof).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from inboxes.unsubscribe import InvalidUnsubscribeToken, do_unsubscribe, read_token
from tenants.models import Organization

ONE_CLICK_BODY = ("List-Unsubscribe", "One-Click")


@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        ask = read_token(token)
        organization = Organization.objects.get(pk=ask.organization_id)
    except (InvalidUnsubscribeToken, Organization.DoesNotExist) as exc:
        reason = str(exc) if isinstance(exc, InvalidUnsubscribeToken) else "this unsubscribe link is not valid"
        return _page(request, "inboxes/unsubscribe_invalid.html", {"reason": reason}, status=400)

    context = {"organization": organization, "email": ask.email}
    if request.method != "POST":
        return _page(request, "inboxes/unsubscribe_confirm.html", context)
    one_click = request.POST.get(ONE_CLICK_BODY[0]) == ONE_CLICK_BODY[1]
    try:
        do_unsubscribe(ask, source="one-click (RFC 8058)" if one_click else "unsubscribe page")
    except InvalidUnsubscribeToken as exc:
        return _page(request, "inboxes/unsubscribe_invalid.html", {"reason": str(exc)}, status=400)
    return _page(request, "inboxes/unsubscribe_done.html", context)


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, template, context, status=status)
    # The token is in the URL: never hand it to another site, nor to a search engine.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
