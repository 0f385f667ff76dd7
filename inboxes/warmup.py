"""The warmup engine: inboxes ramp up their daily volume, pause on bad rates, and domains follow their inboxes.

It lives in the inboxes app because it works on inboxes first and moves their domains after them, in one
transaction: inboxes sit above domains (an inbox belongs to a domain), so this is the lowest app that may see
both. Starting a domain's warmup is the provisioning flow's last step and belongs to domains
(``domains.provisioning.start_warmup``: dns_pending → warming); that flow reaches this app's part of it,
``start_pending_inboxes``, through the hook this app registers at start-up (``InboxesConfig.ready``).

``tick`` runs once a day (beat job ``domains.warmup_tick``, task in ``inboxes.tasks``; ``manage.py
rex_warmup_tick``) and applies every rule below to the whole fleet with set-based statements: the number of
queries a tick costs does not depend on how many inboxes or domains there are (see ``bench/warmup.py`` and
docs/warmup.md).

Rules, in the order a tick applies them (each step sees what the previous ones did):

1. Pause: a warming or active inbox of a sending domain (warming, ready, in_use) whose bounce rate or complaint
   rate over the rolling window — the ``REX_WARMUP_WINDOW_DAYS`` days before today, and only days after its last
   pause — is above ``REX_WARMUP_MAX_BOUNCE_RATE`` / ``REX_WARMUP_MAX_COMPLAINT_RATE`` pauses, provided it sent
   at least ``REX_WARMUP_MIN_SENDS_FOR_RATES`` in that window.
2. A domain with an inbox paused in step 1 rests (warming / ready / in_use → resting), incidents + 1, until
   today + ``REX_WARMUP_PAUSE_DAYS``. An in_use domain keeps its ``campaign`` while it rests.
3. A resting domain with ``REX_DOMAIN_BURN_AFTER_INCIDENTS`` incidents is burned; inboxes of burned domains are
   disabled.
4. A resting domain whose ``rest_until`` day has come goes back to warming.
5. A paused inbox of a sending domain, paused at least ``REX_WARMUP_PAUSE_DAYS`` days ago, resumes warming at
   max(warmup_start, half the limit it had).
6. Warming inboxes of sending domains not advanced today move one day up the ramp; those that reach their cap
   become active.
7. A warming domain whose non-disabled inboxes (at least one) are all active is ready.

Everything runs in one transaction behind a database-wide lock (a PostgreSQL advisory lock; SQLite's
``BEGIN IMMEDIATE`` write lock in the embedded set-up), so two ticks at once run one after the other and the
second finds nothing left to do: an inbox is advanced at most once per day (``warmup_advanced_on``), and every
other rule is a state change that a second run no longer matches.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Greatest, Least, TruncDate
from django.utils import timezone

from domains.models import SENDING_STATES, Domain, DomainState
from inboxes.models import Inbox, InboxDay

S = DomainState
I = Inbox.Status  # noqa: E741 - the inbox statuses read as I.WARMING, I.ACTIVE, ...

# Key of the PostgreSQL advisory lock that serialises ticks (a stable 63-bit number derived from a name). The name
# predates the engine's move from domains to inboxes and stays: a worker still running the old code during a
# deploy must take the same lock.
TICK_LOCK_KEY = int.from_bytes(hashlib.sha256(b"rex.domains.warmup_tick").digest()[:8], "big") >> 1
PAUSE_REASON_MAX = Inbox._meta.get_field("pause_reason").max_length


@dataclass
class TickReport:
    """What one tick did (or, in a dry run, would do)."""

    day: date
    advanced: int = 0            # warming inboxes moved one day up the ramp (still warming)
    completed: int = 0           # warming inboxes that reached their cap and became active
    paused: int = 0              # inboxes paused for their bounce or complaint rate
    resumed: int = 0             # paused inboxes back to warming after their pause
    disabled: int = 0            # inboxes disabled because their domain is burned
    domains_ready: int = 0       # warming → ready
    domains_resting: int = 0     # warming / ready / in_use → resting
    domains_burned: int = 0      # resting → burned
    domains_rewarming: int = 0   # resting → warming after the rest
    # One line per pause and per domain move, for the log and the command's output.
    details: list[str] = field(default_factory=list)

    COUNTS = ("advanced", "completed", "paused", "resumed", "disabled", "domains_ready", "domains_resting",
              "domains_burned", "domains_rewarming")

    @property
    def changed(self) -> bool:
        return any(getattr(self, name) for name in self.COUNTS)

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.COUNTS}

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["day"] = self.day.isoformat()
        return data

    def summary(self) -> str:
        return (f"warmup tick {self.day.isoformat()}: inboxes {self.advanced} advanced, {self.completed} completed, "
                f"{self.paused} paused, {self.resumed} resumed, {self.disabled} disabled; domains "
                f"{self.domains_ready} ready, {self.domains_resting} resting, {self.domains_burned} burned, "
                f"{self.domains_rewarming} back to warming")


# --- the ramp ------------------------------------------------------------------------------------------------------

def ramp_step(daily_cap: int, warmup_start: int, warmup_increment: int, warmup_target_days: int) -> int:
    """The daily increase: the configured increment, or more when that would not reach the cap in time.

    ``max(increment, ceil((cap - start) / max(1, target_days - 1)))``: day 1 sends ``start``, so the cap must be
    reached in ``target_days - 1`` steps. 5 → 40 over 21 days: max(2, ceil(35 / 20)) = 2, cap on day 19.
    """
    spread = max(1, warmup_target_days - 1)
    return max(warmup_increment, -(-(daily_cap - warmup_start) // spread))


def ramp_limit(day: int, *, daily_cap: int, warmup_start: int, warmup_increment: int,
               warmup_target_days: int) -> int:
    """The volume of warmup day ``day`` (1 = the first day) for an inbox that never paused."""
    step = ramp_step(daily_cap, warmup_start, warmup_increment, warmup_target_days)
    return min(daily_cap, warmup_start + step * (max(day, 1) - 1))


def _ramp_step_sql() -> models.Expression:
    """``ramp_step`` per row, in SQL (integer arithmetic; PostgreSQL and SQLite both truncate toward zero)."""
    integer = models.BigIntegerField()
    spread = Greatest(Value(1), F("warmup_target_days") - 1, output_field=integer)
    # ceil(a / b) for b > 0 as (a + b - 1) / b; when a < 0 (start above cap) the increment wins anyway.
    catch_up = models.ExpressionWrapper(
        (F("daily_cap") - F("warmup_start") + spread - 1) / spread, output_field=integer)
    return Greatest(F("warmup_increment"), catch_up, output_field=integer)


def _next_limit_sql() -> models.Expression:
    """Tomorrow's volume of a warming inbox: one step up from today's, never below the start nor above the cap.

    Stepping from the stored limit (rather than recomputing from ``warmup_day``) is what lets a resumed inbox
    ramp up again from the reduced limit it resumed at; for an inbox that never paused both give the same.
    """
    integer = models.BigIntegerField()
    stepped = Case(When(warmup_limit__lt=F("warmup_start"), then=F("warmup_start")),
                   default=models.ExpressionWrapper(F("warmup_limit") + _ramp_step_sql(), output_field=integer),
                   output_field=integer)
    return Least(F("daily_cap"), stepped, output_field=integer)


# --- helpers -------------------------------------------------------------------------------------------------------

def utc_today() -> date:
    return timezone.now().astimezone(UTC).date()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _tick_moment(today: date | None) -> tuple[date, datetime]:
    """The day the tick is for and the timestamp its pauses carry.

    A tick for another day than today (a catch-up, a test, ``--date``) stamps its pauses at that day's tick hour,
    so pause ages, which are counted in days, stay consistent with the day it ran for.
    """
    now = timezone.now()
    if today is None or today == now.astimezone(UTC).date():
        return now.astimezone(UTC).date(), now
    return today, datetime.combine(today, time(settings.REX_WARMUP_TICK_HOUR_UTC), tzinfo=UTC)


def _rate_limit(rate: float) -> Fraction:
    # Thresholds compared as exact fractions (bounces * den > sent * num), so 3 bounces in 100 sends is exactly
    # 3 % and not a float rounding away from it.
    return Fraction(str(rate)).limit_denominator(10**6)


def _percent(value: float) -> str:
    return f"{value * 100:.2f}".rstrip("0").rstrip(".") + "%"


def _lock_tick() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TICK_LOCK_KEY])
    # SQLite (embedded): the atomic block began with BEGIN IMMEDIATE (settings), which already holds the
    # database's only write lock until commit.


def _sending_domains() -> models.QuerySet:
    # As a subquery on domain_id rather than a join: an UPDATE with a join becomes "id IN (SELECT … JOIN …)",
    # a second pass over the inbox table.
    return Domain.objects.filter(state__in=SENDING_STATES).values("pk")


def _not_advanced(today: date) -> Q:
    return Q(warmup_advanced_on__isnull=True) | Q(warmup_advanced_on__lt=today)


# --- starting a domain's inboxes -----------------------------------------------------------------------------------

def start_pending_inboxes(domain: Domain) -> int:
    """Start the domain's pending inboxes at their start volume (warmup day 1, counted as advanced today).

    The inbox part of ``domains.provisioning.start_warmup``, which calls it through its hook inside the same
    transaction as the domain's move to warming, on a domain that may send. Returns how many inboxes started.
    """
    return (Inbox.objects.filter(domain=domain, status=I.PENDING)
            .update(status=I.WARMING, warmup_limit=F("warmup_start"), warmup_day=1, warmup_advanced_on=utc_today()))


# --- the daily tick ------------------------------------------------------------------------------------------------

def tick(*, today: date | None = None) -> TickReport:
    """Apply one day of warmup rules to every inbox and domain; see the module docstring. Idempotent per day.

    Logs nothing itself: the caller knows whether the tick is real or a dry run (the task logs the report).
    """
    today, moment = _tick_moment(today)
    report = TickReport(day=today)
    with transaction.atomic():
        _lock_tick()
        rested_domains = _pause_unhealthy_inboxes(today, moment, report)
        _rest_domains(rested_domains, today, report)
        _burn_domains(report)
        _end_rests(today, report)
        _resume_inboxes(today, report)
        _advance_inboxes(today, report)
        _ready_domains(report)
    return report


def _pause_unhealthy_inboxes(today: date, moment: datetime, report: TickReport) -> set[int]:
    """Step 1. Returns the ids of the domains that had an inbox paused."""
    window = settings.REX_WARMUP_WINDOW_DAYS
    bounce_limit = _rate_limit(settings.REX_WARMUP_MAX_BOUNCE_RATE)
    complaint_limit = _rate_limit(settings.REX_WARMUP_MAX_COMPLAINT_RATE)
    breaches = list(
        InboxDay.objects
        .filter(day__gte=today - timedelta(days=window), day__lt=today,
                inbox__status__in=[I.WARMING, I.ACTIVE], inbox__domain__state__in=SENDING_STATES)
        # A resumed inbox is judged on what it sent since, not on the days that paused it.
        .filter(Q(inbox__paused_at__isnull=True) | Q(day__gt=TruncDate("inbox__paused_at", tzinfo=UTC)))
        .values("inbox_id")
        .annotate(window_sent=Sum("sent"), window_bounces=Sum("bounces"), window_complaints=Sum("complaints"))
        .filter(window_sent__gte=settings.REX_WARMUP_MIN_SENDS_FOR_RATES)
        # Integer division floors sent * rate, which is exact here: for a whole number of bounces,
        # bounces > sent * rate exactly when bounces > floor(sent * rate).
        .filter(Q(window_bounces__gt=F("window_sent") * bounce_limit.numerator / bounce_limit.denominator)
                | Q(window_complaints__gt=F("window_sent") * complaint_limit.numerator / complaint_limit.denominator))
        .values_list("inbox_id", "window_sent", "window_bounces", "window_complaints")
    )
    reasons: dict[int, str] = {}
    for inbox_id, sent, bounces, complaints in breaches:
        parts = []
        if bounces * bounce_limit.denominator > sent * bounce_limit.numerator:
            parts.append(f"bounce rate {_percent(bounces / sent)} ({bounces}/{sent}) above "
                         f"{_percent(settings.REX_WARMUP_MAX_BOUNCE_RATE)}")
        if complaints * complaint_limit.denominator > sent * complaint_limit.numerator:
            parts.append(f"complaint rate {_percent(complaints / sent)} ({complaints}/{sent}) above "
                         f"{_percent(settings.REX_WARMUP_MAX_COMPLAINT_RATE)}")
        if parts:
            reasons[inbox_id] = ("; ".join(parts) + f" over the last {window} days")[:PAUSE_REASON_MAX]
    if not reasons:
        return set()
    # Lock the rows and keep those still pausable, so the domains rested below are exactly those of the
    # inboxes this UPDATE pauses, whatever ops did to an inbox meanwhile.
    paused = list(Inbox.objects.select_for_update()
                  .filter(pk__in=reasons, status__in=[I.WARMING, I.ACTIVE])
                  .values_list("pk", "domain_id", "address"))
    if not paused:
        return set()
    report.paused = Inbox.objects.filter(pk__in=[pk for pk, _, _ in paused]).update(
        status=I.PAUSED, paused_at=moment, pauses=F("pauses") + 1, warmup_advanced_on=today,
        pause_reason=Case(*(When(pk=pk, then=Value(reasons[pk])) for pk, _, _ in paused),
                          default=F("pause_reason"), output_field=models.CharField()))
    report.details.extend(f"paused {address}: {reasons[pk]}" for pk, _, address in sorted(paused, key=lambda r: r[2]))
    return {domain_id for _, domain_id, _ in paused}


def _rest_domains(domain_ids: set[int], today: date, report: TickReport) -> None:
    """Step 2."""
    if not domain_ids:
        return
    rows = list(Domain.objects.filter(pk__in=domain_ids, state__in=SENDING_STATES).values_list("pk", "state", "name"))
    names = {pk: name for pk, _, name in rows}
    rest_until = _midnight(today + timedelta(days=settings.REX_WARMUP_PAUSE_DAYS))
    for source in SENDING_STATES:
        ids = [pk for pk, state, _ in rows if state == source]
        moved = Domain.bulk_transition(
            ids, source, S.RESTING, actor="system:warmup", incidents=F("incidents") + 1, rest_until=rest_until,
            reason=f"an inbox paused for its bounce or complaint rate; resting until {rest_until:%Y-%m-%d}")
        report.domains_resting += len(moved)
        report.details.extend(f"domain {names[pk]}: {source} → resting until {rest_until:%Y-%m-%d}"
                              for pk in sorted(moved, key=names.__getitem__))


def _burn_domains(report: TickReport) -> None:
    """Step 3."""
    limit = settings.REX_DOMAIN_BURN_AFTER_INCIDENTS
    rows = dict(Domain.objects.filter(state=S.RESTING, incidents__gte=limit).values_list("pk", "name"))
    moved = Domain.bulk_transition(rows, S.RESTING, S.BURNED, actor="system:warmup",
                                   reason=f"{limit} or more incidents: reputation considered lost")
    report.domains_burned = len(moved)
    report.details.extend(f"domain {rows[pk]}: resting → burned" for pk in sorted(moved, key=rows.__getitem__))
    # Every burned domain's inboxes, not only this tick's: a domain burned by hand loses its inboxes too.
    burned = Domain.objects.filter(state=S.BURNED).values("pk")
    report.disabled = (Inbox.objects.filter(domain__in=burned).exclude(status=I.DISABLED)
                       .update(status=I.DISABLED, pause_reason="its domain is burned"))


def _end_rests(today: date, report: TickReport) -> None:
    """Step 4. A resting domain without ``rest_until`` was rested by hand and waits for ops."""
    rows = dict(Domain.objects.filter(state=S.RESTING, rest_until__lt=_midnight(today + timedelta(days=1)))
                .values_list("pk", "name"))
    moved = Domain.bulk_transition(rows, S.RESTING, S.WARMING, actor="system:warmup", rest_until=None,
                                   reason="rest over: warming up again")
    report.domains_rewarming = len(moved)
    report.details.extend(f"domain {rows[pk]}: resting → warming" for pk in sorted(moved, key=rows.__getitem__))


def _resume_inboxes(today: date, report: TickReport) -> None:
    """Step 5. An inbox paused without ``paused_at`` was paused by hand and waits for ops."""
    paused_before = _midnight(today - timedelta(days=settings.REX_WARMUP_PAUSE_DAYS - 1))
    integer = models.BigIntegerField()
    resumed_limit = Least(F("daily_cap"), Greatest(F("warmup_start"), F("warmup_limit") / 2, output_field=integer),
                          output_field=integer)
    report.resumed = (Inbox.objects
                      .filter(status=I.PAUSED, paused_at__lt=paused_before, domain__in=_sending_domains())
                      .filter(_not_advanced(today))
                      .update(status=I.WARMING, warmup_limit=resumed_limit, warmup_advanced_on=today))


def _advance_inboxes(today: date, report: TickReport) -> None:
    """Step 6: first those whose next step reaches the cap (they become active), then the others."""
    warming = (Inbox.objects.filter(status=I.WARMING, domain__in=_sending_domains()).filter(_not_advanced(today))
               .alias(next_limit=_next_limit_sql()))
    report.completed = warming.filter(next_limit__gte=F("daily_cap")).update(
        status=I.ACTIVE, warmup_limit=F("daily_cap"), warmup_day=F("warmup_day") + 1, warmup_advanced_on=today)
    report.advanced = warming.update(warmup_limit=_next_limit_sql(), warmup_day=F("warmup_day") + 1,
                                     warmup_advanced_on=today)


def _ready_domains(report: TickReport) -> None:
    """Step 7."""
    inboxes = Inbox.objects.filter(domain=OuterRef("pk"))
    rows = dict(Domain.objects.filter(state=S.WARMING)
                .filter(Exists(inboxes.filter(status=I.ACTIVE)))
                .exclude(Exists(inboxes.exclude(status__in=[I.ACTIVE, I.DISABLED])))
                .values_list("pk", "name"))
    moved = Domain.bulk_transition(rows, S.WARMING, S.READY, actor="system:warmup",
                                   reason="all its inboxes are warmed up")
    report.domains_ready = len(moved)
    report.details.extend(f"domain {rows[pk]}: warming → ready" for pk in sorted(moved, key=rows.__getitem__))
