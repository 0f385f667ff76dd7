"""The queue's health is the age of its oldest queued mission: over REX_MONITORING_QUEUE_AGE_WARN_SECONDS a warning,
over the critical age a critical incident (the same one, escalated); once nothing waits that long, the pass
resolves it (it paused nothing)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from missions.models import Mission, MissionStatus
from monitoring.detection import run_pass
from monitoring.models import Incident

pytestmark = pytest.mark.django_db


def test_the_oldest_queued_mission_opens_a_queue_incident_that_resolves_once_it_runs(organization, settings):
    settings.REX_MONITORING_QUEUE_AGE_WARN_SECONDS = 300
    settings.REX_MONITORING_QUEUE_AGE_CRITICAL_SECONDS = 1800
    now = timezone.now()
    Mission.objects.create(organization=organization, type="canary", idempotency_key="old",
                           dispatched_at=now - timedelta(minutes=7))
    Mission.objects.create(organization=organization, type="canary", idempotency_key="new", dispatched_at=now)

    assert run_pass(now)["opened"] == 1
    incident = Incident.objects.get()
    assert (incident.kind, incident.severity, incident.subject) == ("queue_age", "warning", "mission queue")
    assert incident.reason == "the oldest queued mission has waited 7 min 0 s for a worker"

    assert run_pass(now + timedelta(minutes=30))["escalated"] == 1

    Mission.objects.update(status=MissionStatus.RUNNING)  # workers took them
    assert run_pass(now + timedelta(minutes=31))["resolved"] == 1
    assert Incident.objects.get().status == "resolved"
