"""The daily rollup: an (organization, day) slice of ``DailyStat`` recomputed from the rows the apps below record.

Where each figure comes from (every event counts on the UTC day it happened):

- sent: ``OutboundMessage`` (email, status ``sent``) by ``sent_at``;
- bounced by class: ``BounceRecord`` by ``at`` (every bounce, whatever told us: a DSN, SendGrid, an SMTP refusal);
- complaints and replies by category: ``InboundMessage`` by ``received_at``, in its effective category (a
  person's correction over triage's); bounce DSNs are left to ``BounceRecord``, which already has them;
- unsubscribes: enrollments that moved to ``unsubscribed`` (``EnrollmentTransition``);
- meetings: the registered meeting counter (``analytics.meetings``).

Steps and variants come from the message's ``SequenceMessage`` (for replies and bounces, the message they answer);
for enrollment moves, from the enrollment's last step and variant. The inbox and domain are the message's sender.

``rollup_day`` replaces the slice in one transaction under a lock on the organization's row, so concurrent
rollups of the same organization queue instead of interleaving their delete and insert; it is idempotent. When
the slice changed it tells the organization's analytics pages after commit (stream ``analytics``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.db.models import CharField, Count, F, Value
from django.db.models.functions import Coalesce, NullIf

from analytics import meetings
from analytics.models import COUNTERS, REPLY_CATEGORIES, DailyStat
from campaigns.models import EnrollmentState, EnrollmentTransition
from inboxes.models import BounceRecord, OutboundMessage
from live.publish import publish
from replies.models import InboundMessage
from tenants.models import Organization

STREAM = "analytics"
STREAM_DESCRIPTION = "Analytics figures changed: {type: analytics.updated, days: [YYYY-MM-DD, ...]}"

# (campaign id, step index, variant label, inbox id, domain id): the dimensions of one row.
Key = tuple[int | None, int | None, str, int | None, int | None]


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start, start + timedelta(days=1)


def _key(row: dict[str, Any]) -> Key:
    return (row["key_campaign"], row["key_step"], row["key_variant"] or "", row["key_inbox"], row["key_domain"])


def _dimensions(campaign: Any, step: str, variant: str, inbox: Any, domain: Any) -> dict[str, Any]:
    """The ``values()`` of one source: its paths to the five dimensions, under the names ``_key`` reads (names of
    their own, since a source's fields of the same name would clash with the annotations)."""
    def expression(path: Any) -> Any:
        return F(path) if isinstance(path, str) else path

    return {"key_campaign": expression(campaign), "key_step": F(step), "key_variant": F(variant),
            "key_inbox": expression(inbox), "key_domain": expression(domain)}


def _sent(organization_id: int, start: datetime, end: datetime) -> Iterable[tuple[Key, str, int]]:
    rows = (OutboundMessage.objects
            .filter(organization_id=organization_id, channel="email", status=OutboundMessage.Status.SENT,
                    sent_at__gte=start, sent_at__lt=end)
            .values(**_dimensions("campaign_id", "sequence_message__step_index", "sequence_message__variant_label",
                                  "inbox_id", "inbox__domain_id"))
            .annotate(n=Count("pk")).order_by())
    return ((_key(row), "sent", row["n"]) for row in rows)


def _bounces(organization_id: int, start: datetime, end: datetime) -> Iterable[tuple[Key, str, int]]:
    rows = (BounceRecord.objects.filter(organization_id=organization_id, at__gte=start, at__lt=end)
            # A bounce names its inbox and domain when the sender's own server refused; one matched later, its
            # message does.
            .values("klass", **_dimensions("message__campaign_id", "message__sequence_message__step_index",
                                           "message__sequence_message__variant_label",
                                           Coalesce("message__inbox_id", "inbox_id"),
                                           Coalesce("message__inbox__domain_id", "domain_id")))
            .annotate(n=Count("pk")).order_by())
    return ((_key(row), f"bounced_{row['klass']}", row["n"]) for row in rows)


def _inbound(organization_id: int, start: datetime, end: datetime) -> Iterable[tuple[Key, str, int]]:
    rows = (InboundMessage.objects.filter(organization_id=organization_id, received_at__gte=start,
                                          received_at__lt=end)
            .annotate(effective=Coalesce(NullIf("corrected_category", Value("")), "category",
                                         output_field=CharField()))
            .filter(effective__in=[*REPLY_CATEGORIES, "complaint"])
            .values("effective", **_dimensions(Coalesce("outbound__campaign_id", "enrollment__campaign_id"),
                                               "outbound__sequence_message__step_index",
                                               "outbound__sequence_message__variant_label",
                                               "inbox_id", "inbox__domain_id"))
            .annotate(n=Count("pk")).order_by())
    return ((_key(row), "complaints" if row["effective"] == "complaint" else f"replies_{row['effective']}", row["n"])
            for row in rows)


def _unsubscribes(organization_id: int, start: datetime, end: datetime) -> Iterable[tuple[Key, str, int]]:
    rows = enrollment_moves(organization_id, EnrollmentState.UNSUBSCRIBED, start, end)
    return ((_key(row), "unsubscribes", row["n"]) for row in rows)


def enrollment_moves(organization_id: int, state: str, start: datetime, end: datetime) -> Iterable[dict[str, Any]]:
    """Per row key, how many enrollments moved to ``state`` between ``start`` and ``end`` (keys as ``_key`` reads)."""
    return (EnrollmentTransition.objects
            .filter(enrollment__organization_id=organization_id, to_state=state, at__gte=start, at__lt=end)
            .values(**_dimensions("enrollment__campaign_id", "enrollment__last_step__position",
                                  "enrollment__last_variant__label", "enrollment__inbox_id",
                                  "enrollment__inbox__domain_id"))
            .annotate(n=Count("pk")).order_by())


def _meetings(organization_id: int, start: datetime, end: datetime) -> Iterable[tuple[Key, str, int]]:
    return ((_key(row), "meetings", row["n"]) for row in meetings.count_meetings(organization_id, start, end))


SOURCES = (_sent, _bounces, _inbound, _unsubscribes, _meetings)


def compute_day(organization_id: int, day: date) -> dict[Key, dict[str, int]]:
    """The slice's rows as {key: {counter: n}}, read from the source rows (one aggregate query per source)."""
    start, end = day_bounds(day)
    figures: dict[Key, dict[str, int]] = defaultdict(dict)
    for source in SOURCES:
        for key, counter, n in source(organization_id, start, end):
            figures[key][counter] = figures[key].get(counter, 0) + n
    return figures


def _stored(organization_id: int, day: date) -> dict[Key, dict[str, int]]:
    rows = DailyStat.objects.filter(organization_id=organization_id, day=day).values(
        *COUNTERS, **_dimensions("campaign_id", "step_index", "variant_label", "inbox_id", "domain_id"))
    return {_key(row): {name: row[name] for name in COUNTERS if row[name]} for row in rows}


def rollup_day(organization_id: int, day: date) -> bool:
    """Replace the organization's rows of ``day`` with freshly computed ones; True when they changed."""
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization_id).values_list("pk").first()
        figures = {key: counts for key, counts in compute_day(organization_id, day).items() if any(counts.values())}
        if figures == _stored(organization_id, day):
            return False
        DailyStat.objects.filter(organization_id=organization_id, day=day).delete()
        DailyStat.objects.bulk_create([
            DailyStat(organization_id=organization_id, day=day, campaign_id=key[0], step_index=key[1],
                      variant_label=key[2], inbox_id=key[3], domain_id=key[4], **counts)
            for key, counts in figures.items()], batch_size=1000)
        publish(organization_id, STREAM, {"type": "analytics.updated", "days": [day.isoformat()]})
    return True


def rollup_days(organization_id: int, days: Iterable[date]) -> int:
    """Roll up each day (one transaction a day); returns how many days changed."""
    return sum(rollup_day(organization_id, day) for day in days)


def recent_days(today: date, count: int) -> list[date]:
    """``count`` days up to ``today``, oldest first."""
    return [today - timedelta(days=offset) for offset in range(count - 1, -1, -1)]
