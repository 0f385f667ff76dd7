"""Daily sending caps: taking and giving back one slot of an inbox's and its domain's volume for today
(``Inbox.reserve_send`` / ``Inbox.release_send``, on the model that owns the counters), and today's capacity report.

``Inbox.reserve_send`` is the only way a send gets a slot. Correctness under any number of workers rests on one
invariant: a counter only ever moves through a conditional ``UPDATE … SET sent = sent + 1 WHERE … AND sent <
limit`` whose row count is checked. The database evaluates that WHERE against the latest committed value of
the row it locks, so two workers can never both take the last slot, and no read-then-write race exists to
lose. The domain's counter is taken first, then the inbox's; if the inbox refuses, the exception raised inside
the transaction rolls the domain's slot back.

Locks are always taken in the same order — domain row, inbox row, DomainDay row, InboxDay row — so two
reservations (or a reservation and a release) never wait on each other in a cycle. The domain and inbox rows
are re-read under ``FOR NO KEY UPDATE`` (which, unlike ``FOR UPDATE``, does not block the foreign-key checks of
rows that point at them) so a pause or a state change that commits first is seen, and one that commits later
waits for the reservation to finish. SQLite has no row locks; there the IMMEDIATE transactions of the project's
settings serialize writers, and the conditional updates hold just the same.

"Today" is the inbox's local date (``Inbox.local_today``): an inbox in Auckland starts its new day while one in
London is still on yesterday's. The domain's counter is kept for the same local date as the inbox that sends.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from domains.models import SENDING_STATES, Domain
from inboxes.models import CapReached, DomainDay, Inbox, InboxDay

if TYPE_CHECKING:
    from tenants.models import Organization

# Where callers have always found them: the refusal and the two moves live on the model that owns the counters.
__all__ = ["CapReached", "CapacityReport", "DomainCapacity", "InboxCapacity", "capacity_today", "release_send",
           "reserve_send"]


def reserve_send(inbox: Inbox, *, now: datetime | None = None) -> date:
    """``Inbox.reserve_send``: take one slot of today's volume for ``inbox`` and its domain."""
    return inbox.reserve_send(now=now)


def release_send(inbox: Inbox, day: date) -> bool:
    """``Inbox.release_send``: give back a slot taken for ``day``."""
    return inbox.release_send(day)


# --- capacity report -------------------------------------------------------------------------------------------------

@dataclass
class InboxCapacity:
    id: int
    address: str
    status: str
    timezone: str
    day: date
    daily_cap: int
    # Today's volume: warmup_limit (at most daily_cap) while warming, daily_cap when active; 0 when the inbox or
    # its domain may not send.
    limit: int
    sent: int
    remaining: int   # of the inbox's own limit; the domain's cap may allow less (DomainCapacity.available)


@dataclass
class DomainCapacity:
    id: int
    name: str
    organization: str
    state: str
    may_send: bool
    day: date         # the local day most of its inboxes are on (UTC today for a domain without inboxes)
    daily_cap: int
    sent: int         # on ``day``
    remaining: int    # of the domain cap on ``day``; 0 when the domain may not send
    available: int    # what its inboxes can still really send today, both caps considered
    sent_by_day: dict[str, int] = field(default_factory=dict)  # when its inboxes are on different local days
    inboxes: list[InboxCapacity] = field(default_factory=list)


@dataclass
class CapacityReport:
    at: datetime
    domains: list[DomainCapacity]

    @property
    def totals(self) -> dict[str, int]:
        inboxes = [i for d in self.domains for i in d.inboxes]
        return {
            "domains": len(self.domains),
            "inboxes": len(inboxes),
            "domain_cap": sum(d.daily_cap for d in self.domains),
            "inbox_limit": sum(i.limit for i in inboxes),
            "sent": sum(i.sent for i in inboxes),
            "available": sum(d.available for d in self.domains),
        }

    def as_dict(self) -> dict[str, Any]:
        def plain(value: Any) -> Any:
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        return {"at": self.at.isoformat(), "domains": [plain(asdict(d)) for d in self.domains],
                "totals": self.totals}


def capacity_today(organization: Organization | None = None, *, domain: Domain | None = None,
                   now: datetime | None = None) -> CapacityReport:
    """Today's capacity per domain and per inbox (each on its own local day), in four queries whatever the size.

    Local days of all timezones fall within one day either side of the UTC date, so the counters of those three
    days are read in one query per table and matched to each inbox's own day here.
    """
    now = now or timezone.now()
    utc_day = now.astimezone(UTC).date()
    days = (utc_day - timedelta(days=1), utc_day + timedelta(days=1))

    domains_qs = Domain.objects.all()
    if organization is not None:
        domains_qs = domains_qs.filter(organization=organization)
    if domain is not None:
        domains_qs = domains_qs.filter(pk=domain.pk)
    domain_rows = list(domains_qs.select_related("organization")
                       .only("pk", "name", "state", "daily_cap", "organization__slug")
                       .order_by("organization__slug", "name"))
    inbox_rows = list(Inbox.objects.filter(domain__in=domains_qs)
                      .only("pk", "address", "domain_id", "status", "timezone", "daily_cap", "warmup_limit")
                      .order_by("address"))
    inbox_sent = {(pk, day): sent for pk, day, sent in InboxDay.objects.filter(
        inbox__domain__in=domains_qs, day__range=days).values_list("inbox_id", "day", "sent")}
    domain_sent = {(pk, day): sent for pk, day, sent in DomainDay.objects.filter(
        domain__in=domains_qs, day__range=days).values_list("domain_id", "day", "sent")}

    sending_domains = {dom.pk for dom in domain_rows if dom.state in SENDING_STATES}
    by_domain: dict[int, list[InboxCapacity]] = defaultdict(list)
    for inbox in inbox_rows:
        day = inbox.local_today(now)
        # An inbox of a domain that may not send has no volume today, whatever its own status says.
        limit = inbox.current_limit() if inbox.domain_id in sending_domains else 0
        sent = inbox_sent.get((inbox.pk, day), 0)
        by_domain[inbox.domain_id].append(InboxCapacity(
            id=inbox.pk, address=inbox.address, status=inbox.status, timezone=inbox.timezone, day=day,
            daily_cap=inbox.daily_cap, limit=limit, sent=sent, remaining=max(limit - sent, 0)))

    report: list[DomainCapacity] = []
    for dom in domain_rows:
        inboxes = by_domain.get(dom.pk, [])
        may_send = dom.state in SENDING_STATES
        day_counts = Counter(i.day for i in inboxes)
        # Most inboxes' day; on a tie the later one (the day that just started, where volume is still free).
        day = max(day_counts, key=lambda d: (day_counts[d], d)) if day_counts else utc_day
        sent = domain_sent.get((dom.pk, day), 0)
        available = 0
        if may_send:
            for inbox_day in day_counts:
                domain_left = max(dom.daily_cap - domain_sent.get((dom.pk, inbox_day), 0), 0)
                inbox_left = sum(i.remaining for i in inboxes if i.day == inbox_day)
                available += min(domain_left, inbox_left)
        report.append(DomainCapacity(
            id=dom.pk, name=dom.name, organization=dom.organization.slug, state=dom.state, may_send=may_send,
            day=day, daily_cap=dom.daily_cap, sent=sent,
            remaining=max(dom.daily_cap - sent, 0) if may_send else 0, available=available,
            sent_by_day={d.isoformat(): domain_sent.get((dom.pk, d), 0) for d in sorted(day_counts)}
            if len(day_counts) > 1 else {},
            inboxes=inboxes))
    return CapacityReport(at=now, domains=report)
