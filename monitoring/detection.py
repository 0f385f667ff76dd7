"""The anomaly pass: every organization's inboxes, domains, agents and mission queue against their thresholds and
baselines, in a fixed number of aggregate queries whatever their number (bench/anomaly.py measures it).

| Check | Subject | Rule (docs/monitoring.md) | Severity |
|---|---|---|---|
| bounce rate | inbox, domain | Wilson lower bound of bounces / sent over the window ≥ 2 % (3 %) | warning (3 %: pause) |
| complaint rate | inbox, domain | Wilson lower bound of complaints / sent ≥ 0.1 % (0.3 %) | warning (0.3 %: pause) |
| reply-rate drop | inbox | Wilson upper bound of the last week's human replies / sent < half the 4 weeks before | warning |
| deferral spike | inbox | Wilson lower bound of the last day's 4xx / sent ≥ 5 % and ≥ 3 x the week before | warning |
| failure rate | agent | Wilson lower bound of the last hour's failed runs ≥ 10 % and ≥ 2 x the week's | ≥ 50 %: critical |
| duration | agent | last hour's mean ≥ 1.5 x the week's and 3 standard errors above it | warning |
| oldest queued mission | the queue | older than REX_MONITORING_QUEUE_AGE_* seconds | warning / critical |

Each finding goes through ``services.record_finding`` (opened, escalated or seen). An incident the pass no longer
finds is resolved: at once for the kinds that pause nothing, and for reputation incidents (which paused sending)
only once their subject has stayed clean for ``REX_MONITORING_RECOVERY_HOURS``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Avg, Count, ExpressionWrapper, F, FloatField, Min, Q, StdDev, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from agents.models import AgentLog
from inboxes.models import BounceRecord, InboxDay
from missions.models import Mission, MissionStatus
from monitoring import rules
from monitoring.models import UNRESOLVED, Incident, Kind, Severity
from monitoring.services import SEVERITY_ORDER, Finding, record_finding, resolve
from replies.models import HUMAN_CATEGORIES, InboundMessage

# The kinds this pass decides (sender_refused incidents are opened by record_bounce and closed by people).
DETECTED_KINDS = (Kind.BOUNCE_RATE, Kind.COMPLAINT_RATE, Kind.REPLY_RATE_DROP, Kind.DEFERRAL_SPIKE,
                  Kind.AGENT_FAILURE_RATE, Kind.AGENT_DURATION, Kind.QUEUE_AGE)


def _rate_checks() -> tuple[tuple[str, str, str, float, float], ...]:
    return ((Kind.BOUNCE_RATE, "bounces", "bounce", settings.REX_MONITORING_BOUNCE_WARN,
             settings.REX_MONITORING_BOUNCE_PAUSE),
            (Kind.COMPLAINT_RATE, "complaints", "complaint", settings.REX_MONITORING_COMPLAINT_WARN,
             settings.REX_MONITORING_COMPLAINT_PAUSE))


def _rate_findings(rows: list[dict[str, Any]], subject_type: str) -> list[Finding]:
    """Bounce and complaint findings over rows of {organization_id, key, name, domain_id, sent, bounces, complaints}."""
    window, minimum = settings.REX_MONITORING_WINDOW_DAYS, settings.REX_MONITORING_MIN_SENDS
    findings = []
    for row in rows:
        for kind, column, word, warn, pause in _rate_checks():
            level = rules.rate_level(row[column], row["sent"], warn=warn, critical=pause, minimum=minimum)
            if level is None:
                continue
            bound = rules.wilson(row[column], row["sent"]).low
            threshold, action = (pause, "pause") if level == Severity.CRITICAL else (warn, "warning")
            findings.append(Finding(
                organization_id=row["organization_id"], kind=kind, severity=level, subject_type=subject_type,
                subject_key=f"{subject_type}:{row['key']}", subject=row["name"],
                reason=(f"{word} rate {rules.percent(row[column] / row['sent'])} ({row[column]} of {row['sent']} sent "
                        f"in {window} days) on {row['name']}: at least {rules.percent(bound)} at 95 %, over the "
                        f"{rules.percent(threshold)} {action} threshold"),
                figures={"count": row[column], "sent": row["sent"], "rate": round(row[column] / row["sent"], 5),
                         "lower_bound": round(bound, 5), "threshold": threshold},
                inbox_ids=(row["key"],) if subject_type == "inbox" else (), domain_id=row["domain_id"]))
    return findings


def _window_rows(group: str, name: str, since: Any) -> list[dict[str, Any]]:
    """Sends, bounces and complaints of the window per ``group`` (inbox or domain), only where a rate could be out
    of bounds: the Wilson lower bound never exceeds the point rate, so rows under every warning threshold (almost
    all of them) are left in the database, whatever the fleet's size."""
    over = Q(sent__gte=settings.REX_MONITORING_MIN_SENDS) & (
        Q(bounces__gte=ExpressionWrapper(F("sent") * settings.REX_MONITORING_BOUNCE_WARN, FloatField()))
        | Q(complaints__gte=ExpressionWrapper(F("sent") * settings.REX_MONITORING_COMPLAINT_WARN, FloatField())))
    rows = (InboxDay.objects.filter(day__gte=since)
            .values(key=F(group), name=F(name), organization_id=F("inbox__organization_id"),
                    domain_id=F("inbox__domain_id"))
            .annotate(sent=Sum("sent"), bounces=Sum("bounces"), complaints=Sum("complaints"))
            .filter(over).order_by())
    return list(rows)


def sending_findings(now: datetime) -> list[Finding]:
    """Bounce and complaint rates per domain and per inbox (two aggregate queries over the window's inbox days)."""
    since = now.date() - timedelta(days=settings.REX_MONITORING_WINDOW_DAYS - 1)
    by_domain = _rate_findings(_window_rows("inbox__domain_id", "inbox__domain__name", since), "domain")
    # A domain found out of bounds is one incident (and one pause) for all its inboxes, not one per inbox; an inbox
    # is reported on its own only when it is worse than its domain.
    covered = {(f.kind, f.domain_id): SEVERITY_ORDER[Severity(f.severity)] for f in by_domain}
    by_inbox = [f for f in _rate_findings(_window_rows("inbox_id", "inbox__address", since), "inbox")
                if covered.get((f.kind, f.domain_id), 0) < SEVERITY_ORDER[Severity(f.severity)]]
    return by_domain + by_inbox


def _sends_per_period(split: datetime, start: datetime, **narrow: Any) -> dict[int, dict[str, Any]]:
    """Per inbox: its sends from ``split`` on ("recent") and from ``start`` to ``split`` ("before")."""
    return {row["inbox_id"]: row for row in InboxDay.objects.filter(day__gte=start.date()).values(
        "inbox_id", "inbox__address", "inbox__organization_id").annotate(
        recent=Coalesce(Sum("sent", filter=Q(day__gte=split.date())), 0),
        before=Coalesce(Sum("sent", filter=Q(day__lt=split.date())), 0)).filter(**narrow).order_by()}


def _inbox_warning(kind: str, inbox_id: int, sent: dict[str, Any], reason: str, figures: dict[str, Any]) -> Finding:
    return Finding(organization_id=sent["inbox__organization_id"], kind=kind, severity=Severity.WARNING,
                   subject_type="inbox", subject_key=f"inbox:{inbox_id}", subject=sent["inbox__address"],
                   reason=reason, figures=figures)


def reply_findings(now: datetime) -> list[Finding]:
    """An inbox whose human replies per send fell to under half its own baseline (two queries)."""
    recent_days, baseline_days = settings.REX_MONITORING_REPLY_RECENT_DAYS, settings.REX_MONITORING_REPLY_BASELINE_DAYS
    split = now - timedelta(days=recent_days)
    start = split - timedelta(days=baseline_days)
    replies = {row["inbox_id"]: row for row in InboundMessage.objects.filter(
        inbox__isnull=False, received_at__gte=start, category__in=HUMAN_CATEGORIES).values("inbox_id").annotate(
        recent=Count("id", filter=Q(received_at__gte=split)), before=Count("id", filter=Q(received_at__lt=split)))
        .filter(before__gt=0).order_by()}
    if not replies:
        return []  # no inbox has a baseline of replies to fall from
    minimum = settings.REX_MONITORING_MIN_SENDS
    sends = _sends_per_period(split, start, recent__gte=minimum, before__gte=minimum)
    findings = []
    for inbox_id, sent in sends.items():
        recent_sent, before_sent = sent["recent"], sent["before"]
        got = replies.get(inbox_id)
        if got is None:
            continue
        baseline = got["before"] / before_sent
        upper = rules.wilson(got["recent"], recent_sent).high
        if upper >= baseline * settings.REX_MONITORING_REPLY_DROP_FACTOR:
            continue
        findings.append(_inbox_warning(
            Kind.REPLY_RATE_DROP, inbox_id, sent,
            (f"reply rate {rules.percent(got['recent'] / recent_sent)} ({got['recent']} of {recent_sent} sent "
                    f"in {recent_days} days) on {sent['inbox__address']}, at most {rules.percent(upper)} at 95 %, "
                    f"against its own {rules.percent(baseline)} ({got['before']} of {before_sent}) in the "
                    f"{baseline_days} days before"),
            {"replies": got["recent"], "sent": recent_sent, "upper_bound": round(upper, 5),
             "baseline_rate": round(baseline, 5)}))
    return findings


def deferral_findings(now: datetime) -> list[Finding]:
    """An inbox whose temporary (4xx) refusals of the last day jump against the week before (two queries)."""
    day_ago, week_before = now - timedelta(days=1), now - timedelta(days=8)
    deferred = {row["inbox_id"]: row for row in BounceRecord.objects.filter(
        inbox__isnull=False, status__startswith="4", at__gte=week_before).values("inbox_id").annotate(
        recent=Count("id", filter=Q(at__gte=day_ago)), before=Count("id", filter=Q(at__lt=day_ago))).order_by()}
    if not deferred:
        return []
    sends = _sends_per_period(day_ago, week_before, inbox_id__in=list(deferred),
                              recent__gte=settings.REX_MONITORING_MIN_SENDS)
    findings = []
    for inbox_id, counts in deferred.items():
        sent = sends.get(inbox_id)
        if sent is None:
            continue
        recent_sent, before_sent = sent["recent"], sent["before"]
        baseline = counts["before"] / before_sent if before_sent else 0.0
        low = rules.wilson(counts["recent"], recent_sent).low
        floor = max(settings.REX_MONITORING_DEFERRAL_FLOOR, baseline * settings.REX_MONITORING_SPIKE_FACTOR)
        if low < floor:
            continue
        findings.append(_inbox_warning(
            Kind.DEFERRAL_SPIKE, inbox_id, sent,
            (f"{counts['recent']} deferrals (4xx) of {recent_sent} sent in the last day on "
                    f"{sent['inbox__address']} ({rules.percent(counts['recent'] / recent_sent)}, at least "
                    f"{rules.percent(low)} at 95 %), against {rules.percent(baseline)} the week before"),
            {"deferrals": counts["recent"], "sent": recent_sent, "lower_bound": round(low, 5),
             "baseline_rate": round(baseline, 5)}))
    return findings


def agent_findings(now: datetime) -> list[Finding]:
    """Per organization and agent: the last hour's failure rate and mean duration against the week before."""
    hour_ago, week_before = now - timedelta(hours=1), now - timedelta(days=7, hours=1)
    recent, before = Q(created_at__gte=hour_ago), Q(created_at__lt=hour_ago)
    failed = Q(payload__outcome="failed")
    rows = (AgentLog.objects.filter(action="run", created_at__gte=week_before)
            .values("organization_id", "agent").annotate(
                runs=Count("id", filter=recent), failures=Count("id", filter=recent & failed),
                mean_ms=Avg("duration_ms", filter=recent),
                base_runs=Count("id", filter=before), base_failures=Count("id", filter=before & failed),
                base_mean_ms=Avg("duration_ms", filter=before), base_sd_ms=StdDev("duration_ms", filter=before))
            .order_by())
    findings = []
    minimum = settings.REX_MONITORING_MIN_RUNS
    for row in rows:
        if row["runs"] < minimum:
            continue
        name, key = row["agent"], f"agent:{row['agent']}"
        baseline = row["base_failures"] / row["base_runs"] if row["base_runs"] else 0.0
        low = rules.wilson(row["failures"], row["runs"]).low
        if low >= max(settings.REX_MONITORING_AGENT_FAILURE_FLOOR, baseline * 2):
            findings.append(Finding(
                organization_id=row["organization_id"], kind=Kind.AGENT_FAILURE_RATE,
                severity=Severity.CRITICAL if low >= 0.5 else Severity.WARNING, subject_type="agent",
                subject_key=key, subject=name,
                reason=(f"agent {name}: {row['failures']} of {row['runs']} runs failed in the last hour "
                        f"({rules.percent(row['failures'] / row['runs'])}, at least {rules.percent(low)} at 95 %), "
                        f"against {rules.percent(baseline)} over the week before"),
                figures={"failures": row["failures"], "runs": row["runs"], "lower_bound": round(low, 5),
                         "baseline_rate": round(baseline, 5)}))
        if row["base_runs"] >= minimum and row["base_mean_ms"] and rules.mean_is_higher(
                row["mean_ms"] or 0.0, row["runs"], baseline_mean=row["base_mean_ms"],
                baseline_sd=row["base_sd_ms"] or 0.0, factor=settings.REX_MONITORING_DURATION_FACTOR):
            findings.append(Finding(
                organization_id=row["organization_id"], kind=Kind.AGENT_DURATION, severity=Severity.WARNING,
                subject_type="agent", subject_key=key, subject=name,
                reason=(f"agent {name}: mean run {row['mean_ms'] / 1000:.1f} s over {row['runs']} runs in the last "
                        f"hour, against {row['base_mean_ms'] / 1000:.1f} s (sd {(row['base_sd_ms'] or 0) / 1000:.1f} s) "
                        "over the week before"),
                figures={"mean_ms": round(row["mean_ms"]), "runs": row["runs"],
                         "baseline_mean_ms": round(row["base_mean_ms"]),
                         "baseline_sd_ms": round(row["base_sd_ms"] or 0)}))
    return findings


def queue_findings(now: datetime) -> list[Finding]:
    """Per organization: how long its oldest queued mission has waited since it was (last) sent to a worker."""
    findings = []
    for row in (Mission.objects.filter(status=MissionStatus.QUEUED, dispatched_at__isnull=False)
                .values("organization_id").annotate(oldest=Min("dispatched_at")).order_by()):
        age = (now - row["oldest"]).total_seconds()
        if age >= settings.REX_MONITORING_QUEUE_AGE_CRITICAL_SECONDS:
            severity = Severity.CRITICAL
        elif age >= settings.REX_MONITORING_QUEUE_AGE_WARN_SECONDS:
            severity = Severity.WARNING
        else:
            continue
        findings.append(Finding(
            organization_id=row["organization_id"], kind=Kind.QUEUE_AGE, severity=severity, subject_type="queue",
            subject_key="queue", subject="mission queue",
            reason=f"the oldest queued mission has waited {math.floor(age / 60)} min {round(age % 60)} s for a worker",
            figures={"oldest_seconds": round(age)}))
    return findings


def run_pass(now: datetime | None = None) -> dict[str, Any]:
    """Find, record and resolve; returns how many findings and incidents of each outcome."""
    now = now or timezone.now()
    findings = (sending_findings(now) + reply_findings(now) + deferral_findings(now) + agent_findings(now)
                + queue_findings(now))
    unresolved = {(i.organization_id, i.kind, i.subject_key): i
                  for i in Incident.objects.filter(status__in=UNRESOLVED, kind__in=DETECTED_KINDS)}
    report: dict[str, int] = defaultdict(int)
    report["findings"] = len(findings)
    seen = set()
    for finding in findings:
        key = (finding.organization_id, finding.kind, finding.subject_key)
        seen.add(key)
        _, outcome = record_finding(finding, now=now, unresolved=unresolved.get(key))
        report[outcome] += 1
    recovery = timedelta(hours=settings.REX_MONITORING_RECOVERY_HOURS)
    for key, incident in unresolved.items():
        if key in seen or (incident.is_reputation and now - incident.last_seen_at < recovery):
            continue
        if resolve(incident, resolution="recovered: no longer found by the anomaly pass"):
            report["resolved"] += 1
    return dict(report)
