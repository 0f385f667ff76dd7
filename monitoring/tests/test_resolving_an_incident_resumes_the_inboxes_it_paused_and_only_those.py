"""A person resolving a reputation incident sends its paused inboxes again; an inbox of the domain that ops had
paused for a reason of their own before stays paused. A resolved incident cannot be resolved twice, and the next
finding on the subject opens a new incident."""

from __future__ import annotations

import pytest

from domains.tests.factories import add_inboxes
from inboxes.models import SENDING_STATUSES, Inbox
from monitoring import services
from monitoring.detection import run_pass
from monitoring.models import Incident

pytestmark = pytest.mark.django_db


def test_resolving_an_incident_resumes_the_inboxes_it_paused_and_only_those(make_inbox, sent_today, user):
    inbox = make_inbox()
    [other] = add_inboxes(inbox.domain, local_part="other")
    [held] = add_inboxes(inbox.domain, local_part="held")
    held.pause_sending("ops: DNS moving")
    sent_today(inbox, 300, bounces=30)
    run_pass()
    incident = Incident.objects.get()
    assert sorted(incident.paused_inbox_ids) == sorted([inbox.pk, other.pk])

    assert services.resolve(incident, by=user)
    assert not services.resolve(incident, by=user)

    statuses = dict(Inbox.objects.values_list("address", "status"))
    assert statuses[inbox.address] in SENDING_STATUSES and statuses[other.address] in SENDING_STATUSES
    assert statuses[held.address] == Inbox.Status.PAUSED
    incident.refresh_from_db()
    assert incident.status == "resolved" and incident.resolved_by == user

    assert run_pass()["opened"] == 1  # still bouncing: a new incident, the old one stays closed
    assert Incident.objects.filter(status="open").count() == 1
