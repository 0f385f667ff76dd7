"""16 workers, each with its own PostgreSQL connection, released at the same instant by a barrier."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from domains.models import DomainState
from inboxes.caps import CapReached
from inboxes.models import DomainDay, Inbox, InboxDay
from inboxes.tests.caps_helpers import make_domain, make_inbox, run_at_once
from tenants.models import Organization

WORKERS = 16
NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def race(inbox_for_worker: list[int], now: datetime) -> list[tuple[int, str]]:
    """Every worker calls reserve_send at once; returns (inbox id, "ok" or the refusal's scope) per worker."""

    def reserve(inbox: Inbox) -> tuple[int, str]:
        try:
            inbox.reserve_send(now=now)
        except CapReached as exc:
            return inbox.pk, exc.scope
        return inbox.pk, "ok"

    return run_at_once([lambda pk=pk: Inbox.objects.get(pk=pk) for pk in inbox_for_worker], reserve)


@pytest.fixture
def acme(transactional_db) -> Organization:
    assert connection.vendor == "postgresql", "this test is about row locks and conditional updates on PostgreSQL"
    return Organization.objects.create(name="Acme Outbound", slug="acme")


def test_sixteen_workers_get_exactly_the_inbox_limit(acme):
    domain = make_domain(acme, state=DomainState.IN_USE, daily_cap=8)
    inbox = make_inbox(domain, "sales", status=Inbox.Status.WARMING, daily_cap=40, warmup_limit=5, warmup_day=1)
    make_inbox(domain, "hello", status=Inbox.Status.ACTIVE, daily_cap=40)

    for round_ in range(3):  # several races, each on a fresh day, to give a race condition every chance to show
        now = NOON + timedelta(days=round_)
        day = now.date()
        results = race([inbox.pk] * WORKERS, now)

        outcomes = Counter(outcome for _, outcome in results)
        assert outcomes == {"ok": 5, "inbox": WORKERS - 5}
        assert InboxDay.objects.get(inbox=inbox, day=day).sent == 5
        # The domain slots taken by the refused workers were rolled back with their refusal.
        assert DomainDay.objects.get(domain=domain, day=day).sent == 5


def test_two_inboxes_racing_never_exceed_the_domain_cap(acme):
    domain = make_domain(acme, state=DomainState.IN_USE, daily_cap=8)
    first = make_inbox(domain, "sales", status=Inbox.Status.WARMING, daily_cap=40, warmup_limit=5, warmup_day=1)
    second = make_inbox(domain, "hello", status=Inbox.Status.WARMING, daily_cap=40, warmup_limit=5, warmup_day=1)

    for round_ in range(3):
        now = NOON + timedelta(days=round_)
        day = now.date()
        results = race([first.pk, second.pk] * (WORKERS // 2), now)

        granted = Counter(inbox_id for inbox_id, outcome in results if outcome == "ok")
        assert sum(granted.values()) == 8  # 5 + 5 asked for, the domain allows 8
        assert granted[first.pk] <= 5 and granted[second.pk] <= 5
        assert DomainDay.objects.get(domain=domain, day=day).sent == 8
        assert sum(InboxDay.objects.filter(day=day).values_list("sent", flat=True)) == 8
        assert {outcome for _, outcome in results} <= {"ok", "inbox", "domain"}
