"""The sequencer: every minute (beat, control queue) it moves due enrollments on; send tasks write the emails.

``tick(now)`` takes due enrollments (``active`` or ``waiting``, ``next_due_at <= now``, their campaign active, not
claimed) in batches with ``SELECT … FOR UPDATE SKIP LOCKED`` (two ticks at once never take the same rows) and
decides each on the loaded rows:

- a finished wait becomes ``active``; nothing left to do is ``completed``;
- an email step outside the campaign's window *in the contact's zone* is moved to the window's next opening;
- an email step inside it is claimed (``claimed_until``) and handed, after commit, to a send task in chunks.

Its queries depend on the number of batches, never on how many enrollments exist: the due ones are read through
a partial index, and every write is one statement per batch.

``send_claimed(ids, now)`` (the send task) renders each claimed enrollment's step for its variant, picks the
inbox (sticky: the one that sent the first email, so follow-ups stay in the thread), takes the inbox's pacing
turn, and sends through ``inboxes.sending.send_email`` with one idempotency key per enrollment and step, stored
before the provider is called. Then it moves the enrollment to its next step with a conditional update on the
step it sent. A worker killed anywhere in between leaves either no message (the claim expires, the next tick
claims again) or a stored key (the re-run finds the message and only moves on): nothing is sent twice.
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.utils import timezone

from campaigns.channels import send_on_channel
from campaigns.models import (
    RUNNING_STATES,
    Campaign,
    Enrollment,
    EnrollmentState,
    EnrollmentTransition,
    SequenceMessage,
    SequenceStep,
    StepVariant,
)
from campaigns.sequencing import contact_zone, plan_from, render_step, send_window
from campaigns.services import STOPPED_BY_SUPPRESSION, sending_inboxes
from inboxes.bounce_classes import classify, find_smtp_code, find_status
from inboxes.bounces import record_bounce
from inboxes.models import SENDING_STATUSES, BounceRecord, CapReached, Inbox, OutboundMessage
from inboxes.sending import PERMANENT, send_email
from inboxes.suppression import suppression_reason
from inboxes.transports import TransportError
from live.publish import after_commit
from rex_project.celery import app as celery_app

logger = logging.getLogger(__name__)
E = EnrollmentState
SEND_TASK = "campaigns.send_sequence_emails"


def sequence_key(enrollment_id: int, step_index: int, attempt: int = 0) -> str:
    """The idempotency key of one enrollment's one step: that email is sent at most once, whatever happens.

    ``attempt`` counts new tries after a definite refusal that was not the address's fault (see ``_refused``).
    """
    seed = f"{enrollment_id}:{step_index}" + (f":{attempt}" if attempt else "")
    return "seq:" + hashlib.sha256(seed.encode()).hexdigest()


# --- the tick ------------------------------------------------------------------------------------------------------

@dataclass
class TickReport:
    at: str = ""
    examined: int = 0
    claimed: int = 0
    outside_window: int = 0
    waits_over: int = 0
    completed: int = 0
    resumed: int = 0
    tasks: int = 0
    batches: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _steps_of(sequence_ids: set[int], cache: dict[int, list[SequenceStep]]) -> None:
    missing = sequence_ids - set(cache)
    if not missing:
        return
    for sid in missing:
        cache[sid] = []
    for step in SequenceStep.objects.filter(sequence_id__in=missing).prefetch_related("variants").order_by("position"):
        cache[step.sequence_id].append(step)


def due_enrollments(now: datetime):
    return (Enrollment.objects
            .filter(state__in=RUNNING_STATES, next_due_at__lte=now, campaign__status=Campaign.Status.ACTIVE)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)))


def tick(now: datetime | None = None, *, batch_size: int | None = None, limit: int | None = None) -> TickReport:
    """Move every due enrollment on (at most ``limit``), ``batch_size`` rows per transaction. See the module docstring."""
    now = now or timezone.now()
    batch_size = batch_size or settings.REX_SEQUENCER_BATCH
    limit = limit or settings.REX_SEQUENCER_MAX_PER_TICK
    claim_until = now + timedelta(seconds=settings.REX_SEQUENCER_CLAIM_SECONDS)
    report = TickReport(at=now.isoformat())
    report.resumed = _resume_due_pauses(now, limit)
    steps_cache: dict[int, list[SequenceStep]] = {}
    while report.examined < limit:
        with transaction.atomic():
            batch = list(
                due_enrollments(now).select_for_update(skip_locked=True, of=("self",))
                .select_related("contact", "campaign")
                .only("pk", "state", "step_index", "next_due_at", "campaign_id", "contact_id",
                      "contact__timezone", "contact__phone", "campaign__sequence_id", "campaign__send_days",
                      "campaign__send_start", "campaign__send_end", "campaign__timezone")
                .order_by("next_due_at")[:min(batch_size, limit - report.examined)])
            if not batch:
                break
            report.batches += 1
            report.examined += len(batch)
            _steps_of({e.campaign.sequence_id for e in batch if e.campaign.sequence_id}, steps_cache)
            claimed, deferred, waits_over, completed, to_wait = [], [], [], [], []
            for enrollment in batch:
                campaign = enrollment.campaign
                steps = steps_cache.get(campaign.sequence_id, [])
                zone = contact_zone(enrollment.contact, campaign)
                plan = plan_from(steps, enrollment.step_index, now, zone)
                if plan.state == E.COMPLETED:
                    completed.append(enrollment.pk)
                    continue
                if plan.state == E.WAITING:  # the sequence was edited: a wait now stands where an email was
                    to_wait.append((enrollment, plan))
                    continue
                if enrollment.state == E.WAITING:
                    waits_over.append(enrollment.pk)
                window = send_window(campaign)
                if window.problems():
                    enrollment.next_due_at = now + timedelta(hours=1)
                    deferred.append(enrollment)
                elif window.is_open(now, zone):
                    claimed.append(enrollment.pk)
                else:
                    enrollment.next_due_at = window.next_opening(now, zone)
                    deferred.append(enrollment)
            if completed:
                report.completed += len(Enrollment.bulk_move(completed, RUNNING_STATES, E.COMPLETED,
                                                             reason="every step done", next_due_at=None))
            if waits_over:
                report.waits_over += len(Enrollment.bulk_move(waits_over, [E.WAITING], E.ACTIVE,
                                                              reason="the wait is over"))
            for enrollment, plan in to_wait:
                enrollment.move(E.WAITING, reason="the sequence now waits here", step_index=plan.step_index,
                                next_due_at=plan.next_due_at)
            if deferred:
                # One UPDATE with a CASE arm per distinct instant (one per zone and window), not one per row as
                # bulk_update() builds: each arm is a Django expression, about 0.2 ms of CPU (bench/sequencer.py).
                by_due: dict[datetime, list[int]] = {}
                for enrollment in deferred:
                    by_due.setdefault(enrollment.next_due_at, []).append(enrollment.pk)
                Enrollment.objects.filter(pk__in=[e.pk for e in deferred]).update(next_due_at=Case(
                    *(When(pk__in=ids, then=Value(due)) for due, ids in by_due.items()),
                    output_field=DateTimeField()))
                report.outside_window += len(deferred)
            if claimed:
                Enrollment.objects.filter(pk__in=claimed).update(claimed_until=claim_until)
                report.claimed += len(claimed)
                chunk = settings.REX_SEQUENCER_SEND_CHUNK
                for start in range(0, len(claimed), chunk):
                    after_commit(_sender(claimed[start:start + chunk], now))
                    report.tasks += 1
    return report


def _resume_due_pauses(now: datetime, limit: int) -> int:
    """Pauses that end by themselves (an out-of-office reply: back on the return date) go back where they were."""
    with transaction.atomic():
        rows = list(Enrollment.objects.select_for_update(skip_locked=True)
                    .filter(state=E.PAUSED, resume_at__isnull=False, resume_at__lte=now)
                    .values_list("pk", "paused_from")[:limit])
        resumed = 0
        for target in RUNNING_STATES:
            ids = [pk for pk, source in rows if (source if source in RUNNING_STATES else E.ACTIVE) == target]
            if ids:
                resumed += len(Enrollment.bulk_move(ids, [E.PAUSED], target, reason="the pause ended (back in office)",
                                                    paused_from="", resume_at=None))
    return resumed


def _sender(ids: list[int], now: datetime):
    def send() -> None:
        celery_app.send_task(SEND_TASK, args=[ids, now.isoformat()], queue=settings.REX_SEQUENCER_SEND_QUEUE)
    send.__qualname__ = "sequencer.send_claimed"
    return send


# --- the send task -------------------------------------------------------------------------------------------------

@dataclass
class SendReport:
    outcomes: Counter = field(default_factory=Counter)

    def as_dict(self) -> dict[str, int]:
        return dict(self.outcomes)


class _Deferred(Exception):
    def __init__(self, until: datetime, reason: str) -> None:
        super().__init__(reason)
        self.until, self.reason = until, reason


def send_claimed(ids: list[int], now: datetime | None = None) -> SendReport:
    """Send the step each claimed enrollment is on, then move it on (see the module docstring)."""
    now = now or timezone.now()
    report = SendReport()
    steps_cache: dict[int, list[SequenceStep]] = {}
    inboxes_cache: dict[int, list[Inbox]] = {}
    enrollments = list(Enrollment.objects.filter(pk__in=ids, state=E.ACTIVE, claimed_until__isnull=False)
                       .select_related("contact", "campaign__organization", "inbox__domain").order_by("pk"))
    report.outcomes["not_claimed"] = len(set(ids)) - len(enrollments)
    _steps_of({e.campaign.sequence_id for e in enrollments if e.campaign.sequence_id}, steps_cache)
    for enrollment in enrollments:
        try:
            outcome = _send_one(enrollment, now, steps_cache, inboxes_cache)
        except _Deferred as exc:
            _defer(enrollment, exc.until, exc.reason)
            outcome = "deferred"
        report.outcomes[outcome] += 1
    if not report.outcomes["not_claimed"]:
        del report.outcomes["not_claimed"]
    return report


def _defer(enrollment: Enrollment, until: datetime, reason: str) -> None:
    Enrollment.objects.filter(pk=enrollment.pk, state=E.ACTIVE, step_index=enrollment.step_index).update(
        next_due_at=until, claimed_until=None, last_error=reason[:500])


def _release(enrollment: Enrollment) -> None:
    Enrollment.objects.filter(pk=enrollment.pk, claimed_until__isnull=False).update(claimed_until=None)


def _send_one(enrollment: Enrollment, now: datetime, steps_cache: dict[int, list[SequenceStep]],
              inboxes_cache: dict[int, list[Inbox]]) -> str:
    campaign, contact = enrollment.campaign, enrollment.contact
    if campaign.status != Campaign.Status.ACTIVE:
        _release(enrollment)
        return "campaign_not_active"
    steps = steps_cache.get(campaign.sequence_id, [])
    index = enrollment.step_index
    if index >= len(steps) or steps[index].kind != SequenceStep.Kind.EMAIL:
        _release(enrollment)  # the sequence changed under it: the next tick plans again
        return "replanned"
    step = steps[index]
    zone = contact_zone(contact, campaign)
    window = send_window(campaign)
    if not window.is_open(now, zone):  # claimed at the window's last minute, or the window was edited
        raise _Deferred(window.next_opening(now, zone), "outside the send window")

    record = SequenceMessage.objects.filter(enrollment=enrollment, step_index=index).select_related("variant").first()
    variants = list(step.variants.all())
    variant = record.variant if record is not None and record.variant is not None else step.variant_for(
        contact.pk, variants)
    if variant is None:
        raise _Deferred(now + timedelta(hours=1), f"step {index + 1} has no text")
    if step.channel != SequenceStep.Channel.EMAIL:
        return _send_channel_step(enrollment, steps, step, variant, record, now, zone)
    thread_ids = enrollment.thread_message_ids.split()
    thread_subject = enrollment.thread_subject if thread_ids else ""

    candidates = [enrollment.inbox] if enrollment.inbox_id else _first_step_inboxes(campaign, inboxes_cache)
    if enrollment.inbox_id and (enrollment.inbox.status not in SENDING_STATUSES or not enrollment.inbox.domain.may_send):
        raise _Deferred(now + timedelta(hours=1), f"inbox {enrollment.inbox.address} cannot send now "
                                                  f"({enrollment.inbox.status}); follow-ups wait for it to stay in "
                                                  "the thread")
    if not candidates:
        raise _Deferred(now + timedelta(hours=1), f"campaign {campaign.slug} has no sending inbox: assign domains")
    if not _still_due(enrollment):
        return "stopped_meanwhile"
    if record is None:
        record, _ = SequenceMessage.objects.get_or_create(
            enrollment=enrollment, step_index=index,
            defaults={"campaign": campaign, "step": step, "variant": variant, "variant_label": variant.label,
                      "scheduled_at": now})

    next_turn: datetime | None = None
    cap_refusal: CapReached | None = None
    message: OutboundMessage | None = None
    for inbox in candidates:
        low, high = campaign.gap_range
        if not inbox.take_pacing_turn(now=now, gap_seconds=random.uniform(low, high)):
            inbox.refresh_from_db(fields=["next_send_at"])
            if inbox.next_send_at and (next_turn is None or inbox.next_send_at < next_turn):
                next_turn = inbox.next_send_at
            continue
        email = render_step(step, variant, contact, thread_subject=thread_subject,
                            sender_name=campaign.from_name or inbox.display_name)
        try:
            message = send_email(
                organization=campaign.organization, inbox=inbox, to=contact.email, subject=email.subject,
                body=email.body, idempotency_key=sequence_key(enrollment.pk, index, enrollment.send_attempt),
                campaign=campaign, contact=contact, in_reply_to=thread_ids[-1] if thread_ids else "",
                references=" ".join(thread_ids))
        except CapReached as exc:
            Inbox.objects.filter(pk=inbox.pk).update(next_send_at=None)  # the turn was not used
            cap_refusal = exc
            continue
        except TransportError as exc:
            if exc.recoverable or exc.outcome_unknown:
                raise _Deferred(now + timedelta(minutes=15), f"sending failed, will retry: {exc.message}") from exc
            message = OutboundMessage.objects.filter(
                idempotency_key=sequence_key(enrollment.pk, index, enrollment.send_attempt)).first()
        except ValueError as exc:  # no postal address, a bad recipient, a misconfigured base URL
            raise _Deferred(now + timedelta(hours=1), str(exc)) from exc
        break
    if message is None:
        if cap_refusal is not None and next_turn is None:
            raise _Deferred(_after_cap(cap_refusal, candidates[0], window, zone), cap_refusal.message)
        raise _Deferred(next_turn or now + timedelta(minutes=5), "waiting for the inbox's next turn (pacing)")

    SequenceMessage.objects.filter(pk=record.pk).update(message=message)
    return _after_send(enrollment, steps, step, variant, message, now, zone, email_subject=message.subject)


def _send_channel_step(enrollment: Enrollment, steps: list[SequenceStep], step: SequenceStep, variant: StepVariant,
                       record: SequenceMessage | None, now: datetime, zone: ZoneInfo) -> str:
    """A step on another channel than email: handed to the sender registered for it (``campaigns.channels``).

    Same key as an email step (one per enrollment and step), so the sender's own idempotency row makes a re-run
    of this task find the message instead of sending it again.
    """
    if not _still_due(enrollment):
        return "stopped_meanwhile"
    index = enrollment.step_index
    if record is None:
        record, _ = SequenceMessage.objects.get_or_create(
            enrollment=enrollment, step_index=index,
            defaults={"campaign": enrollment.campaign, "step": step, "variant": variant,
                      "variant_label": variant.label, "scheduled_at": now})
    outcome = send_on_channel(step.channel, enrollment, step, variant, now=now,
                              idempotency_key=sequence_key(enrollment.pk, index, enrollment.send_attempt))
    if outcome.skip_reason:
        return _skip_step(enrollment, steps, step, now, zone, outcome.skip_reason)
    message = outcome.message
    if message is None:
        raise _Deferred(outcome.retry_at or now + timedelta(minutes=5),
                        outcome.reason or f"the {step.channel} step could not be sent yet")
    SequenceMessage.objects.filter(pk=record.pk).update(message=message)
    if message.status == OutboundMessage.Status.FAILED:
        # Refused by the provider for good (an invalid or unreachable number): the contact may still be reached
        # on the sequence's other steps, so only this step is given up.
        return _skip_step(enrollment, steps, step, now, zone, f"{step.channel} refused: {message.error}")
    return _after_send(enrollment, steps, step, variant, message, now, zone, email_subject="")


def _skip_step(enrollment: Enrollment, steps: list[SequenceStep], step: SequenceStep, now: datetime,
               zone: ZoneInfo, reason: str) -> str:
    """Give up this step for this contact (reported on the enrollment and its audit trail) and go on."""
    index = enrollment.step_index
    plan = plan_from(steps, index + 1, now, zone)
    why = f"step {index + 1} ({step.channel}) not sent: {reason}"
    logger.info("enrollment %s: %s", enrollment.pk, why)
    updates: dict[str, Any] = {"step_index": plan.step_index, "next_due_at": plan.next_due_at, "claimed_until": None,
                               "last_error": why[:500], "send_attempt": 0}
    if plan.state == E.ACTIVE:
        # No state change, so no transition row of its own: the audit trail still says why the step was skipped.
        with transaction.atomic():
            moved = Enrollment.objects.filter(pk=enrollment.pk, state=E.ACTIVE, step_index=index).update(**updates)
            if moved:
                EnrollmentTransition.objects.create(enrollment=enrollment, from_state=E.ACTIVE, to_state=E.ACTIVE,
                                                    step_index=index, reason=why[:300], at=now)
    else:
        moved = enrollment.move(plan.state, reason=why, condition=Q(step_index=index), **updates)
    return "skipped" if moved else "already_moved"


def _still_due(enrollment: Enrollment) -> bool:
    """Re-read the enrollment under its row lock just before sending: a reply that stopped it first wins.

    ``Enrollment.stop_on_reply()`` takes the same row lock (its UPDATE), so a reply being recorded right now is
    waited for, and once it commits this sees ``replied`` and sends nothing.
    """
    with transaction.atomic():
        return Enrollment.objects.select_for_update().filter(
            pk=enrollment.pk, state=E.ACTIVE, step_index=enrollment.step_index).exists()


def _first_step_inboxes(campaign: Campaign, cache: dict[int, list[Inbox]]) -> list[Inbox]:
    """The campaign's sending inboxes, the one whose turn comes first first (spreads the first emails)."""
    if campaign.pk not in cache:
        cache[campaign.pk] = sending_inboxes(campaign)
    inboxes = cache[campaign.pk]
    epoch = datetime.min.replace(tzinfo=ZoneInfo("UTC"))
    return sorted(inboxes, key=lambda i: (i.next_send_at or epoch, i.address))


def _after_cap(refusal: CapReached, inbox: Inbox, window: Any, zone: ZoneInfo) -> datetime:
    """The first moment inside the window after the inbox's day ends (its counter starts again then)."""
    local_midnight = datetime.combine(refusal.day + timedelta(days=1), datetime.min.time(), ZoneInfo(inbox.timezone))
    return window.next_opening(local_midnight.astimezone(ZoneInfo("UTC")), zone)


def _after_send(enrollment: Enrollment, steps: list[SequenceStep], step: SequenceStep, variant: Any,
                message: OutboundMessage, now: datetime, zone: ZoneInfo, *, email_subject: str) -> str:
    Status = OutboundMessage.Status
    index = enrollment.step_index
    if message.status == Status.SUPPRESSED:
        # A text's recipient is a phone: the contact's email row says why (both are suppressed together).
        address = message.to_address if message.channel == "email" else enrollment.contact.email
        reason = suppression_reason(message.organization_id, address)
        target = STOPPED_BY_SUPPRESSION.get(reason, E.STOPPED)
        enrollment.move(target, reason=f"suppressed ({reason or 'on the list'}) before step {index + 1}",
                        next_due_at=None, claimed_until=None)
        return "suppressed"
    if message.status == Status.FAILED:
        return _refused(enrollment, message, now, zone)
    if message.status == Status.PENDING:  # a twin run holds it: it will move the enrollment on
        _release(enrollment)
        return "in_progress"

    plan = plan_from(steps, index + 1, now, zone)
    updates: dict[str, Any] = {
        "step_index": plan.step_index, "next_due_at": plan.next_due_at, "claimed_until": None,
        "last_step": step, "last_variant": variant, "last_sent_at": now, "last_error": "", "send_attempt": 0}
    if message.channel == "email":
        # Only emails make the thread (and pin the inbox): a text in between does not break it.
        thread_ids = enrollment.thread_message_ids.split()
        if message.message_id and message.message_id not in thread_ids:
            thread_ids.append(message.message_id)
        updates.update({"inbox_id": message.inbox_id, "thread_message_ids": " ".join(thread_ids),
                        "emails_sent": F("emails_sent") + 1})
        if not enrollment.thread_subject:
            updates["thread_subject"] = email_subject[:300]
    if plan.state == E.ACTIVE:
        moved = Enrollment.objects.filter(pk=enrollment.pk, state=E.ACTIVE, step_index=index).update(**updates)
    else:
        moved = enrollment.move(plan.state, reason=f"step {index + 1} sent", condition=Q(step_index=index), **updates)
    return "sent" if moved else "already_moved"


# A step refused for a reason that is not the address's is tried again, at most this many times.
MAX_SEND_ATTEMPTS = 3
_RETRY_AFTER = {BounceRecord.Class.SOFT: timedelta(days=1), BounceRecord.Class.INFRASTRUCTURE: timedelta(hours=1)}


def _refused(enrollment: Enrollment, message: OutboundMessage, now: datetime, zone: ZoneInfo) -> str:
    """The receiving server refused the step for good: classified like every bounce (``inboxes.bounces``).

    A dead address is suppressed (the suppression listener ends the sequence ``bounced``). A full mailbox or a
    refusal of the sender (SPF/DKIM/DMARC, a blocklist: the contact is not to blame, and enough of them pause the
    domain) is tried again later as a new message, up to ``MAX_SEND_ATTEMPTS``; then the sequence stops.
    """
    error = message.error.removeprefix(PERMANENT)
    klass, reason = classify(find_status(error), error, find_smtp_code(error))
    outcome = record_bounce(message.organization, klass=klass, recipient=message.to_address, status=find_status(error),
                            reason=reason, message=message, source=f"smtp {message.pk}", now=now)
    if klass == BounceRecord.Class.HARD:
        enrollment.refresh_from_db(fields=["state"])
        if enrollment.state in RUNNING_STATES:  # no suppression was possible (no address): end it here
            enrollment.move(E.BOUNCED, reason=f"step {enrollment.step_index + 1} bounced: {reason}", next_due_at=None,
                            claimed_until=None, last_error=error[:500])
        return "bounced"
    if enrollment.send_attempt + 1 >= MAX_SEND_ATTEMPTS:
        enrollment.move(E.STOPPED, reason=f"step {enrollment.step_index + 1} refused {MAX_SEND_ATTEMPTS} times: "
                        f"{reason}", next_due_at=None, claimed_until=None, last_error=error[:500])
        return "failed"
    window = send_window(enrollment.campaign)
    Enrollment.objects.filter(pk=enrollment.pk, state=E.ACTIVE, step_index=enrollment.step_index).update(
        send_attempt=F("send_attempt") + 1, claimed_until=None,
        next_due_at=window.next_opening(now + _RETRY_AFTER[klass], zone),
        last_error=f"{klass} refusal, tried again later: {reason}; {'; '.join(outcome.done)}"[:500])
    return f"refused_{klass}"
