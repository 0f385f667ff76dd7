"""16 workers, each with its own PostgreSQL connection, released at once by a barrier, reserve texts from one sender
number: never more than its daily cap on a day, never more than its per-second rate in one instant, and a refused
reservation takes nothing (``SenderNumber.reserve_send``: conditional updates under the number's row lock)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from inboxes.tests.caps_helpers import run_at_once
from sms.models import SenderNumber, SenderNumberDay, SenderRefused
from tenants.models import Organization

WORKERS = 16
NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def race(number_id: int, instants: list[datetime]) -> Counter:
    """One worker per instant reserves a text at that instant, all at once; the outcomes counted."""

    def reserve(prepared: tuple[SenderNumber, datetime]) -> str:
        number, now = prepared
        try:
            number.reserve_send(now=now, at=now)
        except SenderRefused as exc:
            return exc.scope
        return "ok"

    return Counter(run_at_once([lambda now=now: (SenderNumber.objects.get(pk=number_id), now) for now in instants],
                               reserve))


@pytest.fixture
def number(transactional_db) -> SenderNumber:
    assert connection.vendor == "postgresql", "this test is about row locks and conditional updates on PostgreSQL"
    acme = Organization.objects.create(name="Acme Outbound", slug="acme")
    return SenderNumber.objects.create(organization=acme, phone_number="+447911000001", daily_cap=5, per_second=50)


def test_concurrent_texts_never_pass_a_sender_numbers_daily_cap_or_rate(number):
    for round_ in range(3):
        start = NOON + timedelta(days=round_)
        # Each worker at its own second: only the daily cap can refuse.
        outcomes = race(number.pk, [start + timedelta(seconds=i) for i in range(WORKERS)])
        assert outcomes == {"ok": 5, "cap": WORKERS - 5}
        assert SenderNumberDay.objects.get(number=number, day=start.date()).sent == 5

    # All in one second of a fresh day, 3 a second: the rate lets exactly 3 through; the others are told to wait
    # for the next second and take no slot of the day.
    SenderNumber.objects.filter(pk=number.pk).update(per_second=3, daily_cap=100)
    instant = NOON + timedelta(days=10)
    outcomes = race(number.pk, [instant + timedelta(milliseconds=i) for i in range(WORKERS)])
    assert outcomes == {"ok": 3, "rate": WORKERS - 3}
    assert SenderNumberDay.objects.get(number=number, day=instant.date()).sent == 3
