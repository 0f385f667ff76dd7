"""A complaint rate surely over 0.1 % opens a warning and pauses nothing; passes that find it again keep that one
incident (its numbers updated); once the rate is surely over 0.3 % the same incident becomes critical and pauses
the inbox's domain."""

from __future__ import annotations

import pytest

from inboxes.models import Inbox
from monitoring.detection import run_pass
from monitoring.models import Incident

pytestmark = pytest.mark.django_db


def test_a_warning_incident_escalates_to_a_pause_and_is_never_opened_twice(make_inbox, sent_today):
    inbox = make_inbox()
    sent_today(inbox, 5000, complaints=12)  # 0.24 %: lower bound ~0.15 %

    assert run_pass()["opened"] == 1
    incident = Incident.objects.get()
    assert (incident.kind, incident.severity, incident.subject) == ("complaint_rate", "warning", inbox.domain.name)
    assert "complaint rate 0.24 % (12 of 5000 sent" in incident.reason and "0.10 % warning" in incident.reason
    inbox.refresh_from_db()
    assert inbox.status == Inbox.Status.ACTIVE

    sent_today(inbox, 5000, complaints=13)
    assert run_pass()["seen"] == 1
    assert Incident.objects.get().reason.startswith("complaint rate 0.26 % (13 of 5000")

    sent_today(inbox, 5000, complaints=30)  # 0.6 %: lower bound ~0.45 %
    assert run_pass()["escalated"] == 1
    incident = Incident.objects.get()
    assert incident.severity == "critical" and incident.paused_inbox_ids == [inbox.pk]
    inbox.refresh_from_db()
    assert inbox.status == Inbox.Status.PAUSED
