"""Celery tasks of the domains app: the daily warmup tick (beat entry "warmup-tick", queue rex.control)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError

from domains import warmup
from domains.provisioning import recheck_pending_dns

logger = logging.getLogger(__name__)

# Held while a tick runs, so that a duplicate delivery (beat restarted, a message redelivered, an operator's
# manual run) skips at once instead of holding a worker while it waits for the database lock that ``tick()``
# itself takes. It expires after the task's hard time limit, so a worker killed mid-tick cannot block tomorrow's.
TICK_LOCK_KEY = "domains:warmup-tick:running"


def _lock_timeout() -> int:
    return int(settings.CELERY_TASK_TIME_LIMIT) + 60


@shared_task(name="domains.warmup_tick", ignore_result=True, autoretry_for=(OperationalError,), max_retries=3,
             default_retry_delay=300, retry_jitter=False)
def warmup_tick() -> dict[str, Any] | None:
    """Run today's warmup tick; returns its report (as a dict) or None when another tick is already running."""
    token = uuid.uuid4().hex
    if not cache.add(TICK_LOCK_KEY, token, timeout=_lock_timeout()):
        logger.info("warmup tick skipped: another tick is running")
        return None
    try:
        report = warmup.tick()
    finally:
        # Only our own lock: after an expiry another tick may hold the key by now.
        if cache.get(TICK_LOCK_KEY) == token:
            cache.delete(TICK_LOCK_KEY)
    logger.info(report.summary())
    for line in report.details:
        logger.info("warmup: %s", line)
    return report.as_dict()


@shared_task(name="domains.recheck_dns", ignore_result=True)
def recheck_dns() -> dict[str, int]:
    """Check the DNS of domains still waiting in dns_pending and start the warmup of those that now pass.

    DNS changes take minutes to hours to propagate in the real world; a provisioning mission does not wait that
    long (it finishes with the domain in dns_pending), this job does.
    """
    report = recheck_pending_dns(limit=settings.REX_DNS_RECHECK_BATCH)
    if report["checked"]:
        logger.info("dns recheck: %(checked)d checked, %(passed)d passed, %(warming)d now warming, "
                    "%(unreachable)d resolver errors", report)
    return report
