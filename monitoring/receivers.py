"""Signal receivers: a sending incident (``inboxes.Incident``, a burst of infrastructure bounces that already paused
its domain's inboxes) becomes a general incident, so the banner, the incidents page and the alerts cover it."""

from __future__ import annotations

from typing import Any

from inboxes.models import Incident as SendingIncident
from monitoring.models import Kind, Severity
from monitoring.services import Finding, record_finding


def sending_incident_saved(sender: type, instance: SendingIncident, created: bool, **kwargs: Any) -> None:
    if not created or instance.domain_id is None:
        return
    domain = instance.domain
    paused = list(domain.inboxes.values_list("pk", flat=True))
    record_finding(Finding(
        organization_id=instance.organization_id, kind=Kind.SENDER_REFUSED, severity=Severity.CRITICAL,
        subject_type="domain", subject_key=f"domain:{domain.pk}", subject=domain.name,
        reason=f"{instance.bounces} infrastructure bounces within an hour on {domain.name}: {instance.reason}",
        figures={"sending_incident_id": instance.pk, "bounces": instance.bounces, "paused_inbox_ids": paused},
    ), now=instance.opened_at)
