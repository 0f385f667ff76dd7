"""One place that decides what a bounce does, whoever learnt of it: a DSN read over IMAP (``replies``), a SendGrid
event (``inboxes.webhooks``) or the receiving server's refusal at send time (``campaigns.sequencer``).

| Class | What happens |
|---|---|
| hard (the address is dead) | the address is suppressed on every channel's list for email; counted against the inbox |
| soft (full, temporary) | kept; the address is suppressed at the ``REX_SOFT_BOUNCES_TO_SUPPRESS``-th |
| | soft bounce within 30 days |
| infrastructure (the receiver refused the *sender*) | never blamed on the contact; at ``REX_INFRA_BOUNCES_TO_PAUSE`` |
| | within an hour on one domain, every inbox of the domain is paused and an ``Incident`` opened with the reason |

Each bounce is kept as a ``BounceRecord``; the counts above are read from those rows, so the three sources add up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from inboxes.models import BounceRecord, Inbox, InboxDay, Incident, OutboundMessage, Suppression
from inboxes.suppression import suppress
from tenants.models import Organization

C = BounceRecord.Class


@dataclass(frozen=True)
class BounceOutcome:
    record: BounceRecord
    done: list[str]


def record_bounce(organization: Organization, *, klass: str, recipient: str, status: str = "", reason: str = "",
                  message: OutboundMessage | None = None, inbox: Inbox | None = None, source: str = "",
                  now: datetime | None = None) -> BounceOutcome:
    """Record one classified bounce and do what its class asks (see the module docstring)."""
    if klass not in C.values:
        raise ValueError(f"unknown bounce class {klass!r}; one of {', '.join(C.values)}")
    now = now or timezone.now()
    recipient = (recipient or (message.to_address if message is not None else "")).strip().lower()
    inbox = inbox or (message.inbox if message is not None and message.inbox_id else None)
    with transaction.atomic():
        record = BounceRecord.objects.create(
            organization=organization, inbox=inbox, domain_id=inbox.domain_id if inbox else None, message=message,
            recipient=recipient[:254], klass=klass, status=status[:16], reason=reason[:500], source=source[:200], at=now)
        if klass == C.HARD:
            done = _hard(organization, record, message)
        elif klass == C.SOFT:
            done = _soft(organization, record, message, now)
        else:
            done = _infrastructure(organization, record, inbox, now)
    return BounceOutcome(record, done)


def _hard(organization: Organization, record: BounceRecord, message: OutboundMessage | None) -> list[str]:
    done = []
    if record.recipient:
        suppress(organization, email=record.recipient, reason=Suppression.Reason.BOUNCE,
                 source=f"{record.source} {record.status}".strip())
        done.append(f"suppressed {record.recipient} (hard bounce{f' {record.status}' if record.status else ''})")
    if message is not None:
        count_against_inbox(message, bounces=1)
    return done


def _soft(organization: Organization, record: BounceRecord, message: OutboundMessage | None,
          now: datetime) -> list[str]:
    # Not counted against the inbox: a full mailbox says nothing about the sender (warmup pauses on its rates).
    if not record.recipient:
        return []
    recent = BounceRecord.objects.filter(organization=organization, klass=C.SOFT, recipient=record.recipient,
                                         at__gte=now - timedelta(days=30)).count()
    limit = settings.REX_SOFT_BOUNCES_TO_SUPPRESS
    if recent >= limit:
        suppress(organization, email=record.recipient, reason=Suppression.Reason.BOUNCE,
                 source=f"{recent} soft bounces in 30 days")
        return [f"suppressed {record.recipient} after {recent} soft bounces in 30 days"]
    return [f"soft bounce {recent} of {limit} in 30 days for {record.recipient}"]


def _infrastructure(organization: Organization, record: BounceRecord, inbox: Inbox | None,
                    now: datetime) -> list[str]:
    reason = incident_reason(record)
    if inbox is None:
        return [f"infrastructure bounce ({reason}); no sending inbox known, the contact is not blamed"]
    domain = inbox.domain
    recent = BounceRecord.objects.filter(domain=domain, klass=C.INFRASTRUCTURE, at__gte=now - timedelta(hours=1)).count()
    limit = settings.REX_INFRA_BOUNCES_TO_PAUSE
    if recent < limit:
        return [f"infrastructure bounce {recent} of {limit} within an hour on {domain.name}: {reason} "
                "(the contact is not blamed)"]
    incident = Incident.objects.select_for_update().filter(domain=domain, closed_at__isnull=True).first()
    if incident is None:
        incident = Incident.objects.create(organization=organization, domain=domain, inbox=inbox, reason=reason[:500],
                                           bounces=recent, opened_at=now)
    else:
        Incident.objects.filter(pk=incident.pk).update(bounces=recent)
    paused = [i.address for i in Inbox.objects.filter(domain=domain).order_by("address")
              if i.pause_sending(f"incident {incident.pk}: {reason}"[:200])]
    return [f"paused {', '.join(paused) or 'nothing more'} on {domain.name}: {reason} (incident {incident.pk})"]


def incident_reason(record: BounceRecord) -> str:
    """e.g. "DMARC failure at gmail.com, 5.7.26": what the receiving side said, where, and its code."""
    where = record.recipient.rpartition("@")[2] or "the receiving server"
    return f"{record.reason or 'sender refused'} at {where}" + (f", {record.status}" if record.status else "")


def count_against_inbox(message: OutboundMessage, **increments: int) -> None:
    """Add to the counters of the inbox day the message was sent on (the warmup tick reads their rates).

    Fed by the SendGrid webhook and by bounces and complaints read over IMAP (``replies``), so warmup pauses work
    for SMTP inboxes too."""
    if message.inbox_id is None:
        return
    day = message.slot_day or message.inbox.local_today(message.sent_at or timezone.now())
    InboxDay.objects.bulk_create([InboxDay(inbox_id=message.inbox_id, day=day)], ignore_conflicts=True)
    InboxDay.objects.filter(inbox_id=message.inbox_id, day=day).update(
        **{name: F(name) + amount for name, amount in increments.items()})
