"""Celery task of the meetings app: deliver a changed meeting (``meetings.delivery``) after its commit.

A calendar or mail server that cannot be reached is retried with backoff (the delivery is idempotent); a
permanent refusal is recorded on the meeting (``delivery_error``) for a person to see.
"""

from __future__ import annotations

import logging

from celery import shared_task

from inboxes.caps import CapReached
from inboxes.transports import TransportError
from meetings import delivery
from meetings.calendars import CalendarUnavailable
from meetings.models import Meeting

logger = logging.getLogger(__name__)
RETRY_DELAYS = (5, 30, 120, 600, 1800)


@shared_task(name="meetings.deliver", bind=True, ignore_result=True, max_retries=len(RETRY_DELAYS))
def deliver(self, meeting_id: int) -> str:
    try:
        done = delivery.deliver(meeting_id)
    except (CalendarUnavailable, CapReached) as exc:
        return _retry_or_record(self, meeting_id, str(exc))
    except TransportError as exc:
        if exc.recoverable:
            return _retry_or_record(self, meeting_id, exc.message)
        Meeting.objects.filter(pk=meeting_id).update(delivery_error=exc.message[:500])
        raise
    Meeting.objects.filter(pk=meeting_id).exclude(delivery_error="").update(delivery_error="")
    logger.info("meeting %s: %s", meeting_id, done)
    return done


def _retry_or_record(task, meeting_id: int, error: str) -> str:
    Meeting.objects.filter(pk=meeting_id).update(delivery_error=error[:500])
    retries = task.request.retries
    if retries >= len(RETRY_DELAYS):
        logger.error("meeting %s could not be delivered: %s", meeting_id, error)
        return f"gave up: {error}"
    raise task.retry(countdown=RETRY_DELAYS[retries])
