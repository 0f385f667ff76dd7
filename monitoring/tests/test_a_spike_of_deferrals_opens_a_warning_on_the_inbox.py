"""Deferrals are temporary (4xx) refusals: 30 of 300 sends in the last day, where the week before saw 2 of 1 400,
open a deferral-spike warning on the inbox; it pauses nothing (the receiver asks to slow down, not to stop)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from inboxes.models import BounceRecord, Inbox
from monitoring.detection import run_pass
from monitoring.models import Incident

pytestmark = pytest.mark.django_db


def deferrals(inbox, count: int, *, hours_ago: float) -> None:
    at = timezone.now() - timedelta(hours=hours_ago)
    BounceRecord.objects.bulk_create(
        BounceRecord(organization=inbox.organization, inbox=inbox, domain=inbox.domain, recipient="x@client.example",
                     klass=BounceRecord.Class.SOFT, status="4.7.0", reason="try again later", at=at)
        for _ in range(count))


def test_a_spike_of_deferrals_opens_a_warning_on_the_inbox(make_inbox, sent_today):
    inbox = make_inbox()
    today = timezone.now().date()
    sent_today(inbox, 1400, day=today - timedelta(days=3))
    sent_today(inbox, 300)
    deferrals(inbox, 2, hours_ago=72)
    deferrals(inbox, 30, hours_ago=2)

    assert run_pass()["opened"] == 1
    incident = Incident.objects.get()
    assert (incident.kind, incident.subject, incident.severity) == ("deferral_spike", inbox.address, "warning")
    assert incident.reason.startswith(f"30 deferrals (4xx) of 300 sent in the last day on {inbox.address}")
    inbox.refresh_from_db()
    assert inbox.status == Inbox.Status.ACTIVE
