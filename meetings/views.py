"""The public booking page ``/book/<token>/`` (no login: the signed token is the proof, like the unsubscribe link).

- ``GET /book/<token>/``: the page; the browser detects the visitor's zone (Intl) and asks for the slots.
- ``GET /book/<token>/slots?timezone=Europe/Paris``: the free slots in that zone, grouped by local day (JSON).
- ``POST /book/<token>/`` with JSON ``{"start": "<UTC instant>", "timezone": "<IANA>"}``: book it (201).

Errors are JSON ``{"detail", "field"}``: 400 an unknown zone, a bad instant or a tampered token; 409 a slot that is
no longer free or a link already used; 410 an expired link; 503 a calendar that cannot be read. Nothing is
written on any of them. The token never leaves in a Referer.
"""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from campaigns.sequencing import contact_zone
from meetings import services
from meetings.availability import slots_by_day
from meetings.services import MeetingRefused
from meetings.tokens import LinkRefused, link_of


def _private(response: HttpResponse) -> HttpResponse:
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _error(status: int, field: str, reason: str) -> HttpResponse:
    return _private(JsonResponse({"detail": reason, "field": field}, status=status))


@csrf_exempt  # no session or cookie is used: the signed token in the URL is what authorises a booking
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def booking_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = link_of(token)
    except LinkRefused as exc:
        if request.method == "POST":
            return _error(exc.status, "token", exc.reason)
        return _private(render(request, "meetings/book_refused.html", {"reason": exc.reason}, status=exc.status))
    if request.method == "POST":
        return _book(request, link)
    enrollment = link.enrollment
    meeting = services.current_meeting(enrollment)
    context = {
        "organization": enrollment.organization, "contact": enrollment.contact, "calendar": link.calendar,
        "meeting": meeting, "fallback_zone": contact_zone(enrollment.contact, enrollment.campaign).key,
        "zones": sorted(_zones()),
    }
    if meeting is not None:
        local = meeting.start.astimezone(ZoneInfo(meeting.timezone))
        context["meeting_local"] = f"{local:%A %d %B %Y, %H:%M} ({meeting.timezone})"
    return _private(render(request, "meetings/book.html", context))


def _book(request: HttpRequest, link) -> HttpResponse:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return _error(400, "body", "send a JSON object: {\"start\": \"2026-12-08T15:00:00Z\", \"timezone\": \"…\"}")
    if not isinstance(data, dict):
        return _error(400, "body", "send a JSON object: {\"start\": \"2026-12-08T15:00:00Z\", \"timezone\": \"…\"}")
    try:
        meeting = services.book(link, data.get("start"), data.get("timezone"))
    except MeetingRefused as exc:
        return _error(exc.status, exc.field, exc.reason)
    local = meeting.start.astimezone(ZoneInfo(meeting.timezone))
    return _private(JsonResponse({"meeting": services.meeting_row(meeting),
                                  "local": f"{local:%A %d %B %Y, %H:%M} ({meeting.timezone})"}, status=201))


@never_cache
@require_http_methods(["GET", "HEAD"])
def booking_slots(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = link_of(token)
        zone = services.zone_named(request.GET.get("timezone", ""))
        starts = services.open_slots(link.calendar, now=timezone.now())
    except LinkRefused as exc:
        return _error(exc.status, "token", exc.reason)
    except MeetingRefused as exc:
        return _error(exc.status, exc.field, exc.reason)
    return _private(JsonResponse({"timezone": zone.key, "minutes": link.calendar.meeting_minutes,
                                  "days": slots_by_day(starts, zone, link.calendar.meeting_minutes)}))


def _zones() -> set[str]:
    from zoneinfo import available_timezones

    # Only Area/City names: the legacy aliases (EST5EDT, Etc/GMT+3) confuse more than they help in a picker.
    return {name for name in available_timezones() if "/" in name and not name.startswith(("Etc/", "SystemV/"))}
