"""Celery tasks of the campaigns app: the sequencer's tick (beat "sequencer-tick", control queue) and its sends.

Both are thin: ``campaigns.sequencer`` holds the logic. ``now`` travels as an ISO string so a send task decides
with the same clock as the tick that claimed its enrollments (and a test can drive the sequencer through time).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from celery import shared_task
from django.db import OperationalError

from campaigns import sequencer

logger = logging.getLogger(__name__)


def _when(now: str | None) -> datetime | None:
    return datetime.fromisoformat(now) if now else None


@shared_task(name="campaigns.sequencer_tick", ignore_result=True, autoretry_for=(OperationalError,), max_retries=2,
             default_retry_delay=10)
def sequencer_tick(now: str | None = None) -> dict[str, Any]:
    report = sequencer.tick(_when(now))
    if report.examined:
        logger.info("sequencer tick: %s", report.as_dict())
    return report.as_dict()


@shared_task(name=sequencer.SEND_TASK, ignore_result=True, autoretry_for=(OperationalError,), max_retries=3,
             default_retry_delay=30)
def send_sequence_emails(enrollment_ids: list[int], now: str | None = None) -> dict[str, int]:
    report = sequencer.send_claimed(enrollment_ids, _when(now))
    logger.info("sequence sends: %s", report.as_dict())
    return report.as_dict()
