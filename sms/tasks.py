"""Celery tasks of the sms app: triaging an incoming text through the replies pipeline, off the webhook."""

from __future__ import annotations

from celery import shared_task

from replies import pipeline
from sms.inbound import PROCESS_TASK


@shared_task(name=PROCESS_TASK, ignore_result=True)
def process_inbound_text(message_ids: list[int]) -> int:
    # The pipeline acts on each message once (``acted_at``): a redelivered task does nothing again.
    return len(pipeline.process(message_ids))
