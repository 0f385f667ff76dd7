"""Where the meeting figures come from: a registry with one counter.

Until an app records meetings of its own, a meeting is an enrollment that reached ``meeting_booked``. The app that
does (``meetings``, which sits below analytics) is wired here by analytics itself, since a lower app may not
import this one: ``register_meeting_counter(counter)`` in this app's start-up, with a counter that reads the
``Meeting`` rows. A counter answers, for one organization and a UTC interval, rows of the rollup's keys
(``key_campaign``, ``key_step``, ``key_variant``, ``key_inbox``, ``key_domain``) with their count ``n``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

MeetingCounter = Callable[[int, datetime, datetime], Iterable[dict[str, Any]]]


def enrollments_that_booked(organization_id: int, start: datetime, end: datetime) -> Iterable[dict[str, Any]]:
    from analytics.rollup import enrollment_moves
    from campaigns.models import EnrollmentState

    return enrollment_moves(organization_id, EnrollmentState.MEETING_BOOKED, start, end)


_counter: list[MeetingCounter] = [enrollments_that_booked]


def register_meeting_counter(counter: MeetingCounter) -> None:
    """Count meetings with ``counter`` from now on (the last one registered wins)."""
    _counter[0] = counter


def meeting_counter() -> MeetingCounter:
    return _counter[0]


def count_meetings(organization_id: int, start: datetime, end: datetime) -> Iterable[dict[str, Any]]:
    return _counter[0](organization_id, start, end)
