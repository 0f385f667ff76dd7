"""The missions' figures for ``/metrics`` (``ops.metrics``): by type and status, and the queued ones per queue.

Read from the database at every scrape, so they are right whichever process changed the missions. Both queries
are aggregates over an index: by type and status over ``mission_type_status``, the queued ones through
``mission_status_dispatch`` (few rows, unless the workers are far behind).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.metrics_core import GaugeMetricFamily, Metric

from missions.dispatch import queue_for
from missions.models import Mission, MissionStatus
from rex_project.celery import MISSION_QUEUES


def mission_metrics() -> Iterable[Metric]:
    by_status = GaugeMetricFamily("rex_missions", "Missions in the database, by type and status.",
                                  labels=["type", "status"])
    for row in Mission.objects.order_by().values("type", "status").annotate(count=Count("*")):
        by_status.add_metric([row["type"], row["status"]], row["count"])
    yield by_status

    queued = GaugeMetricFamily("rex_queue_missions_queued", "Missions queued for a worker, by the queue of their "
                               "priority.", labels=["queue"])
    oldest = GaugeMetricFamily("rex_queue_oldest_queued_age_seconds", "How long the longest-queued mission of the "
                               "queue has been waiting for a worker (0 when none is queued).", labels=["queue"])
    # A queued mission's updated_at is when it became queued: only a move changes it, and a queued mission makes
    # none until a worker claims it (the sweeper's re-dispatch touches dispatched_at only).
    rows = (Mission.objects.filter(status=MissionStatus.QUEUED).order_by().values("priority")
            .annotate(count=Count("*"), since=Min("updated_at")))
    per_queue = {queue: (0, 0.0) for queue in MISSION_QUEUES.values()}
    now = timezone.now()
    for row in rows:
        count, age = per_queue[queue_for(row["priority"])]
        per_queue[queue_for(row["priority"])] = (count + row["count"],
                                                 max(age, (now - row["since"]).total_seconds()))
    for queue, (count, age) in per_queue.items():
        queued.add_metric([queue], count)
        oldest.add_metric([queue], max(age, 0.0))
    yield queued
    yield oldest
