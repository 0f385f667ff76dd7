"""Business days count Monday to Friday from the local date, keeping the local wall time, DST included."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from campaigns.windows import add_business_days

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def local(day: int, hour: int = 10) -> datetime:
    return datetime(2025, 1, day, hour, 0, tzinfo=BERLIN)  # 2025-01-13 is a Monday


def test_zero_days_is_the_same_instant():
    at = datetime(2025, 1, 18, 10, 0, tzinfo=UTC)
    assert add_business_days(at, 0, BERLIN) is at


def test_midweek_days_are_consecutive():
    assert add_business_days(local(13), 1, BERLIN) == local(14)
    assert add_business_days(local(13), 4, BERLIN) == local(17)


def test_friday_plus_one_is_monday():
    assert add_business_days(local(17), 1, BERLIN) == local(20)


def test_saturday_and_sunday_plus_one_are_monday():
    assert add_business_days(local(18), 1, BERLIN) == local(20)
    assert add_business_days(local(19), 1, BERLIN) == local(20)


def test_five_business_days_are_a_week():
    assert add_business_days(local(15), 5, BERLIN) == local(22)
    assert add_business_days(local(17), 10, BERLIN) == datetime(2025, 1, 31, 10, 0, tzinfo=BERLIN)


def test_the_weekend_is_the_contacts_local_weekend():
    # Friday 23:30 UTC is Saturday 08:30 in Tokyo: one business day later is Monday 08:30 Tokyo time.
    tokyo = ZoneInfo("Asia/Tokyo")
    assert add_business_days(datetime(2025, 1, 17, 23, 30, tzinfo=UTC), 1, tokyo) == datetime(
        2025, 1, 20, 8, 30, tzinfo=tokyo
    )


def test_the_local_wall_time_is_kept_across_a_clock_change():
    friday_nine_est = datetime(2025, 3, 7, 9, 0, tzinfo=NEW_YORK)

    monday = add_business_days(friday_nine_est, 1, NEW_YORK)

    assert monday == datetime(2025, 3, 10, 13, 0, tzinfo=UTC)  # 09:00 EDT: 23 hours of UTC time later, not 24
    assert monday.astimezone(NEW_YORK).hour == 9


def test_a_wall_time_the_clocks_skip_becomes_the_instant_they_jump():
    # Israel springs forward on a Friday: 2025-03-28 02:00 IST -> 03:00 IDT, so Friday 02:30 does not exist.
    jerusalem = ZoneInfo("Asia/Jerusalem")

    friday = add_business_days(datetime(2025, 3, 27, 2, 30, tzinfo=jerusalem), 1, jerusalem)

    assert friday == datetime(2025, 3, 28, 0, 0, tzinfo=UTC)  # 03:00 IDT


def test_a_wall_time_the_clocks_repeat_is_its_first_occurrence():
    # Egypt falls back at the end of a Thursday: 2025-10-30 24:00 EEST -> 23:00 EET, so 23:30 happens twice.
    cairo = ZoneInfo("Africa/Cairo")

    thursday = add_business_days(datetime(2025, 10, 29, 23, 30, tzinfo=cairo), 1, cairo)

    assert thursday == datetime(2025, 10, 30, 20, 30, tzinfo=UTC)  # 23:30 EEST, not EET an hour later


def test_the_result_is_in_utc():
    assert add_business_days(datetime(2025, 1, 17, 9, 0, tzinfo=BERLIN), 1, BERLIN).tzinfo is UTC


def test_negative_days_and_naive_instants_are_refused():
    with pytest.raises(ValueError):
        add_business_days(local(13), -1, BERLIN)
    with pytest.raises(ValueError, match="aware"):
        add_business_days(datetime(2025, 1, 13, 10, 0), 1, BERLIN)
