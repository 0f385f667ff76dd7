"""Celery tasks of the inboxes app: the daily warmup tick (beat entry "warmup-tick", queue rex.control).

The tick came from the domains app with the warmup engine (``inboxes.warmup``) and keeps the task name it had
there, ``domains.warmup_tick``: the beat schedule in ``rex_project/settings.py`` sends it by that name, and so do
beat processes and queued messages of deployments running the previous release.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError

from inboxes import warmup

logger = logging.getLogger(__name__)

# Held while a tick runs, so that a duplicate delivery (beat restarted, a message redelivered, an operator's
# manual run) skips at once instead of holding a worker while it waits for the database lock that ``tick()``
# itself takes. It expires after the task's hard time limit, so a worker killed mid-tick cannot block tomorrow's.
# The key keeps its old "domains:" name so that a worker of the previous release, during a deploy, sees it too.
TICK_LOCK_KEY = "domains:warmup-tick:running"


def _lock_timeout() -> int:
    return int(settings.CELERY_TASK_TIME_LIMIT) + 60


# The name is not "inboxes.warmup_tick" on purpose: see the module docstring. Do not rename it without renaming
# the beat entry's task and draining the queues of the old name first.
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
