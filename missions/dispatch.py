"""Sending mission tasks to Celery, only ever after the mission's transaction commits.

If the broker is unreachable at that moment the mission simply stays ``queued`` with its ``dispatched_at``;
the beat sweeper (``missions.sweeper``) sends it again later, so an outage at intake loses nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable
from typing import TYPE_CHECKING, Any

from django.conf import settings

from live.outbox import register_batch_sender
from live.publish import add_to_batch, after_commit
from rex_project.celery import MISSION_QUEUES
from rex_project.celery import app as celery_app

if TYPE_CHECKING:
    from missions.models import Mission

logger = logging.getLogger(__name__)



# The tasks are sent by name (``missions.tasks`` defines them): the tasks import the runner, which imports the
# models, which dispatch through here; a name keeps that a line, not a circle.
RUN_MISSION = "missions.run_mission"
RUN_BATCH_TASK = "missions.run_batch"


def queue_for(priority: str) -> str:
    return MISSION_QUEUES.get(priority, MISSION_QUEUES["normal"])


def send_mission(mission_id: str, priority: str, countdown: float | None = None) -> bool:
    """Publish the run task now. Returns False (and logs) when the broker cannot take it."""
    try:
        celery_app.send_task(RUN_MISSION, args=[mission_id], queue=queue_for(priority), countdown=countdown)
    except Exception:
        logger.warning("broker unreachable; mission %s stays queued for the sweeper", mission_id, exc_info=True)
        return False
    return True


def send_missions(mission_ids: list[str], priority: str, chunk_size: int | None = None) -> int:
    """Publish missions committed together: one ``run_batch`` message per chunk, ``run_mission`` for a lone one.

    Chunks hold ``chunk_size`` missions (``REX_DISPATCH_BATCH_SIZE`` unless given: a worker passing on what it
    could not start sends pieces it expects to fit a worker's budget). Returns how many missions went out; the
    missions of a chunk the broker refused stay queued, and the sweeper sends them again.
    """
    size = max(chunk_size or settings.REX_DISPATCH_BATCH_SIZE, 1)
    sent = 0
    for start in range(0, len(mission_ids), size):
        chunk = mission_ids[start:start + size]
        if len(chunk) == 1:
            sent += send_mission(chunk[0], priority)
            continue
        try:
            celery_app.send_task(RUN_BATCH_TASK, args=[chunk], queue=queue_for(priority))
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
