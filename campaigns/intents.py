"""The campaign commands REX reads: booking a meeting and triaging replies.

Neither has an agent yet: the rules and the LLM read them, and intake refuses them as "no agent handles … on this
server yet" (``missions.decision.check_agents_installed``) until their agents register.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from agents.intents import THE, Intent, Rule, slot
from campaigns.params import EMAIL, BookMeetingParams, TriageRepliesParams

WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
            "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}


def meeting_day(text: str, today: date, *, not_before: date | None = None) -> date:
    """One day of a meeting window: today, tomorrow, a weekday or YYYY-MM-DD.

    A weekday is the next one after today or, for the end of a window, the first one on or after its start
    (so on a Tuesday "between monday and friday" is next Monday to the Friday after it).
    """
    word = text.strip().lower()
    word = re.sub(r"^(?:on |next |this |coming |the )+", "", word)
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    if word in WEEKDAYS and not_before is not None:
        return not_before + timedelta(days=(WEEKDAYS[word] - not_before.weekday()) % 7)
    if word in WEEKDAYS:
        return today + timedelta(days=(WEEKDAYS[word] - today.weekday() - 1) % 7 + 1)
    try:
        return date.fromisoformat(word)
    except ValueError:
        raise ValueError(f"cannot read the day {text.strip()!r}") from None


def meeting_window(when: str | None, today: date) -> tuple[date, date]:
    """The window of "book a meeting with … <when>", as (first day, last day), both included."""
    hint = ("say when: next week, tomorrow, on friday, on 2026-12-01, or between 2026-12-01 and 2026-12-04")
    if not when:
        raise ValueError(f"when should the meeting be? {hint}")
    phrase = when.strip().lower()
    if phrase in ("next week", "in the next week"):
        monday = today + timedelta(days=7 - today.weekday())
        return monday, monday + timedelta(days=4)  # the working days of next week
    if phrase in ("this week",):
        friday = today + timedelta(days=4 - today.weekday())
        return today, max(today, friday)
    between = re.fullmatch(r"(?:between|from) (.+?) (?:and|to|until) (.+)", phrase)
    try:
        if between:
            start = meeting_day(between.group(1), today)
            return start, meeting_day(between.group(2), today, not_before=start)
        day = meeting_day(phrase, today)
    except ValueError as exc:
        raise ValueError(f"{exc}; {hint}") from None
    return day, day


def book(slots: dict[str, str], today: date) -> dict[str, Any]:
    start, end = meeting_window(slots.get("when"), today)
    return {"attendee": slots["attendee"].lower(), "window_start": start.isoformat(), "window_end": end.isoformat()}


def triage(slots: dict[str, str], today: date) -> dict[str, Any]:
    return {"campaign": slots["campaign"]} if slots.get("campaign") else {}


BOOK_MEETING = Intent(
    name="book_meeting",
    description="book a meeting with a contact within a window of days",
    mission_type="book_meeting",
    params=BookMeetingParams,
    rules=(Rule("book a meeting with {attendee}[ {when}]", "book a meeting with jane@acme.example next week",
                (rf"(?:book|schedule|set up) (?:a |an )?(?:meeting|call) with {slot('attendee', EMAIL)}"
                 r"(?: (?P<when>.+))?",),
                book),),
    vocabulary=("schedule", "next", "week", "tomorrow", "today", "on", "between", "and",
                *(day for day in WEEKDAYS if len(day) > 3)),
)

TRIAGE_REPLIES = Intent(
    name="triage_replies",
    description="sort the replies to campaigns (interested, not now, unsubscribe, bounce…) and act on them",
    mission_type="triage_replies",
    params=TriageRepliesParams,
    rules=(Rule("triage replies[ for campaign {campaign}]", "triage replies",
                (rf"triage {THE}(?:all |new |all new |all the |the new )?(?:replies|responses|inbox)"
                 rf"(?: (?:for|from|of|on|to|in) {THE}campaign {slot('campaign')})?",),
                triage),),
)

INTENTS = (BOOK_MEETING, TRIAGE_REPLIES)
