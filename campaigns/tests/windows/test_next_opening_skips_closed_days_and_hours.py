"""``next_opening`` is the instant itself inside the window, else the next local start on an open day, in UTC."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from campaigns.windows import SendWindow

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS_9_TO_5 = SendWindow(days=frozenset(range(5)), start=time(9), end=time(17))


def test_an_instant_inside_the_window_is_its_own_opening_in_utc():
    at = datetime(2025, 1, 15, 10, 15, tzinfo=BERLIN)

    opening = WEEKDAYS_9_TO_5.next_opening(at, BERLIN)

    assert opening == at
    assert opening.tzinfo is UTC


def test_before_the_hours_it_opens_the_same_morning():
    assert WEEKDAYS_9_TO_5.next_opening(datetime(2025, 1, 15, 6, 0, tzinfo=BERLIN), BERLIN) == datetime(
        2025, 1, 15, 8, 0, tzinfo=UTC
    )


def test_after_the_hours_it_opens_the_next_morning():
    assert WEEKDAYS_9_TO_5.next_opening(datetime(2025, 1, 15, 17, 0, tzinfo=BERLIN), BERLIN) == datetime(
        2025, 1, 16, 8, 0, tzinfo=UTC
    )


def test_friday_evening_and_the_weekend_wait_for_monday_morning():
    monday_nine_berlin = datetime(2025, 1, 20, 8, 0, tzinfo=UTC)
    for at in (
        datetime(2025, 1, 17, 18, 0, tzinfo=BERLIN),  # Friday evening
        datetime(2025, 1, 18, 12, 0, tzinfo=BERLIN),  # Saturday noon
        datetime(2025, 1, 19, 23, 59, tzinfo=BERLIN),  # Sunday, a minute to midnight
    ):
        assert WEEKDAYS_9_TO_5.next_opening(at, BERLIN) == monday_nine_berlin


def test_a_once_a_week_window_just_missed_opens_a_week_later():
    wednesdays = SendWindow(days=frozenset({2}), start=time(9), end=time(10))

    opening = wednesdays.next_opening(datetime(2025, 1, 15, 10, 0, tzinfo=BERLIN), BERLIN)

    assert opening == datetime(2025, 1, 22, 8, 0, tzinfo=UTC)


def test_the_local_day_decides_not_the_utc_day():
    # 23:00 UTC on Friday is already Saturday in Tokyo: the next opening is Monday 09:00 Tokyo time.
    tokyo = ZoneInfo("Asia/Tokyo")
    assert WEEKDAYS_9_TO_5.next_opening(datetime(2025, 1, 17, 23, 0, tzinfo=UTC), tokyo) == datetime(
        2025, 1, 20, 0, 0, tzinfo=UTC
    )


def test_a_naive_instant_is_refused():
    with pytest.raises(ValueError, match="aware"):
        WEEKDAYS_9_TO_5.next_opening(datetime(2025, 1, 15, 6, 0), BERLIN)
