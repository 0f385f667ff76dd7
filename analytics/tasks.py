"""Celery task of the analytics app: the rollup beat runs (entry "analytics-rollup", queue rex.control).

Each run recomputes the last ``REX_ANALYTICS_ROLLUP_DAYS`` days (UTC) of every organization: today's figures
grow all day, and bounces, replies and corrections of yesterday's sends keep arriving after midnight. The
rollup is idempotent, so overlapping runs and a redelivered message are harmless; a cache lock still keeps a
second run from doing the same work at the same time.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from analytics.rollup import recent_days, rollup_days
from tenants.models import Organization

LOCK = "analytics:rollup"


@shared_task(name="analytics.rollup_recent", ignore_result=True)
def rollup_recent() -> int:
    """Roll up the recent days of every organization; returns how many (organization, day) slices changed."""
    if not cache.add(LOCK, "1", timeout=max(settings.REX_ANALYTICS_ROLLUP_SECONDS * 5, 60)):
        return 0
    try:
        days = recent_days(timezone.now().date(), settings.REX_ANALYTICS_ROLLUP_DAYS)
        return sum(rollup_days(organization_id, days)
                   for organization_id in Organization.objects.order_by("pk").values_list("pk", flat=True))
    finally:
        cache.delete(LOCK)
