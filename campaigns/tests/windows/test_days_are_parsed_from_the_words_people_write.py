"""``parse_days`` reads the ways people write days of the week; ``format_days`` writes them back briefly."""

from itertools import combinations

import pytest

from campaigns.windows import format_days, parse_days

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon-fri", {MON, TUE, WED, THU, FRI}),
        ("Mon - Fri", {MON, TUE, WED, THU, FRI}),
        ("Monday to Friday", {MON, TUE, WED, THU, FRI}),
        ("monday through thursday", {MON, TUE, WED, THU}),
        ("mon\u2013fri", {MON, TUE, WED, THU, FRI}),
        ("weekdays", {MON, TUE, WED, THU, FRI}),
        ("mon,wed,fri", {MON, WED, FRI}),
        ("Mon, Wed and Fri", {MON, WED, FRI}),
        ("tues/thurs", {TUE, THU}),
        ("Monday Wednesday Friday", {MON, WED, FRI}),
        ("every day", set(range(7))),
        ("Every Day", set(range(7))),
        ("daily", set(range(7))),
        ("sat-sun", {SAT, SUN}),
        ("weekends", {SAT, SUN}),
        ("weekend", {SAT, SUN}),
        ("Saturday", {SAT}),
        ("fri-mon", {FRI, SAT, SUN, MON}),
        ("weekdays, sat", {MON, TUE, WED, THU, FRI, SAT}),
        ("mon-wed, fri", {MON, TUE, WED, FRI}),
        ("mon,mon", {MON}),
    ],
)
def test_days_are_read(text, days):
    assert parse_days(text) == frozenset(days)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("", "no days"),
        ("   ", "no days"),
        ("someday", "'someday'"),
        ("mon-funday", "'funday'"),
        ("mon-", "'mon-'"),
        ("mon-wed-fri", "'mon-wed-fri'"),
        ("1-5", "'1'"),
        (", ,", "no days"),
    ],
)
def test_garbage_is_refused_naming_what_was_not_understood(text, word):
    with pytest.raises(ValueError, match="mon-fri") as error:
        parse_days(text)
    assert word in str(error.value)


def test_days_are_written_in_the_shortest_usual_form():
    assert format_days({MON, TUE, WED, THU, FRI}) == "mon-fri"
    assert format_days({MON, WED, FRI}) == "mon,wed,fri"
    assert format_days({SAT, SUN}) == "sat,sun"
    assert format_days(range(7)) == "mon-sun"
    assert format_days({MON, TUE, THU, FRI, SAT}) == "mon,tue,thu-sat"
    assert format_days(set()) == ""


def test_every_set_of_days_reads_back_to_itself():
    for size in range(1, 8):
        for days in combinations(range(7), size):
            assert parse_days(format_days(days)) == frozenset(days)


def test_numbers_outside_the_week_cannot_be_written():
    with pytest.raises(ValueError):
        format_days({7})
