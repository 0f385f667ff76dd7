"""The pass resolves an incident it no longer finds: one that paused nothing at once, a reputation incident (which
paused sending) only once its subject has stayed clean for REX_MONITORING_RECOVERY_HOURS, and then it resumes the
inboxes it paused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from inboxes.models import SENDING_STATUSES, Inbox, InboxDay
from monitoring.detection import run_pass
from monitoring.models import Incident

pytestmark = pytest.mark.django_db


def test_a_paused_domain_resumes_by_itself_only_after_the_recovery_period(make_inbox, sent_today, settings):
    settings.REX_MONITORING_RECOVERY_HOURS = 24
    inbox = make_inbox()
    sent_today(inbox, 300, bounces=30)
    now = timezone.now()
    run_pass(now)
    InboxDay.objects.all().delete()  # the bad days left the window

    assert "resolved" not in run_pass(now + timedelta(hours=23))
    inbox.refresh_from_db()
    assert inbox.status == Inbox.Status.PAUSED

    assert run_pass(now + timedelta(hours=25))["resolved"] == 1
    incident = Incident.objects.get()
    assert incident.status == "resolved" and incident.resolution.startswith("recovered")
    inbox.refresh_from_db()
    assert inbox.status in SENDING_STATUSES  # warming again up to its cap, as any resumed inbox
