"""Celery tasks of the replies app: the IMAP poll.

Beat sends ``replies.poll_inboxes`` (entry "poll-inboxes", every ``REX_IMAP_POLL_SECONDS``, queue rex.control),
which only lists the inboxes with an IMAP host and queues one ``replies.poll_inbox`` per inbox on missions.low:
a slow or unreachable IMAP server then holds one low-priority worker slot for at most its timeout, never the
control queue that rescues stuck missions. ``replies.imap.poll_inbox`` holds a cache lock per inbox, so a poll
queued while the previous one of the same inbox still runs returns at once.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from inboxes.models import Inbox
from replies import pipeline
from replies.imap import PollError, poll_inbox
from replies.models import InboundMessage
from rex_project.celery import MISSION_QUEUES
from rex_project.celery import app as celery_app

logger = logging.getLogger(__name__)

POLL_INBOX_TASK = "replies.poll_inbox"
POLL_QUEUE = MISSION_QUEUES["low"]


@shared_task(name="replies.poll_inboxes", ignore_result=True)
def poll_inboxes() -> int:
    """Queue one poll per inbox with an IMAP host; returns how many were queued."""
    ids = list(Inbox.objects.exclude(imap_host="").order_by("pk").values_list("pk", flat=True))
    for inbox_id in ids:
        # Expires with the next round: a backlog of polls is never worth working through, the next one reads all.
        celery_app.send_task(POLL_INBOX_TASK, args=[inbox_id], queue=POLL_QUEUE,
                             expires=max(settings.REX_IMAP_POLL_SECONDS, 2))
    return len(ids)


@shared_task(name=POLL_INBOX_TASK, ignore_result=True)
def poll_inbox_task(inbox_id: int) -> dict[str, Any] | None:
    """Poll one inbox; its report as a dict (``error`` set when it failed), or None when the inbox is gone."""
    inbox = Inbox.objects.filter(pk=inbox_id).select_related("organization").first()
    if inbox is None:
        return None
    try:
        report = poll_inbox(inbox)
    except PollError as exc:
        # Recorded on the inbox's cursor; no retry here, the next beat round tries again.
        logger.warning("IMAP poll failed: %s", exc.message)
        return exc.report.as_dict()
    if report.stored or any(folder.reread for folder in report.folders):
        logger.info("IMAP poll: %s", report.summary())
    # New messages were handed to the pipeline after their batch committed; this also picks up any a crash left
    # stored but not acted on.
    leftovers = unprocessed_messages(inbox)
    if leftovers:
        pipeline.process(leftovers)
    return report.as_dict()


def unprocessed_messages(inbox: Inbox) -> list[int]:
    """Messages of the inbox stored more than a minute ago and never acted on (their handler did not finish)."""
    stale = timezone.now() - timedelta(minutes=1)
    return list(InboundMessage.objects.filter(inbox=inbox, acted_at__isnull=True, received_at__lt=stale)
                .order_by("pk").values_list("pk", flat=True)[:500])
