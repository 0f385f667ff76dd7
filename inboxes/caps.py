"""Daily sending caps: taking and giving back one slot of an inbox's and its domain's volume for today.

``reserve_send`` is the only way a send gets a slot. Correctness under any number of workers rests on one
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

from django.db import transaction
from django.db.models import F
from django.utils import timezone

if TYPE_CHECKING:
    from domains.models import Domain
    from inboxes.models import Inbox
    from tenants.models import Organization


class CapReached(Exception):
    """A send was refused a slot: the inbox's or the domain's volume for today is used up, or it may not send.

    ``scope`` is "inbox", "domain" or "status"; the message says which inbox or domain, which day and why.
    """

    SCOPES = ("inbox", "domain", "status")

    def __init__(self, message: str, *, scope: str, inbox: str, domain: str, day: date) -> None:
        if scope not in self.SCOPES:
            raise ValueError(f"unknown cap scope {scope!r}")
        super().__init__(message)
        self.message = message
        self.scope = scope
        self.inbox = inbox
        self.domain = domain
        self.day = day


def _inbox_sending_statuses() -> tuple[str, ...]:
    from inboxes.models import Inbox

    return (Inbox.Status.WARMING, Inbox.Status.ACTIVE)


def _describe_limit(inbox: Inbox) -> str:
    from inboxes.models import Inbox

    if inbox.status == Inbox.Status.WARMING:
        return f"warming, day {inbox.warmup_day}"
    return f"{inbox.status}, cap {inbox.daily_cap}"


def reserve_send(inbox: Inbox, *, now: datetime | None = None) -> date:
    """Take one slot of today's volume for ``inbox`` and its domain; returns the day the slot belongs to.

    Raises ``CapReached`` (nothing taken) when the inbox or the domain has used today's volume, or when the
    inbox's status or the domain's state does not allow sending. The caller gives the slot back with
    ``release_send(day)`` if the message then never leaves.
    """
    from domains.models import SENDING_STATES, Domain
    from inboxes.models import DomainDay, Inbox, InboxDay

    with transaction.atomic():
        # Domain first, inbox second: the lock order every reservation and release follows.
        domain = (Domain.objects.select_for_update(no_key=True).only("pk", "name", "state", "daily_cap")
                  .get(pk=inbox.domain_id))
        fresh = (Inbox.objects.select_for_update(no_key=True)
                 .only("pk", "address", "domain_id", "status", "daily_cap", "warmup_limit", "warmup_day",
                       "timezone", "pause_reason")
                 .get(pk=inbox.pk))
        # The caller's instance may be minutes old (a long send loop): what counts is the row as it is now.
        for name in ("status", "daily_cap", "warmup_limit", "warmup_day", "timezone"):
            setattr(inbox, name, getattr(fresh, name))
        day = fresh.local_today(now)

        if fresh.status not in _inbox_sending_statuses():
            reason = f" ({fresh.pause_reason})" if fresh.pause_reason else ""
            raise CapReached(f"inbox {fresh.address} cannot send: it is {fresh.status}{reason}",
                             scope="status", inbox=fresh.address, domain=domain.name, day=day)
        if domain.state not in SENDING_STATES:
            raise CapReached(
                f"inbox {fresh.address} cannot send: its domain {domain.name} is {domain.state} "
                f"(domains send only while {', '.join(str(s) for s in SENDING_STATES)})",
                scope="status", inbox=fresh.address, domain=domain.name, day=day)

        limit = fresh.current_limit()
        DomainDay.objects.bulk_create([DomainDay(domain_id=domain.pk, day=day)], ignore_conflicts=True)
        InboxDay.objects.bulk_create([InboxDay(inbox_id=fresh.pk, day=day)], ignore_conflicts=True)

        taken = (DomainDay.objects.filter(domain_id=domain.pk, day=day, sent__lt=domain.daily_cap)
                 .update(sent=F("sent") + 1))
        if not taken:
            raise CapReached(
                f"domain {domain.name} has used its {domain.daily_cap} sends for {day} (shared by all its inboxes)",
                scope="domain", inbox=fresh.address, domain=domain.name, day=day)
        taken = InboxDay.objects.filter(inbox_id=fresh.pk, day=day, sent__lt=limit).update(sent=F("sent") + 1)
        if not taken:
            # Raised inside the atomic block: the domain slot taken just above is rolled back with it.
            raise CapReached(
                f"inbox {fresh.address} has used its {limit} sends for {day} ({_describe_limit(fresh)})",
                scope="inbox", inbox=fresh.address, domain=domain.name, day=day)
    return day


def release_send(inbox: Inbox, day: date) -> bool:
    """Give back a slot taken by ``reserve_send`` for ``day``, for a send that never left the building.

    Returns whether the inbox's counter went down (False: it was already at zero, nothing to give back). Never
    takes a counter below zero, so a release repeated by a retry cannot create volume out of nothing beyond the
    slots taken that day.
    """
    from inboxes.models import DomainDay, InboxDay

    with transaction.atomic():
        # Same order as reserve_send (domain's counter before the inbox's).
        DomainDay.objects.filter(domain_id=inbox.domain_id, day=day, sent__gt=0).update(sent=F("sent") - 1)
        released = InboxDay.objects.filter(inbox_id=inbox.pk, day=day, sent__gt=0).update(sent=F("sent") - 1)
    return bool(released)


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
    from domains.models import SENDING_STATES, Domain
    from inboxes.models import DomainDay, Inbox, InboxDay

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
