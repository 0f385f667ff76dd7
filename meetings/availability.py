"""When the owner can meet: working hours in the owner's zone, minus busy periods (the calendar's free/busy and the
meetings REX holds), each widened by the buffer, no sooner than the minimum notice. Pure functions over UTC
instants; the prospect's zone only decides how the slots are shown (``slots_by_day``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from meetings.calendars import Interval, backend_for
from meetings.models import HOLDING, CalendarAccount, Meeting


def candidate_starts(account: CalendarAccount, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
    """Every slot start inside the working hours between ``start`` and ``end`` (UTC), before busy time is removed."""
    zone = account.zone
    length = dt.timedelta(minutes=account.meeting_minutes)
    step = dt.timedelta(minutes=max(account.slot_step_minutes, 5))
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    found = []
    while day <= last:
        if day.weekday() in account.work_days:
            at = dt.datetime.combine(day, account.work_start, zone)
            closes = dt.datetime.combine(day, account.work_end, zone)
            while at + length <= closes:
                utc = at.astimezone(dt.UTC)
                if start <= utc and utc + length <= end:
                    found.append(utc)
                at += step
        day += dt.timedelta(days=1)
    return found


def free_starts(account: CalendarAccount, busy: Iterable[Interval], start: dt.datetime, end: dt.datetime,
                now: dt.datetime) -> list[dt.datetime]:
    """The slot starts between ``start`` and ``end`` that keep the buffer clear of every busy period."""
    length = dt.timedelta(minutes=account.meeting_minutes)
    buffer = dt.timedelta(minutes=account.buffer_minutes)
    earliest = now + dt.timedelta(minutes=account.min_notice_minutes)
    blocked = [(b_start - buffer, b_end + buffer) for b_start, b_end in busy]
    return [slot for slot in candidate_starts(account, max(start, earliest), end)
            if not any(slot < b_end and slot + length > b_start for b_start, b_end in blocked)]


def held_by_rex(account: CalendarAccount, start: dt.datetime, end: dt.datetime,
                exclude: Meeting | None = None) -> list[Interval]:
    """The meetings REX holds on this calendar (some may not be on the calendar yet: its write comes after commit)."""
    meetings = Meeting.objects.filter(calendar=account, status__in=HOLDING, start__lt=end, end__gt=start)
    if exclude is not None:
        meetings = meetings.exclude(pk=exclude.pk)
    return list(meetings.values_list("start", "end"))


def available(account: CalendarAccount, start: dt.datetime, end: dt.datetime, *, now: dt.datetime,
              exclude: Meeting | None = None) -> list[dt.datetime]:
    """Free slot starts (UTC) of the owner between ``start`` and ``end``: asks the calendar (CalendarUnavailable
    when it cannot be read), then REX's own meetings."""
    if end <= start:
        return []
    busy = backend_for(account).busy(start, end) + held_by_rex(account, start, end, exclude)
    return free_starts(account, busy, start, end, now)


def slots_by_day(starts: Iterable[dt.datetime], zone: ZoneInfo, minutes: int) -> list[dict[str, object]]:
    """The slots grouped by the viewer's local day: ``[{"date", "label", "slots": [{"start", "time"}]}]``."""
    days: dict[dt.date, list[dict[str, str]]] = {}
    for start in starts:
        local = start.astimezone(zone)
        days.setdefault(local.date(), []).append(
            {"start": start.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
             "time": f"{local:%H:%M}-{(local + dt.timedelta(minutes=minutes)):%H:%M}"})
    return [{"date": day.isoformat(), "label": f"{day:%A %d %B %Y}", "slots": slots}
            for day, slots in sorted(days.items())]


def spread(starts: list[dt.datetime], count: int = 3) -> list[dt.datetime]:
    """``count`` slots to propose in an email: the first slot of as many different days as possible, then the
    next free ones; deterministic for the same calendar."""
    chosen: list[dt.datetime] = []
    seen_days: set[dt.date] = set()
    for start in starts:
        if start.date() not in seen_days:
            chosen.append(start)
            seen_days.add(start.date())
        if len(chosen) == count:
            return chosen
    for start in starts:
        if start not in chosen:
            chosen.append(start)
        if len(chosen) == count:
            break
    return sorted(chosen)
