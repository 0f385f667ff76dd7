"""What happens to incidents: opened (deduplicated while unresolved), escalated, acknowledged, resolved.

Every change is one transaction that also takes the protective action (a critical reputation incident pauses its
inbox, or every inbox of its domain) and, after commit, tells people: the live frame on the ``monitoring`` stream
(the banner on every page, the incidents page), the email to the organization's ops address and the signed
webhook (``monitoring.alerts``). Views and the anomaly pass call only these functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core.statemachine import IllegalTransition
from inboxes.models import Inbox
from inboxes.models import Incident as SendingIncident
from live.publish import publish
from monitoring import alerts
from monitoring.models import INCIDENT_STATES, UNRESOLVED, Incident, IncidentStatus, Severity
from tenants.models import Organization

STREAM = "monitoring"
STREAM_DESCRIPTION = "incidents opened, escalated, acknowledged and resolved (the banner, the incidents page)"

SEVERITY_ORDER = {Severity.WARNING: 1, Severity.CRITICAL: 2}


@dataclass(frozen=True)
class Finding:
    """One subject out of bounds, as a detector saw it."""

    organization_id: int
    kind: str
    severity: str
    subject_type: str
    subject_key: str
    subject: str
    reason: str
    figures: dict[str, Any] = field(default_factory=dict)
    # What a critical reputation finding pauses: the inbox itself, or (a domain's finding) every inbox of the domain.
    inbox_ids: tuple[int, ...] = ()
    domain_id: int | None = None


def _changed(incident: Incident, event: str) -> None:
    """Tell the pages now (after commit) and the people through the alert channels."""
    publish(incident.organization_id, STREAM, {"type": f"incident.{event}", "incident": incident.as_frame()})
    if event in ("opened", "escalated"):
        alerts.notify(incident, f"incident.{event}")


def _pause(incident: Incident, finding: Finding) -> None:
    """The protective action: stop the inboxes sending until a person resumes them or the subject recovers."""
    reason = f"incident M{incident.pk}: {incident.reason}"[:200]
    which = Q(domain_id=finding.domain_id) if finding.subject_type == "domain" else Q(pk__in=finding.inbox_ids)
    paused = [inbox.pk for inbox in Inbox.objects.filter(which).order_by("pk") if inbox.pause_sending(reason)]
    if paused:
        incident.paused_inbox_ids = sorted(set(incident.paused_inbox_ids) | set(paused))
        Incident.objects.filter(pk=incident.pk).update(paused_inbox_ids=incident.paused_inbox_ids)


def record_finding(finding: Finding, *, now: datetime | None = None,
                   unresolved: Incident | None = None) -> tuple[Incident, str]:
    """Open an incident for ``finding``, or refresh the unresolved one of its subject (escalating its severity).

    Returns the incident and what happened: "opened", "escalated" or "seen". ``unresolved`` is the subject's
    unresolved incident when the caller already read it (the anomaly pass reads them all in one query).
    """
    now = now or timezone.now()
    with transaction.atomic():
        incident = unresolved or Incident.objects.filter(
            organization_id=finding.organization_id, kind=finding.kind, subject_key=finding.subject_key,
            status__in=UNRESOLVED).first()
        if incident is None:
            try:
                with transaction.atomic():
                    incident = Incident.objects.create(
                        organization_id=finding.organization_id, kind=finding.kind, severity=finding.severity,
                        subject_type=finding.subject_type, subject_key=finding.subject_key, subject=finding.subject,
                        reason=finding.reason[:500], figures=finding.figures, opened_at=now, last_seen_at=now)
            except IntegrityError:
                # A concurrent pass opened it first: it is the one (deduplicated by the partial unique constraint).
                incident = Incident.objects.get(organization_id=finding.organization_id, kind=finding.kind,
                                                subject_key=finding.subject_key, status__in=UNRESOLVED)
            else:
                if incident.is_reputation and finding.severity == Severity.CRITICAL:
                    _pause(incident, finding)
                _changed(incident, "opened")
                return incident, "opened"
        escalated = SEVERITY_ORDER[finding.severity] > SEVERITY_ORDER[Severity(incident.severity)]
        updates: dict[str, Any] = {"last_seen_at": now, "reason": finding.reason[:500], "figures": finding.figures}
        if escalated:
            updates["severity"] = finding.severity
        Incident.objects.filter(pk=incident.pk).update(**updates)
        for name, value in updates.items():
            setattr(incident, name, value)
        if escalated:
            if incident.is_reputation and finding.severity == Severity.CRITICAL:
                _pause(incident, finding)
            _changed(incident, "escalated")
            return incident, "escalated"
    return incident, "seen"


def acknowledge(incident: Incident, *, by: Any) -> bool:
    """A person has seen it: the banner stops asking. False when it was no longer open."""
    with transaction.atomic():
        moved = INCIDENT_STATES.move(incident, IncidentStatus.ACKNOWLEDGED,
                                     updates={"acknowledged_at": timezone.now(), "acknowledged_by": by})
        if moved:
            _changed(incident, "acknowledged")
    return moved


def resolve(incident: Incident, *, by: Any = None, resolution: str = "") -> bool:
    """Close it (a person, or the pass once the subject recovered) and resume the inboxes it paused.

    False when it was already resolved. Inboxes paused for another reason since (their pause reason names another
    incident or a person) are left paused.
    """
    if incident.status == IncidentStatus.RESOLVED:
        return False
    with transaction.atomic():
        try:
            moved = INCIDENT_STATES.move(incident, IncidentStatus.RESOLVED, updates={
                "resolved_at": timezone.now(), "resolved_by": by,
                "resolution": (resolution or (f"resolved by {by}" if by else "recovered"))[:200]})
        except IllegalTransition:
            return False
        if not moved:
            return False
        marker = f"incident M{incident.pk}:"
        for inbox in Inbox.objects.filter(pk__in=incident.paused_inbox_ids, status=Inbox.Status.PAUSED,
                                          pause_reason__startswith=marker):
            inbox.resume_sending()
        sending_incident_id = incident.figures.get("sending_incident_id")
        if sending_incident_id:
            SendingIncident.objects.filter(pk=sending_incident_id, closed_at__isnull=True).update(
                closed_at=timezone.now())
        _changed(incident, "resolved")
    return True


def unresolved_for(organization: Organization | None) -> list[Incident]:
    """The organization's open and acknowledged incidents, worst first (the banner, the incidents page)."""
    if organization is None:
        return []
    return sorted(Incident.objects.filter(organization=organization, status__in=UNRESOLVED),
                  key=lambda i: (-SEVERITY_ORDER[Severity(i.severity)], i.status != IncidentStatus.OPEN,
                                 -i.opened_at.timestamp()))
