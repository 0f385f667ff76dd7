"""Send windows, contact time zones and business days for the sequencer (pure: no models, no database).

A campaign sends each step only inside its **send window**: some days of the week and a span of hours, read on
the *contact's* wall clock, and waits a number of **business days** between steps. The rules:

Windows
    ``SendWindow(days, start, end)``: ``days`` are weekday numbers, 0 = Monday … 6 = Sunday; the window is open
    on those local dates from ``start`` (included) to ``end`` (excluded). There are no overnight windows
    (22:00-06:00): ``start`` must come before ``end`` on the same day. ``problems()`` names the field at fault for
    a window that would never open; an empty dict means the window is valid.

    ``is_open(at, zone)`` converts the aware instant ``at`` to ``zone`` and checks the local weekday and time.
    During a fall-back hour the wall clock reads the same time twice, and the window is open on both passes.

    ``next_opening(after, zone)`` is ``after`` itself (in UTC) when the window is open then, else the first
    later instant at which it opens, as an aware UTC datetime. Daylight saving time: a ``start`` that does not
    exist on a spring-forward day (02:30 in America/New_York, 01:30 in Europe/London) opens at the first real
    instant after it, the moment the clocks jump (03:00 EDT / 02:00 BST), provided that moment is still before
    ``end`` (a window lying wholly inside the skipped hour does not open that day); a ``start`` that happens
    twice on a fall-back day opens at its first occurrence (and at the second too, for an ``after`` that falls
    between them with the window closed). The search looks at most 8 local dates ahead, which always finds a valid
    window; a window with ``problems()`` raises ``ValueError`` instead of being searched.

Days written by people
    ``parse_days`` reads "mon-fri", "mon,wed,fri", "Monday to Friday", "weekdays", "weekends", "sat-sun",
    "every day" / "daily", full or short names, any case, separated by commas, spaces, "/", "&" or "and";
    ranges run forward and may wrap ("fri-mon" = Fri, Sat, Sun, Mon). Anything else raises ``ValueError``
    naming the word it could not read. ``format_days`` writes the canonical short form back ("mon-fri",
    "mon,wed,fri", "mon,tue,thu-sat"): runs of three or more days become a range; ``parse_days`` reads it back
    to the same set.

The contact's time zone (``resolve_zone``; ``contact_zone`` returns only the zone)
    1. "contact": the contact's own IANA zone name, when it is one (``is_valid_zone``);
    2. "phone": else the zone of the contact's phone number (E.164, "+" and country code), from
       ``phonenumbers``: a number that maps to one zone uses it; one that maps to several (toll-free or mobile
       numbers in the US, Canada, Australia, Russia, Brazil…) uses the first of them only if all of them have
       the same UTC offset at ``now`` (Finland's mainland and Åland; Arizona's 928 in winter), since the send
       time is then the same whichever is right; "Etc/Unknown" (an unknown or invalid number) counts as none;
    3. "campaign": else the campaign's zone (``default``), which must itself be valid (``ValueError``
       otherwise: a misconfigured campaign should fail loudly, not send at 3 a.m. UTC).

Business days
    ``add_business_days(at, n, zone)``: counting from the local date of ``at`` in ``zone``, each business day
    moves to the next Monday-Friday date (no public holidays), keeping the local wall time of ``at``. So Friday
    + 1 = Monday, and Saturday + 1 = Sunday + 1 = Monday; Monday + 5 = the next Monday. A wall time that does
    not exist on the target date (spring forward) becomes the first real instant after it; one that happens
    twice (fall back) is its first occurrence. ``n = 0`` returns ``at`` unchanged; otherwise the result is an
    aware UTC datetime.

Instants returned are in UTC (``next_opening``, ``add_business_days``) because UTC datetimes compare safely: an
aware datetime in a ZoneInfo zone that falls in a repeated hour is never equal to one in another zone (PEP 495).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, available_timezones

import phonenumbers
from phonenumbers import timezone as phone_timezone

ZoneSource = Literal["contact", "phone", "campaign"]

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS = frozenset(range(5))
WEEKEND = frozenset({5, 6})
EVERY_DAY = frozenset(range(7))
SEARCH_DAYS = 8  # today and the same weekday next week: a valid window opens within this span
UNKNOWN_ZONE = "Etc/Unknown"

# Names in the zone database that are not places: the machine's own setting and tzdata's placeholder.
_NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})


# --- zones ---------------------------------------------------------------------------------------------------------


@functools.cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones()) - _NOT_ZONES


def is_valid_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone name ("Europe/London", "UTC"), spelled exactly (case matters)."""
    return isinstance(name, str) and name in _zone_names()


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (with a time zone), got {value!r}")


def _wall_clock_instants(day: date, wall: time, zone: ZoneInfo) -> list[datetime]:
    """The UTC instants at which the clock in ``zone`` reads ``wall`` on ``day``, earliest first.

    One instant normally; two on a fall-back day when ``wall`` is in the repeated hour; when ``wall`` is
    skipped (spring forward), the one instant at which the clocks jump past it, i.e. the first real instant
    after it.
    """
    naive = datetime.combine(day, wall.replace(tzinfo=None, fold=0))
    first = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    exists = first.astimezone(zone).replace(tzinfo=None) == naive
    if exists:
        return [first] if first == second else sorted({first, second})
    # Skipped: fold=0 reads it with the offset before the jump (an instant after the jump), fold=1 with the
    # offset after (an instant before it). The jump is the earliest instant between them whose clock reads past
    # ``wall``; transitions fall on whole seconds, so a binary search on seconds finds it exactly.
    low, high = sorted((first, second))
    low = low.replace(microsecond=0)
    lo, hi = 0, math.ceil((high - low).total_seconds())
    while lo < hi:
        mid = (lo + hi) // 2
        if (low + timedelta(seconds=mid)).astimezone(zone).replace(tzinfo=None) >= naive:
            hi = mid
        else:
            lo = mid + 1
    return [low + timedelta(seconds=lo)]


def _at_wall_clock(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The instant the clock in ``zone`` first reads ``wall`` on ``day`` (see ``_wall_clock_instants``), in UTC."""
    return _wall_clock_instants(day, wall, zone)[0]


def _phone_zone(phone: str, now: datetime) -> ZoneInfo | None:
    """The zone of an E.164 number when the number settles it (see the module docstring), else None."""
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return None
    names = [name for name in phone_timezone.time_zones_for_number(number) if name != UNKNOWN_ZONE]
    zones = [ZoneInfo(name) for name in names if is_valid_zone(name)]
    if not zones:
        return None
    if len(zones) == 1:
        return zones[0]
    if len({now.astimezone(zone).utcoffset() for zone in zones}) == 1:
        # The clocks agree; name the zone the country's own landlines get when it is one of them (a UK mobile is
        # listed as Guernsey, Isle of Man, Jersey, London: London), else the first.
        return _main_zone(number, zones) or zones[0]
    return None


def _main_zone(number: phonenumbers.PhoneNumber, zones: list[ZoneInfo]) -> ZoneInfo | None:
    # The country code's main region (GB for +44), not the number's: a UK mobile range is also listed as Guernsey.
    region = phonenumbers.region_code_for_country_code(number.country_code)
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.FIXED_LINE) if region else None
    if example is None:
        return None
    main = phone_timezone.time_zones_for_number(example)
    return next((zone for zone in zones if len(main) == 1 and zone.key == main[0]), None)


def resolve_zone(
    contact_timezone: str | None, phone: str | None, default: str, *, now: datetime | None = None
) -> tuple[ZoneInfo, ZoneSource]:
    """The zone to read a contact's send window in, and where it came from: "contact", "phone" or "campaign".

    ``now`` (aware; the current time when omitted) is the instant at which a phone number's several zones must
    agree on their UTC offset. ``default`` is the campaign's zone name; ``ValueError`` if it is not valid.
    """
    name = (contact_timezone or "").strip()
    if is_valid_zone(name):
        return ZoneInfo(name), "contact"
    if phone and phone.strip():
        if now is None:
            now = datetime.now(UTC)
        _require_aware(now, "now")
        zone = _phone_zone(phone.strip(), now)
        if zone is not None:
            return zone, "phone"
    if not is_valid_zone(default):
        raise ValueError(f"the campaign's time zone {default!r} is not an IANA time zone name (e.g. 'Europe/London')")
    return ZoneInfo(default), "campaign"


def contact_zone(contact_timezone: str | None, phone: str | None, default: str) -> ZoneInfo:
    """The contact's time zone: their own, else their phone number's, else the campaign's (``resolve_zone``)."""
    return resolve_zone(contact_timezone, phone, default)[0]


# --- days ----------------------------------------------------------------------------------------------------------

_DAY_WORDS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        ("mon", "monday", "mo"),
        ("tue", "tues", "tuesday", "tu"),
        ("wed", "weds", "wednesday", "we"),
        ("thu", "thur", "thurs", "thursday", "th"),
        ("fri", "friday", "fr"),
        ("sat", "saturday", "sa"),
        ("sun", "sunday", "su"),
    ]
):
    for _name in _names:
        _DAY_WORDS[_name] = _number

_GROUP_WORDS: dict[str, frozenset[int]] = {
    "weekdays": WEEKDAYS,
    "weekday": WEEKDAYS,
    "workdays": WEEKDAYS,
    "weekends": WEEKEND,
    "weekend": WEEKEND,
    "daily": EVERY_DAY,
    "everyday": EVERY_DAY,
    "all": EVERY_DAY,
}

_HINT = "write days like 'mon-fri', 'mon,wed,fri', 'weekdays', 'weekends' or 'every day'"


def _day(word: str, text: str) -> int:
    key = word.rstrip(".")
    if key not in _DAY_WORDS:
        raise ValueError(f"{word!r} in {text!r} is not a day of the week: {_HINT}")
    return _DAY_WORDS[key]


def parse_days(text: str) -> frozenset[int]:
    """The weekday numbers (0 = Monday) that ``text`` names; ``ValueError`` naming the word it cannot read."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"no days given: {_HINT}")
    normalized = text.strip().lower()
    normalized = re.sub(r"[\u2010-\u2015]", "-", normalized)  # en and em dashes
    normalized = re.sub(r"\b(every|each|all)\s+days?\b", "daily", normalized)
    normalized = re.sub(r"\s*(?:-|\bto\b|\bthrough\b|\bthru\b|\buntil\b|\btill\b)\s*", "-", normalized)
    days: set[int] = set()
    for token in re.split(r"(?:[\s,;/&+]|\band\b)+", normalized):
        if not token:
            continue
        if token in _GROUP_WORDS:
            days |= _GROUP_WORDS[token]
            continue
        if "-" in token:
            parts = token.split("-")
            if len(parts) != 2 or not all(parts):
                raise ValueError(f"{token!r} in {text!r} is not a range of days like 'mon-fri': {_HINT}")
            first, last = _day(parts[0], text), _day(parts[1], text)
            days.update((first + step) % 7 for step in range((last - first) % 7 + 1))
            continue
        days.add(_day(token, text))
    if not days:
        raise ValueError(f"no days given in {text!r}: {_HINT}")
    return frozenset(days)


def format_days(days: Iterable[int]) -> str:
    """The short form of a set of weekday numbers: "mon-fri", "mon,wed,fri"; "" for no days."""
    numbers = sorted(set(days))
    if any(not isinstance(day, int) or not 0 <= day <= 6 for day in numbers):
        raise ValueError(f"days are numbers from 0 (Monday) to 6 (Sunday), got {numbers}")
    runs: list[list[int]] = []
    for day in numbers:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{DAY_NAMES[run[0]]}-{DAY_NAMES[run[-1]]}")
        else:
            parts.extend(DAY_NAMES[day] for day in run)
    return ",".join(parts)


# --- windows -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SendWindow:
    """Days of the week (0 = Monday … 6 = Sunday) and local hours ``start`` ≤ t < ``end`` in which to send."""

    days: frozenset[int]
    start: time
    end: time

    def problems(self) -> dict[str, str]:
        """Field → message for a window that never opens (or is malformed); empty when the window is valid."""
        found: dict[str, str] = {}
        days = set(self.days)
        if not days:
            found["days"] = "choose at least one day of the week: a window with no days never opens"
        elif any(not isinstance(day, int) or not 0 <= day <= 6 for day in days):
            found["days"] = f"days are numbers from 0 (Monday) to 6 (Sunday), got {sorted(days, key=str)}"
        if self.start.tzinfo is not None:
            found["start"] = "the start is a time on the contact's clock: give it without a time zone"
        if self.end.tzinfo is not None:
            found["end"] = "the end is a time on the contact's clock: give it without a time zone"
        elif self.start.replace(tzinfo=None) >= self.end:
            found["end"] = (
                f"the window closes before it opens ({self.end:%H:%M} is not after {self.start:%H:%M}); "
                "overnight windows are not supported: a window opens and closes on the same day"
            )
        return found

    def is_open(self, at: datetime, zone: ZoneInfo) -> bool:
        """Whether the window is open at the aware instant ``at`` on the clock of ``zone``."""
        _require_aware(at, "at")
        local = at.astimezone(zone)
        return local.weekday() in self.days and self.start <= local.time() < self.end

    def next_opening(self, after: datetime, zone: ZoneInfo) -> datetime:
        """``after`` (in UTC) when the window is open then, else the first later instant it opens at, in UTC."""
        errors = self.problems()
        if errors:
            raise ValueError(f"the send window never opens: {'; '.join(f'{k}: {v}' for k, v in errors.items())}")
        _require_aware(after, "after")
        after = after.astimezone(UTC)
        if self.is_open(after, zone):
            return after
        today = after.astimezone(zone).date()
        for offset in range(SEARCH_DAYS):
            day = today + timedelta(days=offset)
            if day.weekday() not in self.days:
                continue
            for instant in _wall_clock_instants(day, self.start, zone):
                if instant >= after and self.is_open(instant, zone):
                    return instant
        raise ValueError(f"the send window {self} does not open within {SEARCH_DAYS} days after {after.isoformat()}")


# --- business days -------------------------------------------------------------------------------------------------


def add_business_days(at: datetime, days: int, zone: ZoneInfo) -> datetime:
    """``days`` business days (Monday-Friday) after ``at``, at the same wall time in ``zone``, in UTC (0: ``at``)."""
    _require_aware(at, "at")
    if days < 0:
        raise ValueError(f"business days to add must be 0 or more, got {days}")
    if days == 0:
        return at
    local = at.astimezone(zone)
    day = local.date()
    for _ in range(days):
        day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
    return _at_wall_clock(day, local.time(), zone)
