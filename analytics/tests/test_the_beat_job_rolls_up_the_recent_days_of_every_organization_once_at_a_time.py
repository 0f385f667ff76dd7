"""Beat's "analytics-rollup" entry runs ``analytics.rollup_recent`` on the control queue: it recomputes the last
REX_ANALYTICS_ROLLUP_DAYS days (UTC) of every organization, and does nothing while another run holds its lock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from analytics.models import DailyStat
from analytics.tasks import LOCK, rollup_recent
from analytics.tests.factories import build_world, send
from rex_project.celery import app
from tenants.models import Organization

pytestmark = pytest.mark.django_db


def test_recent_days_of_every_organization(organization, settings):
    settings.REX_ANALYTICS_ROLLUP_DAYS = 2
    today = timezone.now().date()
    acme = build_world(organization)
    send(acme, 3, day=today)
    send(acme, 2, day=today - timedelta(days=1))
    send(acme, 7, day=today - timedelta(days=2))  # older than the window: left to the backfill command
    globex = Organization.objects.create(name="Globex", slug="globex")
    send(build_world(globex, client="Globex", slug="globex"), 4, day=today)

    cache.set(LOCK, "another worker", timeout=60)
    try:
        assert rollup_recent.apply().result == 0
        assert not DailyStat.objects.exists()
    finally:
        cache.delete(LOCK)

    assert rollup_recent.apply().result == 3
    assert sorted(DailyStat.objects.values_list("organization__slug", "day", "sent")) == [
        ("acme", today - timedelta(days=1), 2), ("acme", today, 3), ("globex", today, 4)]
    assert cache.get(LOCK) is None
    entry = app.conf.beat_schedule["analytics-rollup"]
    assert (entry["task"], entry["options"]["queue"]) == (rollup_recent.name, "rex.control")
