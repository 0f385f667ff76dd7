"""A window that would never open says which field is wrong, and is refused by ``next_opening``."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from campaigns.windows import SendWindow


def test_a_valid_window_has_no_problems():
    assert SendWindow(days=frozenset({0, 2, 4}), start=time(9), end=time(17)).problems() == {}


def test_a_window_without_days_is_reported_on_days():
    problems = SendWindow(days=frozenset(), start=time(9), end=time(17)).problems()

    assert set(problems) == {"days"}
    assert "at least one day" in problems["days"]


def test_days_outside_monday_to_sunday_are_reported_on_days():
    assert set(SendWindow(days=frozenset({0, 7}), start=time(9), end=time(17)).problems()) == {"days"}


def test_a_window_that_closes_before_it_opens_is_reported_on_end_and_says_overnight_is_not_supported():
    problems = SendWindow(days=frozenset({0}), start=time(22), end=time(6)).problems()

    assert set(problems) == {"end"}
    assert "closes before it opens" in problems["end"]
    assert "overnight windows are not supported" in problems["end"]


def test_a_window_that_closes_as_it_opens_is_reported_on_end():
    assert set(SendWindow(days=frozenset({0}), start=time(9), end=time(9)).problems()) == {"end"}


def test_both_problems_are_reported_together():
    assert set(SendWindow(days=frozenset(), start=time(17), end=time(9)).problems()) == {"days", "end"}


def test_next_opening_refuses_a_window_with_problems():
    window = SendWindow(days=frozenset(), start=time(9), end=time(17))

    with pytest.raises(ValueError, match="never opens"):
        window.next_opening(datetime(2025, 1, 15, tzinfo=UTC), ZoneInfo("UTC"))
