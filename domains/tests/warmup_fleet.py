"""Domains and inboxes in given warmup states, and their sending history, for the warmup engine's tests."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from domains.models import Domain, DomainState
from domains.tests.factories import add_inboxes, create_domain
from inboxes.models import Inbox, InboxDay
from tenants.models import Organization

# A fixed calendar, far from the real one, so that ticks for these days never meet "today".
DAY0 = date(2031, 3, 2)
_names = itertools.count(1)


def make_domain(organization: Organization, *, state: str = DomainState.WARMING, inboxes: int = 1,
                inbox_status: str = Inbox.Status.WARMING, name: str | None = None, **inbox_fields: Any) -> Domain:
    """A domain in ``state`` with ``inboxes`` inboxes in ``inbox_status``; warming inboxes start on DAY0."""
    domain = create_domain(organization, name or f"nw-{next(_names)}.example", client="Northwind", state=state,
                           dns_ok=state != DomainState.PENDING)
    defaults: dict[str, Any] = {}
    if inbox_status == Inbox.Status.WARMING:
        defaults = {"warmup_limit": 5, "warmup_day": 1, "warmup_advanced_on": DAY0}
    elif inbox_status == Inbox.Status.ACTIVE:
        defaults = {"warmup_limit": 40, "warmup_day": 19, "warmup_advanced_on": DAY0}
    defaults.update(inbox_fields)
    add_inboxes(domain, inboxes, status=inbox_status, **defaults)
    return domain


def record_days(inbox: Inbox, first: date, days: int, *, sent: int, bounces: int = 0, complaints: int = 0) -> None:
    """``days`` days of sending from ``first`` on, each with the same figures."""
    InboxDay.objects.bulk_create(
        InboxDay(inbox=inbox, day=first + timedelta(days=n), sent=sent, bounces=bounces, complaints=complaints)
        for n in range(days))


def at(day: date, hour: int = 5) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)
