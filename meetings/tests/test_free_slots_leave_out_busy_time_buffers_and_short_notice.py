"""The slots offered are the owner's working hours (in the owner's zone) minus the calendar's busy time (read from
the real CalDAV server's free/busy answer) and REX's own meetings, each widened by the buffer, none sooner than
the minimum notice; shown to the visitor in their zone, grouped by their local day."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from meetings import services
from meetings.availability import available, slots_by_day

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")


def test_free_slots_leave_out_busy_time_buffers_and_short_notice(meeting_world):
    world = meeting_world(zone="Europe/Berlin", work_days=[0, 1, 2, 3, 4], work_start=dt.time(9),
                          work_end=dt.time(12), buffer_minutes=15, min_notice_minutes=24 * 60)
    now = dt.datetime.now(dt.UTC)
    # A Monday at least a week ahead, so the notice never reaches into it.
    monday = (now + dt.timedelta(days=7 + (7 - now.weekday()) % 7)).astimezone(BERLIN).date()
    day_start = dt.datetime.combine(monday, dt.time(0), BERLIN).astimezone(dt.UTC)
    day_end = day_start + dt.timedelta(days=1)

    every = available(world.calendar, day_start, day_end, now=now)
    assert [s.astimezone(BERLIN).strftime("%H:%M") for s in every] == [
        "09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]

    busy_from = dt.datetime.combine(monday, dt.time(10, 0), BERLIN)
    world.radicale.add_busy(world.calendar.url, busy_from, busy_from + dt.timedelta(minutes=30))
    free = available(world.calendar, day_start, day_end, now=now)
    # 09:30 ends 10:00 but the 15-minute buffer before the busy half hour reaches 09:45; 10:30 starts within the
    # buffer after it.
    assert [s.astimezone(BERLIN).strftime("%H:%M") for s in free] == ["09:00", "11:00", "11:30"]

    enrollment = world.enrollment("pat@client.example")
    services.book(world.link(enrollment), free[-1].isoformat(), "America/Los_Angeles", now=now)
    left = available(world.calendar, day_start, day_end, now=now)
    assert [s.astimezone(BERLIN).strftime("%H:%M") for s in left] == ["09:00"]

    # Minimum notice: nothing within 24 hours of now, whatever the calendar says.
    assert all(s >= now + dt.timedelta(hours=24) for s in available(world.calendar, now, now + dt.timedelta(days=3),
                                                                   now=now))

    shown = slots_by_day(left, ZoneInfo("Pacific/Honolulu"), 30)  # 09:00 in Berlin is 22:00 there, a day earlier
    assert shown == [{"date": (monday - dt.timedelta(days=1)).isoformat(),
                      "label": f"{monday - dt.timedelta(days=1):%A %d %B %Y}",
                      "slots": [{"start": left[0].isoformat().replace("+00:00", "Z"), "time": "22:00-22:30"}]}]
