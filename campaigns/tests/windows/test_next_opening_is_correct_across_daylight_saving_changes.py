"""Daylight saving: a start the clocks skip opens when they jump; a start they repeat opens the first time."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from campaigns.windows import SendWindow

NEW_YORK = ZoneInfo("America/New_York")  # 2025-03-09 02:00 EST -> 03:00 EDT; 2025-11-02 02:00 EDT -> 01:00 EST
LONDON = ZoneInfo("Europe/London")  # 2025-03-30 01:00 GMT -> 02:00 BST; 2025-10-26 02:00 BST -> 01:00 GMT
EVERY_DAY = frozenset(range(7))


def test_a_start_skipped_by_spring_forward_opens_when_the_clocks_jump_in_new_york():
    window = SendWindow(days=EVERY_DAY, start=time(2, 30), end=time(4))

    opening = window.next_opening(datetime(2025, 3, 9, 0, 0, tzinfo=NEW_YORK), NEW_YORK)

    assert opening == datetime(2025, 3, 9, 7, 0, tzinfo=UTC)  # 03:00 EDT, the first real instant after 02:30
    assert opening.astimezone(NEW_YORK).strftime("%H:%M %Z") == "03:00 EDT"


def test_a_start_skipped_by_spring_forward_opens_when_the_clocks_jump_in_london():
    window = SendWindow(days=EVERY_DAY, start=time(1, 30), end=time(4))

    opening = window.next_opening(datetime(2025, 3, 29, 23, 0, tzinfo=UTC), LONDON)

    assert opening == datetime(2025, 3, 30, 1, 0, tzinfo=UTC)  # 02:00 BST


def test_in_london_half_past_two_still_exists_on_the_spring_forward_day():
    window = SendWindow(days=EVERY_DAY, start=time(2, 30), end=time(4))

    assert window.next_opening(datetime(2025, 3, 29, 23, 0, tzinfo=UTC), LONDON) == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)


def test_a_window_wholly_inside_the_skipped_hour_does_not_open_that_day():
    window = SendWindow(days=EVERY_DAY, start=time(2, 15), end=time(2, 45))

    opening = window.next_opening(datetime(2025, 3, 9, 0, 0, tzinfo=NEW_YORK), NEW_YORK)

    assert opening == datetime(2025, 3, 10, 6, 15, tzinfo=UTC)  # Monday 02:15 EDT


def test_a_start_repeated_by_fall_back_opens_at_its_first_occurrence():
    window = SendWindow(days=EVERY_DAY, start=time(1, 30), end=time(4))
    new_york_first = datetime(2025, 11, 2, 5, 30, tzinfo=UTC)  # 01:30 EDT, not 01:30 EST an hour later
    london_first = datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # 01:30 BST, not 01:30 GMT

    assert window.next_opening(datetime(2025, 11, 2, 0, 0, tzinfo=NEW_YORK), NEW_YORK) == new_york_first
    assert window.next_opening(datetime(2025, 10, 25, 23, 0, tzinfo=UTC), LONDON) == london_first


def test_a_window_inside_the_repeated_hour_opens_again_on_the_second_pass():
    window = SendWindow(days=EVERY_DAY, start=time(1, 0), end=time(1, 30))
    first_pass_after_closing = datetime(2025, 11, 2, 5, 45, tzinfo=UTC)  # 01:45 EDT

    assert not window.is_open(first_pass_after_closing, NEW_YORK)
    assert window.next_opening(first_pass_after_closing, NEW_YORK) == datetime(2025, 11, 2, 6, 0, tzinfo=UTC)  # 01:00 EST


def test_the_same_wall_time_moves_in_utc_across_the_change():
    window = SendWindow(days=frozenset(range(5)), start=time(9), end=time(17))

    friday_after_hours = datetime(2025, 3, 7, 18, 0, tzinfo=NEW_YORK)
    assert window.next_opening(friday_after_hours, NEW_YORK) == datetime(2025, 3, 10, 13, 0, tzinfo=UTC)  # 09:00 EDT

    friday_after_hours = datetime(2025, 10, 31, 18, 0, tzinfo=NEW_YORK)
    assert window.next_opening(friday_after_hours, NEW_YORK) == datetime(2025, 11, 3, 14, 0, tzinfo=UTC)  # 09:00 EST
