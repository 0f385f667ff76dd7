"""A window's hours are read on the contact's clock: the same UTC instant is open for one contact, closed for another."""

from datetime import UTC, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from campaigns.windows import SendWindow

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS_9_TO_5 = SendWindow(days=frozenset(range(5)), start=time(9), end=time(17))


def test_eight_utc_is_nine_in_berlin_and_three_in_new_york():
    at = datetime(2025, 1, 15, 8, 0, tzinfo=UTC)  # a Wednesday

    assert WEEKDAYS_9_TO_5.is_open(at, BERLIN)
    assert not WEEKDAYS_9_TO_5.is_open(at, NEW_YORK)


def test_the_start_is_included_and_the_end_is_not():
    assert WEEKDAYS_9_TO_5.is_open(datetime(2025, 1, 15, 9, 0, tzinfo=BERLIN), BERLIN)
    assert WEEKDAYS_9_TO_5.is_open(datetime(2025, 1, 15, 16, 59, 59, tzinfo=BERLIN), BERLIN)
    assert not WEEKDAYS_9_TO_5.is_open(datetime(2025, 1, 15, 17, 0, tzinfo=BERLIN), BERLIN)
    assert not WEEKDAYS_9_TO_5.is_open(datetime(2025, 1, 15, 8, 59, 59, tzinfo=BERLIN), BERLIN)


def test_the_day_of_the_week_is_the_contacts_local_day():
    # Friday 23:30 in New York is already Saturday 04:30 UTC; Saturday 00:30 in Tokyo is still Friday in UTC.
    friday_evening_new_york = datetime(2025, 1, 18, 4, 30, tzinfo=UTC)
    window = SendWindow(days=frozenset({4}), start=time(20), end=time(23, 59))
    assert window.is_open(friday_evening_new_york, NEW_YORK)
    assert not window.is_open(friday_evening_new_york, ZoneInfo("UTC"))

    saturday_in_tokyo = datetime(2025, 1, 17, 15, 30, tzinfo=UTC)
    assert not WEEKDAYS_9_TO_5.is_open(saturday_in_tokyo, ZoneInfo("Asia/Tokyo"))


def test_the_instant_may_be_given_in_any_time_zone():
    same_instant = datetime(2025, 1, 15, 17, 0, tzinfo=timezone(timedelta(hours=9)))  # 08:00 UTC
    assert WEEKDAYS_9_TO_5.is_open(same_instant, BERLIN)


def test_a_naive_instant_is_refused():
    with pytest.raises(ValueError, match="aware"):
        WEEKDAYS_9_TO_5.is_open(datetime(2025, 1, 15, 9, 0), BERLIN)
