"""A due enrollment whose contact is outside the campaign's window is not claimed: it waits for the next opening."""

from __future__ import annotations

from datetime import UTC, datetime

from campaigns.models import Enrollment
from campaigns.sequencer import tick

from .conftest import NOW, OFFICE_HOURS


def test_each_contact_waits_for_the_window_on_its_own_clock(make_campaign, sends, django_capture_on_commit_callbacks):
    # At NOW (Wednesday 12:00 UTC) it is 21:00 in Tokyo, 07:00 in New York, 12:00 in London and in UTC.
    campaign = make_campaign(8, 8, zones=("", "Asia/Tokyo", "Europe/London", "America/New_York"), **OFFICE_HOURS)
    with django_capture_on_commit_callbacks(execute=True):
        report = tick(NOW)
    assert (report.claimed, report.outside_window) == (4, 4)
    rows = Enrollment.objects.filter(campaign=campaign).select_related("contact")
    due = {e.contact.timezone: set() for e in rows}
    for e in rows:
        due[e.contact.timezone].add((e.next_due_at, e.claimed_until is not None))
    assert due["Asia/Tokyo"] == {(datetime(2026, 12, 3, 0, 0, tzinfo=UTC), False)}      # Thursday 09:00 JST
    assert due["America/New_York"] == {(datetime(2026, 12, 2, 14, 0, tzinfo=UTC), False)}  # 09:00 EST
    assert all(claimed for _, claimed in due[""] | due["Europe/London"])
    assert sorted(sends.ids()) == sorted(e.pk for e in rows if e.contact.timezone in ("", "Europe/London"))
