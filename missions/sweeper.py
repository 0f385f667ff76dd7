"""The beat sweeper: rescues missions the normal path lost (a dead worker, a lost message, an answer that never came).

Run on the control queue every ``REX_SWEEP_INTERVAL_SECONDS``; safe to run concurrently (every rescue is a
conditional update, so of two sweepers only one acts).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from missions.dispatch import send_mission, send_missions
from missions.models import Mission, MissionStatus

logger = logging.getLogger(__name__)

# How many missions one sweep looks at per category; the next sweep takes the rest.
SWEEP_BATCH = 500
# Re-dispatch of a still-queued mission backs off (30 s, 60 s, 120 s …, at most this) so a long backlog does not
# pile duplicate messages onto the queue; a duplicate is harmless (the claim refuses it) but costs work.
MAX_REDISPATCH_BACKOFF = timedelta(minutes=15)


def sweep(now=None) -> dict[str, int]:
    """Rescue missions the normal path lost. Run by beat every few seconds; safe to run concurrently.

    - running with a lapsed lease (the worker died): back to queued, or failed if it was the last attempt;
    - queued and not dispatched for a while (message lost, broker down at intake): sent again, with backoff;
    - retrying whose retry is well overdue (the delayed message was lost with its worker): sent now;
    - waiting past its deadline (the outside answer never came): a recoverable failure, retried or failed.
    """
    now = now or timezone.now()
    counts = {"requeued_lost": 0, "redispatched": 0, "retries_resent": 0, "waits_expired": 0}

    for mission in Mission.objects.filter(status=MissionStatus.RUNNING, lease_expires_at__lt=now)[:SWEEP_BATCH]:
        with transaction.atomic():
            if mission.requeue_lost():  # a mission put back to queued sends itself after commit
                counts["requeued_lost"] += 1

    grace = timedelta(seconds=settings.REX_REDISPATCH_AFTER_SECONDS)
    stale_queued = Mission.objects.filter(status=MissionStatus.QUEUED).filter(
        Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=now - grace)
    ).only("id", "priority", "dispatched_at", "dispatch_count")[:SWEEP_BATCH]
    resend: dict[str, list[str]] = {}
    for mission in stale_queued:
        backoff = min(grace * (2 ** max(mission.dispatch_count - 1, 0)), MAX_REDISPATCH_BACKOFF)
        if mission.dispatched_at and mission.dispatched_at > now - backoff:
            continue
        # Conditional: if two sweepers race, only one re-sends.
        if Mission.objects.filter(pk=mission.pk, status=MissionStatus.QUEUED,
                                  dispatched_at=mission.dispatched_at).update(
                dispatched_at=now, dispatch_count=F("dispatch_count") + 1):
            resend.setdefault(mission.priority, []).append(str(mission.id))
    # A backlog left by a broker outage goes out in chunks, like the missions of one command.
    for priority, ids in resend.items():
        counts["redispatched"] += send_missions(ids, priority)

    overdue = Mission.objects.filter(status=MissionStatus.RETRYING, next_attempt_at__lt=now - grace,
                                     dispatched_at__lt=now - grace).only("id", "priority", "dispatched_at")
    for mission in overdue[:SWEEP_BATCH]:
        if Mission.objects.filter(pk=mission.pk, status=MissionStatus.RETRYING,
                                  dispatched_at=mission.dispatched_at).update(dispatched_at=now):
            if send_mission(str(mission.id), mission.priority):
                counts["retries_resent"] += 1
    for mission in Mission.objects.filter(status=MissionStatus.WAITING, next_attempt_at__lt=now)[:SWEEP_BATCH]:
        if mission.expire_wait():
            counts["waits_expired"] += 1

    if any(counts.values()):
        logger.info("sweep: %s", counts)
    return counts
