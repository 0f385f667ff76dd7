"""What a domain looks like today, for the API, the Domains page and its live updates.

One shape (``domain_snapshot``) serves all three, so a row redrawn from a websocket message is the row the
server rendered. Today's figures of a domain come from its inboxes (their sends, limits and warmup), which the
inboxes app keeps; it sits above this app, so it tells this module how to compute them at start-up
(``register_today``, from its AppConfig) instead of this app importing it. Without it a domain has no inboxes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from domains.models import Domain


@dataclass
class DomainToday:
    """A domain's day as its inboxes make it: sends so far, today's limit, and each inbox's snapshot."""

    day: date
    sent: int = 0
    limit: int = 0
    sending_inboxes: int = 0
    warmup_progress: int | None = None  # percent of the way to full volume; None: no inbox that counts
    inboxes: list[dict[str, Any]] = field(default_factory=list)  # JSON-ready, the inbox rows of the detail page


TodayFor = Callable[[Sequence["Domain"], datetime], dict[int, DomainToday]]
_today_for: TodayFor | None = None


def register_today(compute: TodayFor) -> None:
    """``compute(domains, now)`` gives each domain's ``DomainToday`` (by pk), in a fixed number of queries."""
    global _today_for
    _today_for = compute


def today_for(domains: Sequence[Domain], now: datetime | None = None) -> dict[int, DomainToday]:
    """Today's sends and limits of each domain and of each of its inboxes."""
    now = now or timezone.now()
    if _today_for is None:
        return {domain.pk: DomainToday(day=now.astimezone(UTC).date()) for domain in domains}
    return _today_for(domains, now)


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
        "dns_status": domain.dns_status,
        "dns_status_label": domain.dns_status_label,
        "dns_checked_at": _iso(domain.dns_checked_at),
        "inbox_count": len(today.inboxes),
        "sending_inboxes": today.sending_inboxes,
        "today_sent": today.sent,
        "today_limit": today.limit,
        "warmup_progress": today.warmup_progress,
    }


def domain_snapshots(domains: Iterable[Domain], now: datetime | None = None) -> list[dict[str, Any]]:
    """Snapshots of ``domains`` (fetch them with ``select_related("pool", "campaign")``), in their order."""
    domains = list(domains)
    today = today_for(domains, now)
    return [domain_snapshot(domain, today[domain.pk]) for domain in domains]
