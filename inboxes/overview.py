"""What a domain looks like today, for the API, the Domains page and its live updates.

One shape (``domain_snapshot``) serves all three, so a row redrawn from a websocket message is the row the
server rendered. Everything here is read in a fixed number of queries whatever the number of domains (the
warmup engine's bulk transitions broadcast snapshots of whole pools after they commit).

"Today" is each inbox's own day (its timezone), as ``Inbox.reserve_send()`` counts it. A domain's counter
(``DomainDay``) is kept per such day; when a domain's inboxes sit in different timezones its "today" is the
busiest of their days, the one nearest to the domain's cap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.utils import timezone

from domains.models import Domain
from inboxes.models import DomainDay, Inbox, InboxDay

# Inbox statuses that send (and so make a domain assignable to a campaign).
SENDING_INBOX_STATUSES = (Inbox.Status.ACTIVE, Inbox.Status.WARMING)


@dataclass(frozen=True)
class InboxToday:
    inbox: Inbox
    day: date
    sent: int
    limit: int


@dataclass
class DomainToday:
    day: date
    sent: int = 0
    limit: int = 0
    inboxes: list[InboxToday] = field(default_factory=list)

    @property
    def sending_inboxes(self) -> int:
        return sum(1 for entry in self.inboxes if entry.inbox.status in SENDING_INBOX_STATUSES)

    @property
    def warmup_progress(self) -> int | None:
        """Percent of the way to full volume, averaged over the inboxes that are not disabled.

        A warmed (active) inbox counts as 100 %; any other its warmup volume over its cap. None: no inboxes.
        """
        shares = []
        for entry in self.inboxes:
            inbox = entry.inbox
            if inbox.status == Inbox.Status.DISABLED or not inbox.daily_cap:
                continue
            if inbox.status == Inbox.Status.ACTIVE:
                shares.append(1.0)
            else:
                shares.append(min(inbox.warmup_limit, inbox.daily_cap) / inbox.daily_cap)
        if not shares:
            return None
        return round(100 * sum(shares) / len(shares))


def today_for(domains: Sequence[Domain], now: datetime | None = None) -> dict[int, DomainToday]:
    """Today's sends and limits of each domain and of each of its inboxes (three queries)."""
    now = now or timezone.now()
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
        result[domain.pk] = DomainToday(day=day, sent=domain_sent.get((domain.pk, day), 0), limit=limit,
                                        inboxes=entries)
    return result


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def domain_snapshot(domain: Domain, today: DomainToday) -> dict[str, Any]:
    """A domain's row: what the Domains page draws and what ``GET /api/domains/`` lists (JSON-ready)."""
    return {
        "name": domain.name,
        "state": domain.state,
        "state_label": domain.get_state_display(),
        "state_changed_at": _iso(domain.state_changed_at),
        "pool": domain.pool.slug,
        "pool_name": domain.pool.name,
        "pool_quota": domain.pool.quota,
        "campaign": domain.campaign.slug if domain.campaign_id else None,
        "campaign_name": domain.campaign.name if domain.campaign_id else None,
        "assigned_at": _iso(domain.assigned_at),
        "daily_cap": domain.daily_cap,
        "dns_ok": domain.dns_ok,
        "dns_checked_at": _iso(domain.dns_checked_at),
        "inbox_count": len(today.inboxes),
        "sending_inboxes": today.sending_inboxes,
        "today_sent": today.sent,
        "today_limit": today.limit,
        "warmup_progress": today.warmup_progress,
    }


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


def domain_snapshots(domains: Iterable[Domain], now: datetime | None = None) -> list[dict[str, Any]]:
    """Snapshots of ``domains`` (fetch them with ``select_related("pool", "campaign")``), in their order."""
    domains = list(domains)
    today = today_for(domains, now)
    return [domain_snapshot(domain, today[domain.pk]) for domain in domains]
