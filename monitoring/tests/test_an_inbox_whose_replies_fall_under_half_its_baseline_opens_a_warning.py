"""Reply rate against the inbox's own baseline: 40 human replies to 1 000 sends in the four weeks before, then 2 to
500 this week (surely under half of 4 %) opens a warning on the inbox; machine mail (auto-replies, bounces) does
not count as replies, and an inbox without a baseline is not judged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from monitoring.detection import run_pass
from monitoring.models import Incident
from replies.models import InboundMessage

pytestmark = pytest.mark.django_db


def replies(inbox, count: int, *, days_ago: int, category: str = "interested") -> None:
    at = timezone.now() - timedelta(days=days_ago)
    InboundMessage.objects.bulk_create(
        InboundMessage(organization=inbox.organization, inbox=inbox, raw=b"", received_at=at, category=category)
        for _ in range(count))


def test_an_inbox_whose_replies_fall_under_half_its_baseline_opens_a_warning(make_inbox, sent_today):
    inbox, newcomer = make_inbox(), make_inbox()
    today = timezone.now().date()
    sent_today(inbox, 1000, day=today - timedelta(days=14))
    sent_today(inbox, 500, day=today)
    replies(inbox, 40, days_ago=14)
    replies(inbox, 2, days_ago=1)
    replies(inbox, 30, days_ago=1, category="auto_reply")
    sent_today(newcomer, 500)

    assert run_pass()["opened"] == 1
    incident = Incident.objects.get()
    assert (incident.kind, incident.subject, incident.severity) == ("reply_rate_drop", inbox.address, "warning")
    assert incident.reason.startswith(f"reply rate 0.40 % (2 of 500 sent in 7 days) on {inbox.address}")
    assert "against its own 4.0 % (40 of 1000)" in incident.reason
