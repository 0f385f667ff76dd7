"""The owner's calendar behind one interface, two backends: CalDAV (the ``caldav`` client) and Google Calendar.

``backend_for(account)`` gives a ``CalendarBackend`` with three calls:

- ``busy(start, end)``: the owner's busy periods (UTC) from the calendar's free/busy answer;
- ``put_event(uid, ics)``: create or replace the event with this UID (a PUT by UID, so a retry after a crash
  changes nothing) and return its id on the calendar;
- ``remove_event(uid, event_id)``: delete it (a missing event is not an error: the goal is reached).

``caldav`` (with lxml and vobject, ~7 MB) is imported by the CalDAV backend when it first talks to a server, not
with this module: the agents' registry imports it into every process, the web role's included, which never does.

Google Calendar is spoken as plain REST over ``requests`` (``freeBusy``, ``events.import``/``update``/``delete``)
rather than google-api-python-client: that client fetches its discovery document at run time and brings
google-auth and httplib2, while four documented calls over one session keep the HTTP boundary in one place, where
tests point ``REX_GOOGLE_CALENDAR_API_URL`` at a local fake. The access token comes from the account (OAuth
consent and refresh are outside REX).
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from ipaddress import ip_address
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

import icalendar
import requests
from django.conf import settings

from meetings.models import CalendarAccount

if TYPE_CHECKING:
    import caldav

Interval = tuple[dt.datetime, dt.datetime]


class CalendarUnavailable(Exception):
    """The calendar could not be read or written (unreachable, refused, malformed answer); worth a retry."""


class CalendarBackend(ABC):
    def __init__(self, account: CalendarAccount) -> None:
        self.account = account

    @abstractmethod
    def busy(self, start: dt.datetime, end: dt.datetime) -> list[Interval]: ...

    @abstractmethod
    def put_event(self, uid: str, ics: bytes) -> str: ...

    @abstractmethod
    def remove_event(self, uid: str, event_id: str) -> None: ...


def _utc(value: dt.datetime | dt.date) -> dt.datetime:
    if not isinstance(value, dt.datetime):  # an all-day period: from its midnight, UTC
        return dt.datetime.combine(value, dt.time(0), dt.UTC)
    return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        return host == "localhost" or ip_address(host).is_loopback
    except ValueError:
        return False


class CalDAVBackend(CalendarBackend):
    def _calendar(self) -> caldav.Calendar:
        import caldav  # here, not at the top: see the module's docstring

        url = self.account.url
        # The password would travel in the clear over http; only a server on this machine may be spoken to so.
        if urlsplit(url).scheme != "https" and not _loopback(url):
            raise CalendarUnavailable(f"{url} is not an https URL; a CalDAV password is only sent over TLS")
        client = caldav.DAVClient(url=url, username=self.account.username or None,
                                  password=self.account.secret() or None,
                                  timeout=settings.REX_CALENDAR_TIMEOUT_SECONDS)
        return client.calendar(url=url)

    def busy(self, start: dt.datetime, end: dt.datetime) -> list[Interval]:
        try:
            answer = self._calendar().freebusy_request(start, end)
            parsed = icalendar.Calendar.from_ical(answer.data)
        except Exception as exc:  # caldav raises its own errors, niquests its own, lxml its own
            raise CalendarUnavailable(f"CalDAV free/busy of {self.account.url} failed: {exc}") from exc
        periods: list[Interval] = []
        for component in parsed.walk("VFREEBUSY"):
            values = component.get("FREEBUSY") or []
            for value in values if isinstance(values, list) else [values]:
                fbtype = str(value.params.get("FBTYPE", "BUSY")).upper()
                if fbtype == "FREE":
                    continue
                for period in value.dt if isinstance(value.dt, list) else [value.dt]:
                    begin, finish = period
                    finish = begin + finish if isinstance(finish, dt.timedelta) else finish
                    periods.append((_utc(begin), _utc(finish)))
        return sorted(periods)

    def put_event(self, uid: str, ics: bytes) -> str:
        try:
            calendar = self._calendar()
            # A PUT to <calendar>/<uid>.ics: the same UID replaces the same resource. Through the client's own PUT
            # rather than Event.save(), which in caldav 1.6 adds 1 to SEQUENCE on every save whatever it is told:
            # the SEQUENCE is the meeting's (RFC 5546).
            url = calendar.url.join(f"{quote(uid, safe='@')}.ics")
            response = calendar.client.put(str(url), ics.decode("utf-8"),
                                           {"Content-Type": 'text/calendar; charset="utf-8"'})
        except Exception as exc:
            raise CalendarUnavailable(f"CalDAV write of {uid} to {self.account.url} failed: {exc}") from exc
        if response.status not in (200, 201, 204):
            raise CalendarUnavailable(f"CalDAV write of {uid} to {self.account.url} answered {response.status}")
        return str(url)

    def remove_event(self, uid: str, event_id: str) -> None:
        try:
            calendar = self._calendar()
            from caldav.lib.error import NotFoundError  # caldav.error, as the package exposes it

            try:
                event = calendar.event_by_uid(uid)
            except NotFoundError:
                return
            event.delete()
        except Exception as exc:
            raise CalendarUnavailable(f"CalDAV delete of {uid} on {self.account.url} failed: {exc}") from exc


class GoogleBackend(CalendarBackend):
    """Google Calendar API v3: ``POST /freeBusy``, ``POST /calendars/{id}/events/import`` (keeps our iCalUID, so a
    retry finds the same event), ``PUT /calendars/{id}/events/{eventId}``, ``DELETE`` the same."""

    def _request(self, method: str, path: str, **kwargs: object) -> requests.Response:
        base = settings.REX_GOOGLE_CALENDAR_API_URL.rstrip("/")
        headers = {"Authorization": f"Bearer {self.account.secret()}"}
        try:
            response = requests.request(method, f"{base}/calendar/v3{path}", headers=headers,
                                        timeout=settings.REX_CALENDAR_TIMEOUT_SECONDS, **kwargs)
        except requests.RequestException as exc:
            raise CalendarUnavailable(f"Google Calendar {method} {path} failed: {exc}") from exc
        return response

    def _calendar_path(self) -> str:
        return f"/calendars/{quote(self.account.url, safe='')}"

    def busy(self, start: dt.datetime, end: dt.datetime) -> list[Interval]:
        body = {"timeMin": _utc(start).isoformat(), "timeMax": _utc(end).isoformat(),
                "items": [{"id": self.account.url}]}
        response = self._request("POST", "/freeBusy", json=body)
        if response.status_code != 200:
            raise CalendarUnavailable(f"Google freeBusy answered {response.status_code}: {response.text[:200]}")
        try:
            calendar = response.json()["calendars"][self.account.url]
            if calendar.get("errors"):
                raise CalendarUnavailable(f"Google freeBusy: {calendar['errors']}")
            return sorted((_utc(dt.datetime.fromisoformat(b["start"])), _utc(dt.datetime.fromisoformat(b["end"])))
                          for b in calendar.get("busy", []))
        except (KeyError, TypeError, ValueError) as exc:
            raise CalendarUnavailable(f"Google freeBusy answer unreadable: {exc}") from exc

    @staticmethod
    def _event_body(uid: str, ics: bytes) -> dict[str, object]:
        event = next(iter(icalendar.Calendar.from_ical(ics).walk("VEVENT")))
        attendees = event.get("ATTENDEE") or []
        attendees = attendees if isinstance(attendees, list) else [attendees]
        return {
            "iCalUID": uid,
            "summary": str(event.get("SUMMARY", "")),
            "description": str(event.get("DESCRIPTION", "")),
            "start": {"dateTime": _utc(event.decoded("DTSTART")).isoformat()},
            "end": {"dateTime": _utc(event.decoded("DTEND")).isoformat()},
            "sequence": int(event.get("SEQUENCE", 0)),
            "status": str(event.get("STATUS", "CONFIRMED")).lower(),
            "attendees": [{"email": str(a).removeprefix("mailto:").removeprefix("MAILTO:")} for a in attendees],
        }

    def put_event(self, uid: str, ics: bytes) -> str:
        body = self._event_body(uid, ics)
        found = self._request("GET", f"{self._calendar_path()}/events", params={"iCalUID": uid})
        if found.status_code != 200:
            raise CalendarUnavailable(f"Google events.list answered {found.status_code}: {found.text[:200]}")
        items = found.json().get("items") or []
        if items:
            event_id = items[0]["id"]
            response = self._request("PUT", f"{self._calendar_path()}/events/{quote(event_id, safe='')}", json=body)
        else:
            response = self._request("POST", f"{self._calendar_path()}/events/import", json=body)
        if response.status_code not in (200, 201):
            raise CalendarUnavailable(f"Google event write answered {response.status_code}: {response.text[:200]}")
        return str(response.json()["id"])

    def remove_event(self, uid: str, event_id: str) -> None:
        if not event_id:
            return
        response = self._request("DELETE", f"{self._calendar_path()}/events/{quote(event_id, safe='')}")
        if response.status_code not in (200, 204, 404, 410):
            raise CalendarUnavailable(f"Google events.delete answered {response.status_code}: {response.text[:200]}")


BACKENDS: dict[str, type[CalendarBackend]] = {
    CalendarAccount.Backend.CALDAV: CalDAVBackend,
    CalendarAccount.Backend.GOOGLE: GoogleBackend,
}


def backend_for(account: CalendarAccount) -> CalendarBackend:
    return BACKENDS[account.backend](account)
