"""The sending app's own incident (a burst of infrastructure bounces pauses the domain at once, in record_bounce)
is also a general incident: on the banner and the incidents page, alerted; resolving it closes the sending
incident too."""

from __future__ import annotations

import pytest

from inboxes.bounces import record_bounce
from inboxes.models import BounceRecord
from inboxes.models import Incident as SendingIncident
from monitoring import services
from monitoring.models import Incident

pytestmark = pytest.mark.django_db


def test_a_burst_of_infrastructure_bounces_shows_as_an_incident_people_close(make_inbox, settings, user):
    settings.REX_INFRA_BOUNCES_TO_PAUSE = 2
    inbox = make_inbox()
    for _ in range(2):
        record_bounce(inbox.organization, klass=BounceRecord.Class.INFRASTRUCTURE, recipient="a@gmail.example",
                      status="5.7.26", reason="DMARC failure", inbox=inbox, source="test")

    incident = Incident.objects.get()
    assert (incident.kind, incident.severity, incident.subject) == ("sender_refused", "critical", inbox.domain.name)
    assert incident.reason.startswith(f"2 infrastructure bounces within an hour on {inbox.domain.name}: DMARC failure")

    assert services.resolve(incident, by=user)
    assert SendingIncident.objects.get().closed_at is not None
