"""The Celery app. Configuration lives in settings (CELERY_* names) so there is one place to read it."""

from __future__ import annotations

import os

from celery import Celery, signals
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rex_project.settings")

app = Celery("rex")
app.config_from_object("django.conf:settings", namespace="CELERY")

# One queue per mission priority, plus a control queue for beat jobs so a backlog of missions never delays
# the sweeper that rescues stuck ones. Workers list them high → low (see rex_project.settings for the order
# strategy).
MISSION_QUEUES = {"high": "missions.high", "normal": "missions.normal", "low": "missions.low"}
CONTROL_QUEUE = "rex.control"
ALL_QUEUES = [MISSION_QUEUES["high"], MISSION_QUEUES["normal"], MISSION_QUEUES["low"], CONTROL_QUEUE]

_exchange = Exchange("rex", type="direct")
app.conf.task_queues = [Queue(name, _exchange, routing_key=name) for name in ALL_QUEUES]
app.conf.task_default_queue = MISSION_QUEUES["normal"]
app.conf.task_default_exchange = "rex"
app.conf.task_default_routing_key = MISSION_QUEUES["normal"]

app.autodiscover_tasks()


@signals.task_prerun.connect
@signals.task_postrun.connect
def _close_old_connections(sender=None, **kwargs) -> None:
    # With CELERY_DB_REUSE_MAX set (see settings) connections outlive a task; like Django around a request, drop
    # one that is past CONN_MAX_AGE (0: after every task) or broken by an error. Not for an eager task: it runs
    # inside its caller's transaction.
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
