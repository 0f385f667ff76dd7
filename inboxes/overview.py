"""A domain's day as its inboxes make it, for the Domains page, its API and live updates (``domains.overview``).

The domains app owns the row's shape; its figures come from the inboxes, which this app keeps, so this module
computes them and the inboxes AppConfig registers ``today_for`` with ``domains.overview.register_today``.
Everything is read in a fixed number of queries whatever the number of domains (the warmup engine's bulk
transitions broadcast snapshots of whole pools after they commit).

"Today" is each inbox's own day (its timezone), as ``Inbox.reserve_send()`` counts it. A domain's counter
(``DomainDay``) is kept per such day; when a domain's inboxes sit in different timezones its "today" is the
busiest of their days, the one nearest to the domain's cap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from domains.models import Domain
from domains.overview import DomainToday
from inboxes.models import SENDING_STATUSES, DomainDay, Inbox, InboxDay

# Inbox statuses that send (and so make a domain assignable to a campaign).
SENDING_INBOX_STATUSES = SENDING_STATUSES


@dataclass(frozen=True)
class InboxToday:
    inbox: Inbox
    day: date
    sent: int
    limit: int


def warmup_progress(inboxes: Sequence[Inbox]) -> int | None:
    """Percent of the way to full volume, averaged over the inboxes that are not disabled.

    A warmed (active) inbox counts as 100 %; any other its warmup volume over its cap. None: no inboxes.
    """
    shares = []
    for inbox in inboxes:
        if inbox.status == Inbox.Status.DISABLED or not inbox.daily_cap:
            continue
        if inbox.status == Inbox.Status.ACTIVE:
            shares.append(1.0)
        else:
            shares.append(min(inbox.warmup_limit, inbox.daily_cap) / inbox.daily_cap)
    if not shares:
        return None
    return round(100 * sum(shares) / len(shares))


def inbox_snapshot(entry: InboxToday) -> dict[str, Any]:
    inbox = entry.inbox
    return {
        "address": inbox.address,
        "status": inbox.status,
        "daily_cap": inbox.daily_cap,
        "warmup_limit": inbox.warmup_limit,
        "warmup_day": inbox.warmup_day,
        "timezone": inbox.timezone,
        "today": entry.day.isoformat(),
        "today_sent": entry.sent,
        "today_limit": entry.limit,
    }


def today_for(domains: Sequence[Domain], now: datetime) -> dict[int, DomainToday]:
    """Today's sends and limits of each domain and of each of its inboxes (three queries)."""
    utc_today = now.astimezone(UTC).date()
    by_domain: dict[int, list[Inbox]] = defaultdict(list)
    for inbox in Inbox.objects.filter(domain__in=[d.pk for d in domains]).order_by("address"):
        by_domain[inbox.domain_id].append(inbox)
    local_days = {inbox.pk: inbox.local_today(now) for inboxes in by_domain.values() for inbox in inboxes}
    days = set(local_days.values()) | {utc_today}

    inbox_sent = {(row.inbox_id, row.day): row.sent
                  for row in InboxDay.objects.filter(inbox__in=list(local_days), day__in=days)}
    domain_sent = {(row.domain_id, row.day): row.sent
                   for row in DomainDay.objects.filter(domain__in=[d.pk for d in domains], day__in=days)}

    result: dict[int, DomainToday] = {}
    for domain in domains:
        inboxes = by_domain.get(domain.pk, [])
        entries = [InboxToday(inbox=inbox, day=local_days[inbox.pk],
                              sent=inbox_sent.get((inbox.pk, local_days[inbox.pk]), 0),
                              limit=inbox.current_limit() if domain.may_send else 0)
                   for inbox in inboxes]
        domain_days = {entry.day for entry in entries} or {utc_today}
        day = max(domain_days, key=lambda d: (domain_sent.get((domain.pk, d), 0), d))
        limit = min(domain.daily_cap, sum(entry.limit for entry in entries)) if domain.may_send else 0
        result[domain.pk] = DomainToday(
            day=day, sent=domain_sent.get((domain.pk, day), 0), limit=limit,
            sending_inboxes=sum(1 for inbox in inboxes if inbox.status in SENDING_INBOX_STATUSES),
            warmup_progress=warmup_progress(inboxes), inboxes=[inbox_snapshot(entry) for entry in entries])
    return result
