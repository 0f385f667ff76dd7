"""Sending mission tasks to Celery, only ever after the mission's transaction commits.

If the broker is unreachable at that moment the mission simply stays ``queued`` with its ``dispatched_at``;
the beat sweeper (``sweep``) sends it again later, so an outage at intake loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from live.outbox import register_batch_sender
from live.publish import add_to_batch, after_commit
from rex_project.celery import MISSION_QUEUES

if TYPE_CHECKING:
    from missions.models import Mission

logger = logging.getLogger(__name__)

# How many missions one sweep looks at per category; the next sweep takes the rest.
SWEEP_BATCH = 500
# Re-dispatch of a still-queued mission backs off (30 s, 60 s, 120 s …, at most this) so a long backlog does not
# pile duplicate messages onto the queue; a duplicate is harmless (the claim refuses it) but costs work.
MAX_REDISPATCH_BACKOFF = timedelta(minutes=15)


def queue_for(priority: str) -> str:
    return MISSION_QUEUES.get(priority, MISSION_QUEUES["normal"])


def send_mission(mission_id: str, priority: str, countdown: float | None = None) -> bool:
    """Publish the run task now. Returns False (and logs) when the broker cannot take it."""
    from missions.tasks import run_mission

    try:
        run_mission.apply_async(args=[mission_id], queue=queue_for(priority), countdown=countdown)
    except Exception:
        logger.warning("broker unreachable; mission %s stays queued for the sweeper", mission_id, exc_info=True)
        return False
    return True


def send_missions(mission_ids: list[str], priority: str) -> int:
    """Publish missions committed together: one ``run_batch`` message per chunk, ``run_mission`` for a lone one.

    Returns how many missions went out; the missions of a chunk the broker refused stay queued, and the sweeper
    sends them again.
    """
    from missions.tasks import run_batch

    size = max(settings.REX_DISPATCH_BATCH_SIZE, 1)
    sent = 0
    for start in range(0, len(mission_ids), size):
        chunk = mission_ids[start:start + size]
        if len(chunk) == 1:
            sent += send_mission(chunk[0], priority)
            continue
        try:
            run_batch.apply_async(args=[chunk], queue=queue_for(priority))
        except Exception:
            logger.warning("broker unreachable; %d missions stay queued for the sweeper", len(chunk), exc_info=True)
            continue
        sent += len(chunk)
    return sent


# The live outbox's batch sender for missions to run now: a transaction's missions of one priority go out in
# chunks (``send_missions``) once it commits.
RUN_BATCH = "missions.run"


def _send_batch(priority: Hashable, mission_ids: list[Any]) -> None:
    send_missions([str(mission_id) for mission_id in mission_ids], str(priority))


register_batch_sender(RUN_BATCH, _send_batch)


def dispatch_on_commit(mission: Mission, countdown: float | None = None) -> None:
    """Send the mission to a worker once the current transaction commits (at once outside a transaction).

    Missions of one transaction travel together (``live.outbox``); a delayed send (a retry's countdown) is one
    message of its own.
    """
    mission_id, priority = str(mission.id), mission.priority
    if countdown:
        after_commit(lambda: send_mission(mission_id, priority, countdown))
    else:
        add_to_batch(RUN_BATCH, priority, mission_id)


def sweep(now=None) -> dict[str, int]:
    """Rescue missions the normal path lost. Run by beat every few seconds; safe to run concurrently.

    - running with a lapsed lease (the worker died): back to queued, or failed if it was the last attempt;
    - queued and not dispatched for a while (message lost, broker down at intake): sent again, with backoff;
    - retrying whose retry is well overdue (the delayed message was lost with its worker): sent now;
    - waiting past its deadline (the outside answer never came): a recoverable failure, retried or failed.
    """
    from missions.models import Mission, MissionStatus

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
